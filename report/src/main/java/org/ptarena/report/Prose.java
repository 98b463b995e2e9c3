package org.ptarena.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The sentences and label–value pairs every format shares — run metadata, how to read the
 * numbers, the command to reproduce — so that the four outputs say the same thing. Text is
 * Unicode; {@link TextWriter} makes it ASCII with {@link Fmt#ascii}.
 */
final class Prose {
    private Prose() { }

    static final String TITLE = "ptarena race report";

    static final String INTRO =
            "Three page-table API designs raced after being proven equivalent: legacy (the Linux "
            + "per-level cascade), ptptr (Shutemov's recursive pt_ptr) and vpte (Wilcox's flat "
            + "vpte_iter), against a floor that touches the same entries with no traversal.";

    /** A label and its value. */
    record Pair(String label, String value) { }

    /** How a file is named in the report: as given when relative, by its name when absolute. */
    static String display(Path file) {
        Path shown = file.isAbsolute() ? file.getFileName() : file;
        return shown.toString().replace('\\', '/');
    }

    /** "Generated … from 1 JMH result file: 16 results, 1 operation, 4 implementations (…)." */
    static String generated(ReportModel m) {
        int results = 0;
        for (JmhResults.Source s : m.run().sources()) results += s.results();
        int files = m.run().sources().size();
        String apis = m.apis().isEmpty() ? "" : " (" + String.join(", ", m.apis()) + ")";
        return "Generated " + m.run().generated() + " from " + count(files, "JMH result file")
                + ": " + count(results, "result") + ", " + count(m.ops().size(), "operation") + ", "
                + count(m.apis().size(), "implementation") + apis + ".";
    }

    /** "1 fork", "2 forks". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The run's metadata: machine, JVM, JMH settings, inputs and how to reproduce. */
    static List<Pair> run(ReportModel m) {
        List<Pair> out = new ArrayList<>();
        List<JmhResults.Source> sources = m.run().sources();
        out.add(new Pair("Input", joinDistinct(sources,
                s -> display(s.file()) + " (" + count(s.results(), "result") + ")")));
        out.add(new Pair("Host", joinDistinct(sources, s -> s.run().host())));
        out.add(new Pair("Date", joinDistinct(sources, s -> s.run().date())));
        out.add(new Pair("Commit", joinDistinct(sources, s -> s.run().commit())));
        out.add(new Pair("OS", joinDistinct(sources, s -> s.run().os())));
        out.add(new Pair("CPU", joinDistinct(sources, s -> s.run().cpu())));
        out.add(new Pair("Cores", joinDistinct(sources,
                s -> s.run().cores() == 0 ? RunInfo.UNKNOWN : String.valueOf(s.run().cores()))));
        Set<String> jvms = new LinkedHashSet<>();
        Set<String> flags = new LinkedHashSet<>();
        for (JmhResults.Jvm j : m.run().jvms()) {
            String jdk = j.jdkVersion().isEmpty() ? "" : " (JDK " + j.jdkVersion() + ")";
            jvms.add((j.vmName() + " " + j.vmVersion()).strip() + jdk);
            flags.add(j.args().isEmpty() ? "(none)" : String.join(" ", j.args()));
        }
        out.add(new Pair("JVM", String.join("; ", jvms)));
        out.add(new Pair("JVM flags", String.join("; ", flags)));
        Set<String> settings = new LinkedHashSet<>();
        for (JmhResults.Settings s : m.run().settings()) settings.add(settings(s));
        out.add(new Pair("JMH", m.run().jmhVersion() + "; " + String.join(" | ", settings)));
        String command = joinDistinct(sources, s -> s.run().command());
        boolean known = !command.equals(RunInfo.UNKNOWN);
        out.add(new Pair("Reproduce", known ? command : m.run().jmhCommand()));
        if (known) out.add(new Pair("JMH equivalent", m.run().jmhCommand()));
        return out;
    }

    /** "mode avgt, 2 forks, 1 thread, warm-up 1 × 100 ms, measurement 2 × 100 ms". */
    static String settings(JmhResults.Settings s) {
        String batch = s.measurementBatchSize() == 1 ? "" : ", batch " + s.measurementBatchSize();
        return "mode " + s.mode() + ", " + count(s.forks(), "fork") + ", "
                + count(s.threads(), "thread") + ", warm-up " + s.warmupIterations() + " \u00d7 "
                + s.warmupTime() + ", measurement " + s.measurementIterations() + " \u00d7 "
                + s.measurementTime() + batch;
    }

    /**
     * The JMH command line that measures the same benchmarks with the same settings and
     * parameter values (from the benchmark jar the bench module builds).
     */
    static String jmhCommand(JmhResults.Settings s, List<JmhResults.Result> results) {
        Set<String> names = new LinkedHashSet<>();
        Map<String, Set<String>> params = new LinkedHashMap<>();
        for (JmhResults.Result r : results) {
            names.add(r.shortName());
            r.params().forEach((k, v) -> params.computeIfAbsent(k, x -> new LinkedHashSet<>())
                    .add(v));
        }
        StringBuilder sb = new StringBuilder("java -jar bench/target/benchmarks.jar '")
                .append(String.join("|", names)).append('\'');
        sb.append(String.format(Locale.ROOT, " -bm %s -f %d -wi %d -w %s -i %d -r %s", s.mode(),
                s.forks(), s.warmupIterations(), s.warmupTime().replace(" ", ""),
                s.measurementIterations(), s.measurementTime().replace(" ", "")));
        params.forEach((k, v) -> sb.append(" -p ").append(k).append('=')
                .append(String.join(",", v)));
        return sb.append(" -prof gc -rf json").toString();
    }

    private static String joinDistinct(List<JmhResults.Source> sources,
            Function<JmhResults.Source, String> f) {
        Set<String> values = new LinkedHashSet<>();
        for (JmhResults.Source s : sources) values.add(f.apply(s));
        if (values.size() == 1) return values.iterator().next();
        List<String> parts = new ArrayList<>();
        for (JmhResults.Source s : sources) parts.add(display(s.file()) + ": " + f.apply(s));
        return String.join("; ", parts);
    }

    /** How to read the tables: the method, in a few sentences. */
    static List<String> howToRead(ReportModel m) {
        List<String> out = new ArrayList<>();
        int interval = Stats.samplesForMedianInterval(Stats.CONFIDENCE);
        int significance = Stats.samplesForSignificance(Stats.ALPHA);
        out.add("Sample unit: one JMH fork (the mean of its measurement iterations). Each time "
                + "is the median over forks \u00b1 the half-width of its distribution-free 95% "
                + "interval (order statistics; \u221e with fewer than " + interval + " forks).");
        out.add("\u00d7 legacy: the ratio of medians to legacy in the same case, with a seeded "
                + "bootstrap 95% interval (" + Stats.RESAMPLES + " resamples). p (U): exact "
                + "two-sided Mann\u2013Whitney U test; "
                + "a difference counts at p < " + Fmt.fixed(Stats.ALPHA, 2) + ", otherwise the "
                + "verdict is ~. p (Welch): Welch's t test, a second opinion. \"too few\": no "
                + "difference could reach significance with so few forks (a U test needs at "
                + "least " + significance + " a side).");
        out.add("\u00d7 floor: the median over the floor's, the cost of the traversal above the "
                + "memory itself. ns/page: time per base page covered. B/op: bytes allocated per "
                + "operation (JMH -prof gc, gc.alloc.rate.norm).");
        Set<String> directions = new LinkedHashSet<>();
        for (ReportModel.Op op : m.ops()) {
            directions.add(op.unit() + " (" + Units.direction(op.unit()) + ")");
        }
        if (!directions.isEmpty()) {
            out.add("Direction comes from the unit: " + String.join(", ", directions) + ". The "
                    + "summary is the geometric mean of the per-case ratios.");
        }
        return out;
    }

    /** "Unit … · n cases" line under each operation's heading. */
    static String opLine(ReportModel.Op op) {
        String cases = count(op.cases().size(), "case");
        return op.unit() + " (" + Units.direction(op.unit()) + "), " + cases;
    }

    /** The title of the real-workloads section. */
    static final String REAL_WORKLOADS = "Real workloads";

    /**
     * Where the race results of the snapshots are: "The race results of these snapshots are in
     * the fork section above: x86-64/4level snap:java real." for one case; for more, the
     * operations and then the layouts they ran on ("… in the walk, protect and fork sections
     * above, as the snap:NAME real cases on x86-64/4level."). Each operation is made a link by
     * {@code link} and every other piece of text passed through {@code text} (escaping, for
     * HTML); null when no operation has a snapshot case.
     */
    static String realWorkloadsPointer(ReportModel m, Function<ReportModel.Op, String> link,
            Function<String, String> text) {
        boolean hosts = m.run().hosts().size() > 1;
        List<ReportModel.Op> ops = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Set<String> where = new LinkedHashSet<>();
        for (ReportModel.Op op : m.ops()) {
            boolean any = false;
            for (ReportModel.Case c : ReportModel.snapshotCases(op)) {
                labels.add(c.label() + (hosts ? " @" + c.host() : ""));
                where.add(c.params().getOrDefault("geometry", "?")
                        + (hosts ? " @" + c.host() : ""));
                any = true;
            }
            if (any) ops.add(op);
        }
        if (ops.isEmpty()) return null;
        String lead = text.apply("The race results of these snapshots are in the ");
        if (labels.size() == 1) {
            return lead + link.apply(ops.get(0)) + text.apply(" section above: " + labels.get(0)
                    + ".");
        }
        StringBuilder sb = new StringBuilder(lead);
        for (int i = 0; i < ops.size(); i++) {
            if (i > 0) sb.append(text.apply(i == ops.size() - 1 ? " and " : ", "));
            sb.append(link.apply(ops.get(i)));
        }
        sb.append(text.apply((ops.size() == 1 ? " section" : " sections")
                + " above, as the snap:NAME real cases on " + String.join(", ", where) + "."));
        return sb.toString();
    }

    /** Why an implementation is missing from a case. */
    static String missingReason(ReportModel m, ReportModel.Case c, String api) {
        String geometry = c.params().get("geometry");
        String reason = geometry == null ? null : m.capabilities().unsupportedReason(api, geometry);
        return reason == null ? "not in the results" : "unsupported: " + reason;
    }

    /** The operations of a case's row, with ns/page when known. */
    static String pagesNote(ReportModel.Case c) {
        for (ReportModel.Row r : c.rows()) {
            if (!Double.isNaN(r.pagesPerOp())) return Fmt.pages(r.pagesPerOp()) + " pages/op";
        }
        return "";
    }
}

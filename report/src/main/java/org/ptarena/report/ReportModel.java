package org.ptarena.report;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ptarena.core.Apis;
import org.ptarena.report.JmhResults.Metric;
import org.ptarena.report.JmhResults.Result;

/**
 * Every statistic of a report, computed once from {@link JmhResults}; the writers only lay it
 * out. Results are grouped into operations (benchmark methods), each operation into cases (one
 * setting of every parameter but {@code api}, on one host) and each case into rows (one per
 * implementation, and the floor). Results of the same host, benchmark and parameters from several
 * files are pooled: their forks are one sample.
 *
 * <p>Per row: the median over forks with its distribution-free 95% interval; B/op from
 * {@code gc.alloc.rate.norm}; ns per base page and pages per op when the benchmark reports a
 * {@code pages} counter (or a {@code pages} parameter); against {@code legacy} in the same case,
 * the ratio of medians with a seeded bootstrap interval, the exact U test and Welch's t, and a
 * verdict; against {@code floor}, the ratio of medians. Per implementation: the geometric mean of
 * its ratios, per operation and over all.
 */
public final class ReportModel {
    /** The implementation every other is compared to. */
    public static final String BASELINE = "legacy";
    /** The benchmark that touches the same entries with no traversal. */
    public static final String FLOOR = "floor";
    /** The parameter that names the implementation. */
    public static final String API_PARAM = "api";
    /** Secondary metric (JMH {@code @AuxCounters}) or parameter that counts base pages per op. */
    public static final String PAGES = "pages";
    /** The parameter that names the range size ({@code 1G}, {@code table}, {@code real}). */
    public static final String SIZE = "size";
    /** The size of a snapshot scenario: the snapshot's own address space, not a number. */
    public static final String REAL_SIZE = "real";

    /** Operations in the order the architecture lists them; others follow alphabetically. */
    static final List<String> OP_ORDER = List.of("walk", "lookup", "touch", "protect", "mapUnmap",
            "mapUnmapFree", "map", "unmap", "copy", "fork", "move",
            "moveUnaligned");

    /** What a comparison to the baseline says. */
    public enum Verdict {
        /** Significantly better than legacy (in the unit's direction). */
        BETTER,
        /** Significantly worse than legacy. */
        WORSE,
        /** No significant difference: benchstat's {@code ~}. */
        SAME,
        /** Too few forks for any difference to reach significance. */
        TOO_FEW
    }

    /**
     * A row against the baseline.
     *
     * @param ratio  median of this row over median of legacy, with its bootstrap interval
     * @param minP   the smallest p the U test could give with these sample sizes
     */
    public record Comparison(Stats.Interval ratio, Stats.UTest u, double welchP, double minP,
            Verdict verdict) {
        /** Change of the median in percent: {@code (ratio - 1) * 100}. */
        public double changePercent() { return (ratio.point() - 1) * 100; }
    }

    /**
     * One implementation in one case.
     *
     * @param forks      fork values (finite ones) of the primary metric
     * @param dropped    forks left out because their value was NaN or infinite
     * @param time       median and interval of the primary metric
     * @param nsPerPage  median and interval of nanoseconds per base page, or null
     * @param pagesPerOp base pages one operation covers, or NaN
     * @param bytesPerOp median and interval of {@code gc.alloc.rate.norm}, or null without {@code
     * -prof gc}
     * @param vsBaseline comparison to legacy, or null (legacy itself, the floor, or no legacy here)
     * @param vsFloor    median over the floor's median, or NaN
     */
    public record Row(String api, double[] forks, int dropped, Stats.Summary time,
            Stats.Summary nsPerPage,
            double pagesPerOp, Stats.Summary bytesPerOp, Comparison vsBaseline, double vsFloor,
            List<Path> files) { }

    /**
     * One setting of the parameters (all but {@code api}) of one benchmark on one host.
     *
     * @param id      an identifier unique in the report, for anchors
     * @param params  the parameters without {@code api}, in JMH's order
     * @param label   the parameter values joined by spaces ("x86-64/4level dense 1G")
     * @param missing implementations run elsewhere in this operation but not here
     */
    public record Case(String id, String host, String benchmark, Map<String, String> params,
            String label,
            List<Row> rows, List<String> missing) {
        /** The row of {@code api}, or null. */
        public Row row(String api) {
            for (Row r : rows) if (r.api().equals(api)) return r;
            return null;
        }

        /** The label without the value of parameter {@code name} (for a scaling series). */
        public String labelWithout(String name) {
            List<String> parts = new ArrayList<>();
            params.forEach((k, v) -> { if (!k.equals(name)) parts.add(v); });
            return String.join(" ", parts);
        }
    }

    /**
     * One benchmark method: its unit, direction and cases.
     *
     * @param name       the method name ("walk"), or class.method when two classes share it
     * @param paramNames the parameter names of its cases (without {@code api})
     */
    public record Op(String name, String id, String unit, boolean higherIsBetter,
            List<String> paramNames,
            List<Case> cases) {
        /** Whether any case has ns per page for more than one page count (a scaling curve). */
        public boolean hasScaling() {
            Map<String, Set<Double>> pages = new LinkedHashMap<>();
            for (Case c : cases) {
                for (Row r : c.rows()) {
                    if (!Double.isNaN(r.pagesPerOp()) && r.nsPerPage() != null) {
                        pages.computeIfAbsent(c.host() + "|" + r.api() + "|" + scalingSeries(c),
                                k -> new LinkedHashSet<>())
                                .add(r.pagesPerOp());
                    }
                }
            }
            return pages.values().stream().anyMatch(s -> s.size() > 1);
        }
    }

    /**
     * The geometric mean of one implementation's ratios to {@code against} over {@code count} cases
     * of {@code op} (null: all).
     */
    public record Geomean(String api, String against, String op, double value, int count,
            int better, int worse) { }

    /** Where the data came from and how it was measured. */
    public record Run(List<JmhResults.Source> sources, String jmhVersion,
            List<JmhResults.Settings> settings, List<JmhResults.Jvm> jvms, List<String> hosts,
            String generated, String jmhCommand) { }

    private final Run run;
    private final List<Op> ops;
    private final List<String> apis;
    private final List<Geomean> geomeans;
    private final Capabilities capabilities;
    private final CodeSize codeSize;
    private final RealWorkloads realWorkloads;
    private final List<String> notes;
    private final int minForks;
    private final int maxForks;
    private final int tooFew;

    private ReportModel(Run run, List<Op> ops, List<String> apis, List<Geomean> geomeans,
            Capabilities capabilities, CodeSize codeSize, RealWorkloads realWorkloads,
            List<String> notes, int minForks, int maxForks, int tooFew) {
        this.run = run;
        this.ops = ops;
        this.apis = apis;
        this.geomeans = geomeans;
        this.capabilities = capabilities;
        this.codeSize = codeSize;
        this.realWorkloads = realWorkloads;
        this.notes = notes;
        this.minForks = minForks;
        this.maxForks = maxForks;
        this.tooFew = tooFew;
    }

    public Run run() { return run; }
    public List<Op> ops() { return ops; }
    /** Every implementation seen, legacy first, the floor last. */
    public List<String> apis() { return apis; }
    public List<Geomean> geomeans() { return geomeans; }
    public Capabilities capabilities() { return capabilities; }
    public CodeSize codeSize() { return codeSize; }
    /** The snapshots the results raced ({@link RealWorkloads#present} false when none). */
    public RealWorkloads realWorkloads() { return realWorkloads; }
    /** Plain-language notes on what the data can and cannot say. */
    public List<String> notes() { return notes; }
    public int minForks() { return minForks; }
    public int maxForks() { return maxForks; }
    /** Comparisons that could not reach significance whatever the data. */
    public int tooFewComparisons() { return tooFew; }

    /** Whether no comparison in the report can reach significance. */
    public boolean cannotReachSignificance() {
        int comparisons = 0;
        for (Op op : ops) {
            for (Case c : op.cases()) {
                for (Row r : c.rows()) if (r.vsBaseline() != null) comparisons++;
            }
        }
        return comparisons > 0 && comparisons == tooFew;
    }

    /** The implementations compared to legacy (everything but legacy and the floor). */
    public List<String> challengers() {
        List<String> out = new ArrayList<>();
        for (String a : apis) if (!a.equals(BASELINE) && !a.equals(FLOOR)) out.add(a);
        return out;
    }

    /**
     * The geometric mean for {@code api} against {@code against} over {@code op} (null: all), or
     * null.
     */
    public Geomean geomean(String api, String against, String op) {
        for (Geomean g : geomeans) {
            boolean same = g.api().equals(api) && g.against().equals(against);
            if (same && java.util.Objects.equals(g.op(), op)) return g;
        }
        return null;
    }

    /**
     * Computes every statistic, with the snapshots found by {@link RealWorkloads#load} from the
     * working directory.
     *
     * @param capabilities the probed capability matrix (or {@link Capabilities#none})
     * @param codeSize     the counted code (or {@link CodeSize#notFound})
     * @param clock        the time stamped as "generated"
     */
    public static ReportModel build(JmhResults results, Capabilities capabilities,
            CodeSize codeSize, Clock clock) {
        return build(results, capabilities, codeSize, RealWorkloads.load(results, null), clock);
    }

    /**
     * Computes every statistic.
     *
     * @param capabilities  the probed capability matrix (or {@link Capabilities#none})
     * @param codeSize      the counted code (or {@link CodeSize#notFound})
     * @param realWorkloads the snapshots the results raced (or {@link RealWorkloads#none})
     * @param clock         the time stamped as "generated"
     */
    public static ReportModel build(JmhResults results, Capabilities capabilities,
            CodeSize codeSize, RealWorkloads realWorkloads, Clock clock) {
        Map<String, Map<String, List<Result>>> byOp = group(results);
        boolean manyHosts = hostsOf(results).size() > 1;
        Set<String> caseIds = new LinkedHashSet<>();
        Set<String> seenApis = new LinkedHashSet<>();
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Result>>> e : byOp.entrySet()) {
            Op op = op(e.getKey(), e.getValue(), manyHosts, caseIds);
            for (Case c : op.cases()) {
                for (Row r : c.rows()) seenApis.add(r.api());
                seenApis.addAll(c.missing());
            }
            ops.add(op);
        }
        List<String> apis = orderApis(seenApis);
        int min = Integer.MAX_VALUE;
        int max = 0;
        int tooFew = 0;
        for (Op op : ops) {
            for (Case c : op.cases()) {
                for (Row r : c.rows()) {
                    min = Math.min(min, r.forks().length);
                    max = Math.max(max, r.forks().length);
                    Comparison cmp = r.vsBaseline();
                    if (cmp != null && cmp.verdict() == Verdict.TOO_FEW) tooFew++;
                }
            }
        }
        min = min == Integer.MAX_VALUE ? 0 : min;
        List<Geomean> geomeans = geomeans(ops, apis);
        ReportModel draft = new ReportModel(null, ops, apis, geomeans, capabilities, codeSize,
                realWorkloads, List.of(), min, max, tooFew);
        List<String> notes = notes(draft, results);
        return new ReportModel(run(results, clock), List.copyOf(ops), List.copyOf(apis),
                List.copyOf(geomeans), capabilities, codeSize, realWorkloads, List.copyOf(notes),
                min, max, tooFew);
    }

    /** Results by operation (in {@link #OP_ORDER}), then by case (host, benchmark, parameters). */
    private static Map<String, Map<String, List<Result>>> group(JmhResults results) {
        Map<String, String> opNames = opNames(results.results());
        Map<String, Map<String, List<Result>>> byOp = new LinkedHashMap<>();
        for (Result r : results.results()) {
            String key = r.host() + "\u0000" + r.benchmark() + "\u0000"
                    + paramsWithoutApi(r.params());
            byOp.computeIfAbsent(opNames.get(r.benchmark()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<String> order = new ArrayList<>(byOp.keySet());
        order.sort(Comparator.comparingInt(ReportModel::opRank)
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Map<String, List<Result>>> sorted = new LinkedHashMap<>();
        for (String op : order) sorted.put(op, byOp.get(op));
        return sorted;
    }

    private static int opRank(String op) {
        int i = OP_ORDER.indexOf(op);
        return i < 0 ? OP_ORDER.size() : i;
    }

    /** One operation: its cases, each with its rows compared to legacy and the floor. */
    private static Op op(String name, Map<String, List<Result>> cases, boolean manyHosts,
            Set<String> caseIds) {
        Set<String> opApis = new LinkedHashSet<>();
        for (List<Result> rs : cases.values()) for (Result r : rs) opApis.add(apiOf(r));
        String unit = cases.values().iterator().next().get(0).primary().unit();
        boolean higher = Units.higherIsBetter(unit);
        List<Case> built = new ArrayList<>();
        List<String> paramNames = new ArrayList<>();
        for (List<Result> rs : cases.values()) {
            Result first = rs.get(0);
            Map<String, String> params = new LinkedHashMap<>(first.params());
            params.remove(API_PARAM);
            for (String k : params.keySet()) if (!paramNames.contains(k)) paramNames.add(k);
            Map<String, List<Result>> byApi = new LinkedHashMap<>();
            for (Result r : rs) byApi.computeIfAbsent(apiOf(r), k -> new ArrayList<>()).add(r);
            String label = params.isEmpty() ? "(no parameters)" : String.join(" ", params.values());
            String id = uniqueId(caseIds, Units.id(name) + "-"
                    + Units.id(label + (manyHosts ? " " + first.host() : "")));
            List<Row> rows = new ArrayList<>();
            for (String api : orderApis(byApi.keySet())) rows.add(baseRow(api, byApi.get(api)));
            List<String> missing = new ArrayList<>();
            for (String a : orderApis(opApis)) if (!byApi.containsKey(a)) missing.add(a);
            List<Row> compared = compare(name, first.host(), label, rows, higher);
            built.add(new Case(id, first.host(), first.benchmark(),
                    Collections.unmodifiableMap(params), label, compared, List.copyOf(missing)));
        }
        return new Op(name, Units.id(name), unit, higher, List.copyOf(paramNames),
                List.copyOf(built));
    }

    /** What the data can and cannot say, in plain words. */
    private static List<String> notes(ReportModel m, JmhResults results) {
        List<String> notes = new ArrayList<>();
        int need = Stats.samplesForSignificance(Stats.ALPHA);
        if (m.cannotReachSignificance()) {
            notes.add(String.format(Locale.ROOT,
                    "This run cannot reach significance: with %s fork%s per benchmark no "
                    + "difference can give p < %.2f in a U test (it needs at least %d forks a "
                    + "side), so no comparison has a verdict%s. Run `./ptarena race --full` (at "
                    + "least 6 forks) for verdicts.", forkRange(m), m.maxForks == 1 ? "" : "s",
                    Stats.ALPHA, need, m.maxForks == 1 ? ", and a ratio has no interval" : ""));
        } else if (m.tooFew > 0) {
            notes.add(String.format(Locale.ROOT,
                    "%d comparison(s) have too few forks to reach p < %.2f "
                    + "(a U test needs at least %d forks a side) and show no verdict.", m.tooFew,
                    Stats.ALPHA, need));
        }
        int dropped = 0;
        int ties = 0;
        boolean unbounded = false;
        boolean pooled = false;
        for (Op op : m.ops) {
            for (Case c : op.cases()) {
                for (Row r : c.rows()) {
                    dropped += r.dropped();
                    unbounded |= !r.time().bounded();
                    pooled |= r.files().size() > 1;
                    if (r.vsBaseline() != null && r.vsBaseline().u().ties()) ties++;
                }
            }
        }
        if (unbounded) {
            int n = Stats.samplesForMedianInterval(Stats.CONFIDENCE);
            notes.add("A median of fewer than " + n + " forks has no finite distribution-free 95% "
                    + "interval; it is shown as \u00b1 \u221e (--forks " + n + " gives one).");
        }
        if (dropped > 0) {
            notes.add(dropped + " fork(s) with a NaN or infinite score were left out of the "
                    + "statistics.");
        }
        if (ties > 0) {
            notes.add(ties + " U test(s) met tied fork values; their p is the exact permutation "
                    + "p-value given the ties.");
        }
        if (pooled) {
            notes.add("Results of the same host, benchmark and parameters from several files were "
                    + "pooled: their forks form one sample.");
        }
        String gaps = gaps(results);
        if (gaps != null) notes.add(gaps);
        int hosts = hostsOf(results).size();
        if (hosts > 1) {
            notes.add("Results come from " + hosts + " hosts; each case keeps its host, and hosts "
                    + "are never compared with one another.");
        }
        return notes;
    }

    /** The gaps the run files record, counted by reason, or null when there are none. */
    private static String gaps(JmhResults results) {
        Map<String, Integer> gaps = new LinkedHashMap<>();
        for (JmhResults.Source src : results.sources()) {
            for (String g : src.run().gaps()) {
                int colon = g.indexOf(": ");
                gaps.merge(colon < 0 ? g : g.substring(colon + 2), 1, Integer::sum);
            }
        }
        if (gaps.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        gaps.forEach((why, n) -> parts.add(why + " (" + n + ")"));
        int total = gaps.values().stream().mapToInt(Integer::intValue).sum();
        return total + " combination(s) were not run, as the race planned: "
                + String.join("; ", parts)
                + ".";
    }

    private static String forkRange(ReportModel m) {
        if (m.minForks == m.maxForks) return String.valueOf(m.minForks);
        return m.minForks + "\u2013" + m.maxForks;
    }

    private static List<String> hostsOf(JmhResults results) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Result r : results.results()) hosts.add(r.host());
        return List.copyOf(hosts);
    }

    private static Run run(JmhResults results, Clock clock) {
        Set<JmhResults.Settings> settings = new LinkedHashSet<>();
        Set<JmhResults.Jvm> jvms = new LinkedHashSet<>();
        for (Result r : results.results()) {
            settings.add(r.settings());
            jvms.add(r.jvm());
        }
        String generated = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String command = Prose.jmhCommand(settings.iterator().next(), results.results());
        return new Run(results.sources(), results.jmhVersion(), List.copyOf(settings),
                List.copyOf(jvms), hostsOf(results), generated, command);
    }

    /** Method names, or class.method for a method name two classes share. */
    private static Map<String, String> opNames(List<Result> results) {
        Map<String, Set<String>> byMethod = new LinkedHashMap<>();
        for (Result r : results) {
            byMethod.computeIfAbsent(r.method(), k -> new LinkedHashSet<>()).add(r.benchmark());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Result r : results) {
            boolean shared = byMethod.get(r.method()).size() > 1;
            out.put(r.benchmark(), shared ? r.shortName() : r.method());
        }
        return out;
    }

    private static String apiOf(Result r) {
        return r.params().getOrDefault(API_PARAM, "");
    }

    private static String paramsWithoutApi(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!k.equals(API_PARAM)) sb.append(k).append('=').append(v).append('\u0000');
        });
        return sb.toString();
    }

    /** {@link Apis#ORDER} first, then other names alphabetically, the floor last. */
    static List<String> orderApis(Set<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort(Comparator.comparingInt(ReportModel::apiRank)
                .thenComparing(Comparator.naturalOrder()));
        return out;
    }

    private static int apiRank(String api) {
        if (api.equals(FLOOR)) return Integer.MAX_VALUE;
        int i = Apis.ORDER.indexOf(api);
        return i < 0 ? Apis.ORDER.size() : i;
    }

    private static String uniqueId(Set<String> used, String id) {
        String candidate = id;
        for (int i = 2; !used.add(candidate); i++) candidate = id + "-" + i;
        return candidate;
    }

    /** The row's own statistics, from every result of it (pooled): median, ns per page, B/op. */
    private static Row baseRow(String api, List<Result> same) {
        List<Double> values = new ArrayList<>();
        List<Double> perPage = new ArrayList<>();
        List<Double> pagesPerOp = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        int dropped = 0;
        for (Result r : same) {
            if (!files.contains(r.file())) files.add(r.file());
            double scale = Units.nanosPerUnit(r.primary().unit());
            Metric pages = r.secondary().get(PAGES);
            double pageScale = pages == null ? Double.NaN : Units.nanosPerUnit(pages.unit());
            double pagesParam = parseOrNaN(r.params().get(PAGES));
            Metric alloc = r.secondary().get(JmhResults.ALLOC_NORM);
            double[] f = r.primary().forks();
            for (int i = 0; i < f.length; i++) {
                if (!Double.isFinite(f[i])) {
                    dropped++;
                    continue;
                }
                values.add(f[i]);
                boolean timed = !Double.isNaN(scale) && !Double.isNaN(pageScale);
                if (timed && pages.forks().length == f.length
                        && Double.isFinite(pages.forks()[i]) && pages.forks()[i] > 0) {
                    double ns = pages.forks()[i] * pageScale;     // OPERATIONS counter: per page
                    perPage.add(ns);
                    pagesPerOp.add(f[i] * scale / ns);
                } else if (!Double.isNaN(scale) && pagesParam > 0) {
                    perPage.add(f[i] * scale / pagesParam);
                    pagesPerOp.add(pagesParam);
                }
                if (alloc != null && alloc.forks().length == f.length
                        && Double.isFinite(alloc.forks()[i])) {
                    bytes.add(alloc.forks()[i]);
                }
            }
        }
        double[] forks = toArray(values);
        return new Row(api, forks, dropped, Stats.medianSummary(forks, Stats.CONFIDENCE),
                perPage.isEmpty() ? null : Stats.medianSummary(toArray(perPage), Stats.CONFIDENCE),
                pagesPerOp.isEmpty() ? Double.NaN : roundPages(Stats.median(toArray(pagesPerOp))),
                bytes.isEmpty() ? null : Stats.medianSummary(toArray(bytes), Stats.CONFIDENCE),
                null, Double.NaN, List.copyOf(files));
    }

    /** Pages per op is a count: a value within 0.1% of an integer is that integer. */
    private static double roundPages(double p) {
        double r = Math.rint(p);
        return r > 0 && Math.abs(p - r) <= 1e-3 * r ? r : p;
    }

    private static double parseOrNaN(String s) {
        if (s == null) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The rows with their comparisons to legacy and their ratios to the floor. */
    private static List<Row> compare(String op, String host, String label, List<Row> rows,
            boolean higher) {
        Row base = null;
        Row floor = null;
        for (Row r : rows) {
            if (r.api().equals(BASELINE)) base = r;
            if (r.api().equals(FLOOR)) floor = r;
        }
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            Comparison c = null;
            if (base != null && r != base && r != floor && r.forks().length > 0
                    && base.forks().length > 0) {
                String name = op + "|" + host + "|" + label + "|" + r.api();
                c = comparison(name, r.forks(), base.forks(), higher);
            }
            double vsFloor = floor != null && r != floor && floor.time().center() != 0
                    ? r.time().center() / floor.time().center() : Double.NaN;
            out.add(new Row(r.api(), r.forks(), r.dropped(), r.time(), r.nsPerPage(),
                    r.pagesPerOp(), r.bytesPerOp(), c, vsFloor, r.files()));
        }
        return List.copyOf(out);
    }

    /**
     * {@code x} against the baseline {@code base}: ratio of medians with a bootstrap interval
     * (none with a single fork on either side), U test, Welch's t and the verdict.
     */
    static Comparison comparison(String name, double[] x, double[] base, boolean higherIsBetter) {
        Stats.Interval ratio = x.length < 2 || base.length < 2
                ? new Stats.Interval(Stats.median(x) / Stats.median(base), Double.NaN, Double.NaN)
                : Stats.bootstrapRatio(x, base, Stats.RESAMPLES, Stats.seed(name),
                        Stats.CONFIDENCE);
        Stats.UTest u = Stats.mannWhitney(x, base);
        double minP = Stats.minUTestP(x.length, base.length);
        Verdict v;
        if (minP > Stats.ALPHA) v = Verdict.TOO_FEW;
        else if (u.p() >= Stats.ALPHA || ratio.point() == 1) v = Verdict.SAME;
        else v = (ratio.point() > 1) == higherIsBetter ? Verdict.BETTER : Verdict.WORSE;
        return new Comparison(ratio, u, Stats.welchP(x, base), minP, v);
    }

    /** Geometric means of the ratios to legacy and to the floor, per operation and over all. */
    private static List<Geomean> geomeans(List<Op> ops, List<String> apis) {
        List<Geomean> out = new ArrayList<>();
        for (String against : List.of(BASELINE, FLOOR)) {
            for (String api : apis) {
                if (api.equals(FLOOR) || api.equals(against)) continue;
                List<Double> all = new ArrayList<>();
                int[] allCounts = {0, 0};
                for (Op op : ops) {
                    List<Double> mine = new ArrayList<>();
                    int[] counts = {0, 0};     // significantly better, worse
                    for (Case c : op.cases()) {
                        Row r = c.row(api);
                        if (r == null) continue;
                        boolean toBase = against.equals(BASELINE);
                        Comparison cmp = r.vsBaseline();
                        double v = !toBase ? r.vsFloor()
                                : cmp == null ? Double.NaN : cmp.ratio().point();
                        if (!(v > 0) || Double.isInfinite(v)) continue;
                        mine.add(v);
                        if (toBase && r.vsBaseline().verdict() == Verdict.BETTER) counts[0]++;
                        if (toBase && r.vsBaseline().verdict() == Verdict.WORSE) counts[1]++;
                    }
                    if (mine.isEmpty()) continue;
                    out.add(new Geomean(api, against, op.name(), Stats.geomean(toArray(mine)),
                            mine.size(), counts[0], counts[1]));
                    all.addAll(mine);
                    allCounts[0] += counts[0];
                    allCounts[1] += counts[1];
                }
                if (!all.isEmpty()) {
                    out.add(new Geomean(api, against, null, Stats.geomean(toArray(all)), all.size(),
                            allCounts[0], allCounts[1]));
                }
            }
        }
        return out;
    }

    /**
     * The name of the parameter whose values form a scaling curve: "size" if present, "" when the
     * size is {@value #REAL_SIZE} (a snapshot's own address space is no point on a curve: such a
     * case is a series of its own).
     */
    static String scalingParam(Case c) {
        String size = c.params().get(SIZE);
        if (size != null) return size.equals(REAL_SIZE) ? "" : SIZE;
        return c.params().containsKey(PAGES) ? PAGES : "";
    }

    /** The cases of {@code op} that raced a snapshot ({@code scenario=snap:NAME}). */
    static List<Case> snapshotCases(Op op) {
        List<Case> out = new ArrayList<>();
        for (Case c : op.cases()) {
            if (RealWorkloads.snapshotOf(c.params().get(RealWorkloads.SCENARIO)) != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** The label of the scaling series a case belongs to (its parameters without the size). */
    static String scalingSeries(Case c) {
        return c.labelWithout(scalingParam(c));
    }

    private static double[] toArray(List<Double> xs) {
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
        return out;
    }

    /** A copy of {@code xs}, sorted. */
    static double[] sorted(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s;
    }
}

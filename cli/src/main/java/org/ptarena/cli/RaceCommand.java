package org.ptarena.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptarena.bench.Race;
import org.ptarena.bench.RaceConfig;
import org.ptarena.report.AtomicOutput;
import org.ptarena.report.JmhFormatException;
import org.ptarena.report.Report;
import org.ptarena.report.RunInfo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena race}: runs the benchmarks through the bench module's race driver (progress on
 * stderr: done/total, elapsed, time left), writes the JMH JSON and a run file beside the report,
 * then the report itself, and says where it is.
 */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = "Race the three designs and the floor with JMH, then write the report: "
                + "race.json (JMH), race.meta (host, date, commit, command), REPORT.md, "
                + "report.txt, index.html and results.csv in --out. Quick by default (one fork and "
                + "a reduced matrix: minutes, a first look, no verdicts); --full for publication "
                + "(6 forks, every layout). Lists take commas: --ops walk,protect.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every combination ran and the report was written",
            "1:some combination failed (the report covers the rest), or none ran",
            "2:bad input: an unknown option, op, geometry, scenario, implementation or size "
                    + "(nothing runs)",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class RaceCommand implements Callable<Integer> {
    /** The JMH JSON's name in the output directory. */
    static final String JSON = "race.json";

    @ArgGroup(exclusive = true)
    Speed speed;

    /** {@code --quick} or {@code --full}. */
    static final class Speed {
        @Option(names = "--quick",
                description = "Reduced matrix, 1 fork, short iterations (the default).")
        boolean quick;

        @Option(names = "--full",
                description = "Every catalog layout, 6 forks, 5 x 1 s measurement.")
        boolean full;
    }

    @Option(names = "--ops", split = ",", paramLabel = "OP",
            description = "walk, lookup, touch, protect, mapUnmap, mapUnmapFree, fork, move, "
                    + "moveUnaligned (default: all).")
    List<String> ops = new ArrayList<>();

    @Option(names = "--geometries", split = ",", paramLabel = "NAME",
            description = "Catalog layouts (default: the mode's; ptarena geometries lists them).")
    List<String> geometries = new ArrayList<>();

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "dense, largest, sparse, hugemix, snap:NAME for a snapshot in "
                    + "workloads/snapshots (default: all, every snapshot included).")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--apis", split = ",", paramLabel = "NAME",
            description = "legacy, ptptr, vpte, floor (default: all).")
    List<String> apis = new ArrayList<>();

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE",
            description = "table, 1G, 8G, 64G or any K/M/G/T size (default: the mode's); "
                    + "snapshots always run at size real, their own.")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--forks", paramLabel = "N",
            description = "JMH forks per combination instead of the mode's.")
    int forks;

    @Option(names = "--list", description = "Print the combinations and the gaps; run nothing.")
    boolean list;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = ReportCommand.DEFAULT_OUT;

    @Option(names = "--sources", paramLabel = "DIR",
            description = "Checkout whose sources are counted and whose commit is recorded "
                    + "(default: found).")
    Path sources;

    @Spec CommandSpec spec;

    /** The clock runs and reports are stamped with. */
    Clock clock = Clock.systemUTC();

    @Override public Integer call() throws IOException {
        RaceConfig config = config();
        Race.Plan plan = plan(config);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            o.println(plan.runs().size() + " combinations, " + plan.gaps().size() + " gaps");
            for (Race.Combination c : plan.runs()) o.println(c.label());
            for (Race.Gap g : plan.gaps()) o.println("gap: " + gap(g));
            o.flush();
            return Exit.OK;
        }
        if (plan.runs().isEmpty()) {
            err.println("ptarena race: nothing to run: every combination asked for is a gap");
            for (Race.Gap g : plan.gaps()) err.println("  gap: " + gap(g));
            err.flush();
            return Exit.BAD_INPUT;
        }
        Path root = ReportCommand.checkout(spec, sources);
        RunInfo run = RunInfo.ofThisMachine(command(), root, clock);
        Race.Outcome outcome;
        try (PrintStream progress = lines(err)) {
            outcome = Race.run(config, progress);
        }
        if (outcome.ran() == outcome.failures().size()) {
            err.println("ptarena race: no combination ran; no report (JMH's output is in "
                    + outcome.log() + ")");
            err.flush();
            return Exit.FAILED;
        }
        Path json = out.resolve(JSON);
        Path meta = RunInfo.sidecarOf(json);
        List<String> gaps = new ArrayList<>();
        for (Race.Gap g : plan.gaps()) gaps.add(gap(g));
        for (Race.Failure f : outcome.failures()) {
            gaps.add(f.combination().label() + ": failed: " + f.message());
        }
        String text = run.withGaps(gaps).toJson();
        AtomicOutput.writeAll(out, List.of(new AtomicOutput.Body(meta.getFileName().toString(),
                w -> w.write(text))));
        List<Path> written = new ArrayList<>(List.of(json, meta));
        try {
            written.addAll(Report.generate(List.of(json), out, root, clock));
        } catch (JmhFormatException e) {
            err.println("ptarena race: the race's own results cannot be read: " + e.getMessage());
            err.flush();
            return Exit.INTERNAL;
        }
        o.println(ReportCommand.wrote(written, out));
        o.println("Open " + out.resolve("index.html") + ", or paste " + out.resolve("report.txt")
                + " into a reply.");
        if (!outcome.failures().isEmpty()) {
            o.println(outcome.failures().size() + " combination(s) failed; see " + outcome.log());
        }
        o.flush();
        return outcome.failures().isEmpty() ? Exit.OK : Exit.FAILED;
    }

    private static String gap(Race.Gap g) {
        return g.combination().label() + ": " + g.reason();
    }

    /** The options as the driver's configuration, writing the JMH JSON into {@code --out}. */
    RaceConfig config() {
        boolean full = speed != null && speed.full;
        RaceConfig.Mode mode = full ? RaceConfig.Mode.FULL : RaceConfig.Mode.QUICK;
        if (forks < 0) {
            throw new ParameterException(spec.commandLine(), "--forks " + forks
                    + " — expected 1 or more");
        }
        try {
            return new RaceConfig(mode, ops, geometries, scenarios, apis, sizes, forks,
                    out.resolve(JSON));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The plan, or a parameter error naming what is unknown (before anything runs). */
    private Race.Plan plan(RaceConfig config) {
        try {
            return Race.plan(config);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The command that reproduces this run: {@code ./ptarena race} and the arguments given. */
    private String command() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> args = all.subList(all.indexOf(spec.name()) + 1, all.size());
        StringBuilder sb = new StringBuilder("./ptarena race");
        for (String a : args) {
            boolean plain = a.matches("[A-Za-z0-9_./,=:+-]+");
            sb.append(' ').append(plain ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** A stream whose lines reach {@code w} whole, as they are printed (progress goes to it). */
    static PrintStream lines(PrintWriter w) {
        OutputStream sink = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override public void write(int b) {
                if (b == '\n') {
                    w.println(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    w.flush();
                } else {
                    line.write(b);
                }
            }

            @Override public void flush() {
                if (line.size() > 0) {
                    w.print(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                }
                w.flush();
            }
        };
        return new PrintStream(sink, true, StandardCharsets.UTF_8) {
            @Override public void close() {
                flush();
            }
        };
    }
}

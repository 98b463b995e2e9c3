package org.ptarena.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.snap.Workloads;

/**
 * The race driver: computes the whole combination list up front (listing gaps — a design that
 * does not support a layout, a size that does not fit — without running them), then runs one
 * combination at a time through JMH's {@link Runner} (its own forks, {@code -prof gc}, the
 * mode's iterations), the floor first and the three designs in an order rotated from one cell to
 * the next. Prints one progress line per combination to the progress stream; JMH's own output
 * goes to {@code OUTPUT.log}. After every combination it rewrites the JMH JSON of everything run
 * so far (one array for the whole race) atomically, so an interrupted race leaves valid JSON.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar org.ptarena.bench.Race --quick}
 */
public final class Race {
    /** The geometry a quick race runs every scenario on. */
    static final String QUICK_PRIMARY_GEOMETRY = "x86-64/4level";
    /** The geometry a quick race also runs contiguous runs on. */
    static final String QUICK_RUNS_GEOMETRY = "arm64/4k-48";
    /** The size a quick race runs every scenario at. */
    static final String QUICK_SIZE = "1G";
    /** Assumed JVM start, pre-touch and setup per fork, before a race has timed any. */
    static final double FORK_OVERHEAD_SECONDS = 1.0;

    private Race() { }

    /** One benchmark run: an op with one value for each parameter. */
    public record Combination(Matrix.Op op, String api, String geometry, String scenario,
            String size) {
        /** {@code ProtectBench.protect api=vpte geometry=x86-64/4level scenario=dense size=1G}. */
        public String label() {
            return op.shortName() + " api=" + api + " geometry=" + geometry
                    + " scenario=" + scenario + " size=" + size;
        }
    }

    /** A combination that is not run, and why. */
    public record Gap(Combination combination, String reason) { }

    /** A combination that ran and failed, with JMH's message. */
    public record Failure(Combination combination, String message) { }

    /** The combinations to run, in order, and the gaps. */
    public record Plan(RaceConfig config, List<Combination> runs, List<Gap> gaps) {
        /** Nominal seconds the runs take, before any has been timed. */
        public double nominalSeconds() {
            RaceConfig.Mode m = config.mode();
            double iterations = m.warmupIterations() * m.warmupMillis()
                    + m.measurementIterations() * m.measurementMillis();
            double perFork = FORK_OVERHEAD_SECONDS + iterations / 1000.0;
            return runs.size() * config.effectiveForks() * perFork;
        }
    }

    /** What a race did. */
    public record Outcome(Plan plan, int ran, List<Failure> failures, Path json, Path log,
            long elapsedNanos) { }

    /**
     * The combinations of {@code config}, gaps apart. Cells (op, geometry, scenario, size) in that
     * order; in each cell the floor first, then the designs rotated by the cell's index. A quick
     * race with default geometries and sizes keeps only {@link #inQuickMatrix} cells.
     */
    public static Plan plan(RaceConfig config) {
        List<Matrix.Op> ops = new ArrayList<>();
        for (String w : config.opsOrDefault()) ops.add(Matrix.Op.parse(w));
        List<Geometry> geometries = new ArrayList<>();
        for (String g : config.geometriesOrDefault()) geometries.add(Geometries.byName(g));
        List<Scenario> scenarios = new ArrayList<>();
        for (String s : config.scenariosOrDefault()) scenarios.add(Scenario.parse(s));
        List<String> sizes = config.sizesOrDefault();
        for (String s : sizes) {
            if (!Sizes.TABLE.equals(s) && !Sizes.REAL.equals(s)) Sizes.parse(s);
        }
        List<String> apis = config.apisOrDefault();
        for (String a : apis) if (!Matrix.FLOOR.equals(a)) Apis.byName(a);
        boolean reduced = config.mode() == RaceConfig.Mode.QUICK && config.geometries().isEmpty()
                && config.sizes().isEmpty();

        List<Combination> runs = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        int cell = 0;
        for (Matrix.Op op : ops) {
            for (Geometry g : geometries) {
                for (Scenario sc : scenarios) {
                    // a snapshot has one size, its own; the synthetic ones take the size axis
                    List<String> scSizes = sc.isSnapshot() ? List.of(Sizes.REAL) : sizes;
                    for (String size : scSizes) {
                        if (reduced && !inQuickMatrix(op, g.name(), sc, size)) continue;
                        for (String api : rotated(apis, cell++)) {
                            Combination c = new Combination(op, api, g.name(), sc.word(), size);
                            String why = Matrix.gap(op, api, g, sc, size);
                            if (why == null) {
                                runs.add(c);
                            } else {
                                gaps.add(new Gap(c, why));
                            }
                        }
                    }
                }
            }
        }
        return new Plan(config, runs, gaps);
    }

    /**
     * The quick race's reduced matrix, sized to finish within about 9 minutes on two cores: on
     * x86-64/4level every synthetic scenario at 1G, and dense also at one table (where allocation
     * per op is least blurred by JMH's own per-iteration allocation) and at 8G (for the scaling
     * target), and fork of every committed snapshot (a real process's fork and exit); on
     * arm64/4k-48 largest (its contiguous runs) at 1G; on any other geometry dense at 1G. The two
     * move ops run only on dense at 1G on x86-64/4level and (move) on largest at 1G on
     * arm64/4k-48: a move of a whole 1G is a handful of table moves, so one cell says it.
     */
    static boolean inQuickMatrix(Matrix.Op op, String geometry, Scenario sc, String size) {
        if (sc.isSnapshot()) return op == Matrix.Op.FORK && geometry.equals(QUICK_PRIMARY_GEOMETRY);
        if (op == Matrix.Op.MOVE || op == Matrix.Op.MOVE_UNALIGNED) {
            if (!size.equals(QUICK_SIZE)) return false;
            if (geometry.equals(QUICK_PRIMARY_GEOMETRY)) return sc == Scenario.DENSE;
            return op == Matrix.Op.MOVE && geometry.equals(QUICK_RUNS_GEOMETRY)
                    && sc == Scenario.LARGEST;
        }
        if (geometry.equals(QUICK_PRIMARY_GEOMETRY)) {
            return size.equals(QUICK_SIZE) || sc == Scenario.DENSE;
        }
        if (geometry.equals(QUICK_RUNS_GEOMETRY)) {
            return size.equals(QUICK_SIZE) && sc == Scenario.LARGEST;
        }
        return size.equals(QUICK_SIZE) && sc == Scenario.DENSE;
    }

    /** The floor (if listed) first, then the others rotated left by {@code k}. */
    static List<String> rotated(List<String> apis, int k) {
        List<String> designs = new ArrayList<>(apis);
        List<String> out = new ArrayList<>();
        if (designs.remove(Matrix.FLOOR)) out.add(Matrix.FLOOR);
        for (int i = 0; i < designs.size(); i++) out.add(designs.get((i + k) % designs.size()));
        return out;
    }

    /** Runs {@code config}, printing progress to {@code progress}. */
    public static Outcome run(RaceConfig config, PrintStream progress) throws IOException {
        Plan plan = plan(config);
        Path json = config.output().toAbsolutePath();
        if (json.getParent() != null) Files.createDirectories(json.getParent());
        Path log = json.resolveSibling(json.getFileName() + ".log");
        printHeader(plan, progress);
        List<RunResult> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        int n = plan.runs().size();
        try (PrintStream jmhOut =
                new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            OutputFormat format =
                    OutputFormatFactory.createFormatInstance(jmhOut, VerboseMode.NORMAL);
            for (int i = 0; i < n; i++) {
                Combination c = plan.runs().get(i);
                long elapsed = System.nanoTime() - t0;
                double left = i == 0 ? plan.nominalSeconds() : elapsed / 1e9 / i * (n - i);
                progress.printf(Locale.ROOT, "[%d/%d] %s — elapsed %s, ~%s left%n", i + 1, n,
                        c.label(), duration(elapsed / 1e9), duration(left));
                jmhOut.println("# ptarena race [" + (i + 1) + "/" + n + "] " + c.label());
                try {
                    Collection<RunResult> r =
                            new Runner(options(config, c), format).run();
                    if (r.isEmpty()) failures.add(new Failure(c, "JMH returned no result"));
                    results.addAll(r);
                } catch (RunnerException e) {
                    failures.add(new Failure(c, message(e)));
                    progress.println("  failed: " + message(e) + " (details in "
                            + log.getFileName() + ")");
                    if (message(e).contains("JMH lock")) {
                        // Another JMH run owns the machine: every later combination would fail too.
                        progress.println("race: stopped: another benchmark run holds JMH's lock");
                        n = i + 1;
                    }
                }
                writeJson(results, json);
            }
        }
        long elapsed = System.nanoTime() - t0;
        writeJson(results, json);
        progress.printf(Locale.ROOT,
                "race: %d combinations in %s, %d gaps, %d failed; wrote %s and %s%n", n,
                duration(elapsed / 1e9), plan.gaps().size(), failures.size(), json, log);
        for (Failure f : failures) {
            progress.println("failed: " + f.combination().label() + ": " + f.message());
        }
        return new Outcome(plan, n, failures, json, log, elapsed);
    }

    private static void printHeader(Plan plan, PrintStream progress) {
        RaceConfig cf = plan.config();
        RaceConfig.Mode m = cf.mode();
        progress.printf(Locale.ROOT,
                "race %s: %d combinations, %d fork(s) each, %d×%d ms warmup, %d×%d ms measurement,"
                        + " -prof gc; ~%s%n",
                m.name().toLowerCase(Locale.ROOT), plan.runs().size(), cf.effectiveForks(),
                m.warmupIterations(), m.warmupMillis(), m.measurementIterations(),
                m.measurementMillis(), duration(plan.nominalSeconds()));
        if (!plan.gaps().isEmpty()) {
            progress.println("gaps (" + plan.gaps().size() + ", not run):");
            for (Gap g : plan.gaps()) {
                progress.println("  gap: " + g.combination().label() + ": " + g.reason());
            }
        }
    }

    /** JMH options for one combination. */
    static Options options(RaceConfig config, Combination c) {
        RaceConfig.Mode m = config.mode();
        return new OptionsBuilder()
                .include("^" + Pattern.quote(c.op().benchmark()) + "$")
                .param("api", c.api())
                .param("geometry", c.geometry())
                .param("scenario", c.scenario())
                .param("size", c.size())
                .forks(config.effectiveForks())
                .warmupIterations(m.warmupIterations())
                .warmupTime(TimeValue.milliseconds(m.warmupMillis()))
                .measurementIterations(m.measurementIterations())
                .measurementTime(TimeValue.milliseconds(m.measurementMillis()))
                .jvmArgsAppend(jvmArgs(c))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .build();
    }

    /**
     * The forked JVM's flags: serial GC, a fixed pre-touched heap sized to the combination (1 GiB
     * up to 2^22 base pages — 16 GiB of 4K pages —, else 4 GiB: pre-touching 4 GiB costs seconds
     * per fork), and transparent huge pages for the heap, which makes pre-touch several times
     * faster and spares every design alike the host's TLB misses on the arena.
     */
    static String[] jvmArgs(Combination c) {
        Geometry g = Geometries.byName(c.geometry());
        boolean snap = Sizes.REAL.equals(c.size());
        long pages = snap ? 0 : Sizes.bytes(c.size(), g) >>> g.pageShift();
        String heap = pages <= 1L << 22 ? "1g" : "4g";
        List<String> args = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms" + heap,
                "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"));
        // the forked JVM finds the snapshots where this one found them, whatever its directory
        if (snap) args.add("-D" + Workloads.PROPERTY + "=" + Workloads.dir().toAbsolutePath());
        return args.toArray(String[]::new);
    }

    /**
     * Writes {@code results} as one JMH JSON array to a temporary sibling, then moves it into
     * place.
     */
    static void writeJson(Collection<RunResult> results, Path json) throws IOException {
        Path tmp = json.resolveSibling("." + json.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
             PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Files.move(tmp, json, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String message(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && sb.indexOf(t.getMessage()) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
            }
            for (Throwable s : t.getSuppressed()) {
                if (s.getMessage() != null) sb.append(": ").append(s.getMessage());
            }
        }
        return sb.length() == 0 ? e.getClass().getName() : sb.toString().replace('\n', ' ');
    }

    /** {@code 1m32s}, {@code 45s}, {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }

    /**
     * {@code Race [--quick|--full] [--ops a,b] [--geometries …] [--scenarios …] [--apis …]
     * [--sizes …] [--forks N] [--out FILE] [--list]}. Exit 0 when every combination ran, 1 when
     * some failed, 2 on bad arguments.
     */
    public static void main(String[] args) throws IOException {
        RaceConfig config;
        try {
            RaceArgs parsed = RaceArgs.parse(args);
            if (parsed == null) {
                System.out.println(RaceArgs.USAGE);
                return;
            }
            config = parsed.config();
            Plan plan = plan(config);           // names a bad op, geometry, size or api now
            if (parsed.list()) {
                printHeader(plan, System.out);
                for (Combination c : plan.runs()) System.out.println(c.label());
                return;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("race: " + e.getMessage());
            System.err.println(RaceArgs.USAGE);
            System.exit(2);
            return;
        }
        Outcome out = run(config, System.err);
        System.exit(out.failures().isEmpty() ? 0 : 1);
    }
}

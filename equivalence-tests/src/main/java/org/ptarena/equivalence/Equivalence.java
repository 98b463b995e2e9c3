package org.ptarena.equivalence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.oracle.OracleEvents;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;

/**
 * Runs traces on the oracle and a set of implementations ({@link TraceRunner}: agreement and
 * invariants after every statement), and turns a failure into something a maintainer can act on:
 * the failing prefix is shrunk ({@link Shrinker}), written as a {@code .trace} with the seed and
 * the report in its header, and the written file is parsed and replayed to prove it still fails.
 *
 * <p>A candidate counts as failing only if it fails with the implementations and passes on the
 * oracle alone: a trace the oracle itself rejects (a {@code fail} line that is not refused once
 * the shrinker removed what made it bad) is unsound, not a disagreement.
 */
public final class Equivalence {
    /**
     * Failures shrunk per JVM ({@code -Dptarena.shrinks}, default 10): one bug usually fails many
     * seeds, and shrinking each costs hundreds of runs; the rest are written as they failed.
     */
    private static final AtomicInteger SHRINKS =
            new AtomicInteger(Integer.getInteger("ptarena.shrinks", 10));

    private final List<PageTableOps> impls;

    public Equivalence(List<PageTableOps> impls) {
        this.impls = List.copyOf(impls);
    }

    public List<PageTableOps> impls() {
        return impls;
    }

    /** Where failures go: {@code -Dptarena.failures}, default {@code target/ptarena-failures}. */
    public static Path failureDir() {
        return Path.of(System.getProperty("ptarena.failures", "target/ptarena-failures"));
    }

    /** Runs a trace, reporting the oracle's behaviour to {@code events}. */
    public TraceRunner.Result run(Trace trace, OracleEvents events) {
        return new TraceRunner(impls).events(events).run(trace);
    }

    /** Whether the trace shows a disagreement (it fails, and it is sound on the oracle alone). */
    public boolean disagrees(Trace trace) {
        if (new TraceRunner(impls).run(trace).passed()) return false;
        return new TraceRunner(List.of()).run(trace).passed();
    }

    /**
     * A failure, investigated: shrunk, written under {@code dir} as {@code NAME.trace}, and
     * replayed from the written file.
     *
     * @param name     file name without extension, e.g. the seed in hex
     * @param rerun    how to rerun it, for the header (e.g. the -Dptarena.seed command)
     * @param original the failing trace
     * @param result   its result
     */
    public Failure investigate(String name, String rerun, Trace original,
            TraceRunner.Result result, Path dir) {
        return investigate(name, rerun, original, result, dir, false);
    }

    /** {@link #investigate}, shrinking whatever this run's budget says if {@code alwaysShrink}. */
    public Failure investigate(String name, String rerun, Trace original,
            TraceRunner.Result result, Path dir,
            boolean alwaysShrink) {
        List<Trace.Line> lines = original.lines();
        int upTo = result.failedIndex() < 0 ? lines.size()
                : Math.min(lines.size(), result.failedIndex() + 1);
        Trace prefix = new Trace(original.source(), original.geometry(), lines.subList(0, upTo));
        boolean sound = disagrees(prefix);
        boolean shrink = sound && (alwaysShrink || SHRINKS.getAndDecrement() > 0);
        Trace shrunk = shrink ? Shrinker.shrink(prefix, this::disagrees) : prefix;
        Path file = dir.resolve(name + ".trace");
        List<String> header = new ArrayList<>();
        header.add("ptarena equivalence failure (" + original.source() + ")");
        if (shrink) {
            header.add(String.format(Locale.ROOT, "shrunk from %d to %d statements in %d tries",
                    lines.size(), shrunk.lines().size(), Shrinker.lastTries()));
        } else if (sound) {
            header.add("not shrunk: this run's shrinking budget (-Dptarena.shrinks) is spent");
        } else {
            header.add("UNSOUND: the trace fails on the oracle alone, so it was not shrunk");
        }
        header.add("rerun: " + rerun);
        header.add("replay: ./ptarena check " + fromCheckout(file));
        header.add("implementations: " + String.join(", ",
                impls.stream().map(PageTableOps::name).toList()));
        String text = TraceWriter.write(shrunk, header);
        // the report comes from the written text itself, so its line numbers are the file's
        Trace replay = TraceParser.parse(file.getFileName().toString(), text);
        TraceRunner.Result replayed = new TraceRunner(impls).run(replay);
        StringBuilder report = new StringBuilder("# report:\n");
        for (String l : replayed.report().split("\\R")) report.append("# ").append(l).append('\n');
        boolean replays;
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text + report, StandardCharsets.UTF_8);
            // parsed back from the disk: the file itself must fail again
            replays = !new TraceRunner(impls).run(TraceParser.parse(file)).passed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Failure(original.source(), lines.size(), shrunk, replayed, file, replays,
                sound, shrink);
    }

    /** {@code file} as seen from the checkout root, where {@code ./ptarena} lives. */
    private static Path fromCheckout(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        boolean inModule = cwd.getFileName() != null
                && cwd.getFileName().toString().equals("equivalence-tests");
        return inModule && !file.isAbsolute() ? Path.of("equivalence-tests").resolve(file) : file;
    }

    /**
     * An investigated failure.
     *
     * @param source     the original trace's source (names the seed)
     * @param original   statements in the original trace
     * @param shrunk     the shrunk trace
     * @param result     the shrunk trace's result
     * @param file       where the shrunk trace was written
     * @param replays    the written file, parsed back, fails again
     * @param sound      the failure is a disagreement, not a trace the oracle rejects
     * @param shrunkDone whether it was shrunk (see {@code -Dptarena.shrinks})
     */
    public record Failure(String source, int original, Trace shrunk, TraceRunner.Result result,
            Path file,
            boolean replays, boolean sound, boolean shrunkDone) {

        /** What a failing test prints. */
        public String message() {
            return String.format(Locale.ROOT, "%s: %s%n%s from %d to %d statements, written to %s"
                    + " (replays: %s)%n%s", source, sound ? "disagreement" : "unsound trace",
                    shrunkDone ? "shrunk" : "not shrunk, cut", original, shrunk.lines().size(),
                    file, replays ? "yes" : "NO", TraceWriter.write(shrunk))
                    + "report: " + result.report();
        }
    }
}

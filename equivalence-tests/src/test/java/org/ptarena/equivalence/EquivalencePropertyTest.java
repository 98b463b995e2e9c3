package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;

/**
 * The property: for every generated sequence, on every layout an implementation supports, the
 * three designs and the oracle agree after every statement on the full outcome (result or
 * exception, canonical dumps, counters, gather, walk visits) and the invariants hold. One dynamic
 * test per seed; a failure is shrunk and written to {@code target/ptarena-failures/SEED.trace}.
 * {@code -Dptarena.seed=0x…} reruns one seed, {@code -Dptarena.cases=N} sets the budget
 * (default 10,000; {@code -Pexhaustive} 100,000). The last dynamic test prints the coverage table
 * and fails if a required class was never hit ({@code -Dptarena.requireCoverage=false} turns that
 * off for the small budgets of mutation testing, and only that).
 */
class EquivalencePropertyTest {
    /** Implementations keep per-instance state (an iterator): one set per thread. */
    private static final ThreadLocal<Equivalence> EQUIVALENCE = ThreadLocal.withInitial(() ->
            new Equivalence(Apis.all()));

    @Test
    void allThreeDesignsAreOnTheClasspath() {
        assertEquals(List.of("legacy", "ptptr", "vpte"),
                EQUIVALENCE.get().impls().stream().map(PageTableOps::name).toList());
    }

    @TestFactory
    Stream<DynamicTest> everyImplementationAgreesWithTheOracle() {
        Long single = Seeds.single();
        int cases = Seeds.cases();
        Coverage total = new Coverage();
        AtomicInteger sequences = new AtomicInteger();
        AtomicLong statements = new AtomicLong();
        long started = System.nanoTime();
        Stream<DynamicTest> seeds = Parallel.tests(Seeds.stream(cases), seed -> {
            Outcome o = check(seed, total);
            statements.addAndGet(o.statements());
            sequences.incrementAndGet();
            return o.assertions();
        });
        if (single != null) return seeds;
        DynamicTest summary = dynamicTest("coverage of every class", () -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            String table = total.table();
            String line = String.format(Locale.ROOT,
                    "%d sequences, %d statements, %.1f s (%.2f ms a sequence),"
                    + " base seed %s%n", sequences.get(), statements.get(), seconds,
                    1000 * seconds / Math.max(1, sequences.get()),
                    System.getProperty("ptarena.baseSeed", Seeds.hex(Seeds.DEFAULT_BASE)));
            System.out.print(line + table);
            writeReport(cases, line + table);
            assertEquals(cases, sequences.get(), "sequences run");
            String require = System.getProperty("ptarena.requireCoverage", "true");
            if (!Boolean.parseBoolean(require)) return;
            List<String> missing = total.missing();
            assertTrue(missing.isEmpty(), "classes never hit: " + missing);
        });
        return Stream.concat(seeds, Stream.of(summary));
    }

    /** What one seed did, and the assertions to make for it on the test's thread. */
    record Outcome(int statements, Executable assertions) { }

    /** Runs one seed; on a failure, shrinks, writes, and returns a failure naming seed and file. */
    static Outcome check(long seed, Coverage total) {
        Equivalence equivalence = EQUIVALENCE.get();
        Trace trace = Generators.sequence(seed);
        Coverage coverage = Coverage.forRun(Geometries.byName(trace.geometry()));
        TraceRunner.Result result = equivalence.run(trace, coverage);
        coverage.statements(trace, result.statements());
        result.unsupported().keySet().forEach(coverage::unsupported);
        total.add(coverage);
        if (result.passed()) return new Outcome(result.statements(), () -> { });
        String hex = Seeds.hex(seed);
        Equivalence.Failure f = equivalence.investigate(hex, rerun(hex), trace, result,
                Equivalence.failureDir());
        return new Outcome(result.statements(), () -> fail("seed " + hex + " (" + trace.geometry()
                + "), rerun with -Dptarena.seed=" + hex + "\n" + f.message()));
    }

    static String rerun(String hex) {
        return "mvn -B -pl equivalence-tests test -Dtest=EquivalencePropertyTest -Dptarena.seed="
                + hex;
    }

    /** Writes the table to {@code target/ptarena-coverage-CASES.txt}. */
    private static void writeReport(int cases, String text) throws IOException {
        Path out = Path.of("target", "ptarena-coverage-" + cases + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }
}

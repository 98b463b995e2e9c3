package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Apis;
import org.ptarena.core.oracle.OracleEvents;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.ptptr.PlantedBug;
import org.ptarena.ptptr.PlantedOps;

/**
 * Proof that the property bites: for each planted fault ({@link PlantedBug}, a test-only copy of
 * one ptptr operation class with one change), the generated property finds a failing seed within
 * {@link #MAX_SEEDS} seeds; the failure is shrunk and written under
 * {@code target/ptarena-failures/planted/}; the written file, parsed back, fails again; and the
 * shrunk trace passes on the real ptptr, so it is the planted change that fails it.
 */
class PlantedBugsTest {
    /** The bound on seeds tried per planted fault. */
    static final int MAX_SEEDS = 4000;
    private static final Map<String, String> RESULTS = new ConcurrentSkipListMap<>();

    @Test
    void thePlantedCopiesWithoutAFaultAgreeWithTheOracle() {
        Equivalence faithful = new Equivalence(List.of(new PlantedOps(null)));
        SplittableRandom seeds = new SplittableRandom(0xfa17_4f01L);
        for (int i = 0; i < 300; i++) {
            long seed = seeds.nextLong();
            TraceRunner.Result r = faithful.run(Generators.sequence(seed), OracleEvents.NONE);
            assertTrue(r.passed(), "seed " + Seeds.hex(seed) + ": " + r.report());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPlantedBugIsCaughtShrunkAndReplayed() {
        return Arrays.stream(PlantedBug.values()).map(bug -> dynamicTest(bug.name(),
                () -> hunt(bug)));
    }

    private static void hunt(PlantedBug bug) {
        Equivalence planted = new Equivalence(List.of(new PlantedOps(bug)));
        SplittableRandom seeds = new SplittableRandom(0x91a47edL + bug.ordinal());
        for (int tried = 1; tried <= MAX_SEEDS; tried++) {
            long seed = seeds.nextLong();
            Trace trace = Generators.sequence(seed);
            TraceRunner.Result r = planted.run(trace, OracleEvents.NONE);
            if (r.passed()) continue;
            String name = bug.name().toLowerCase(Locale.ROOT) + "-" + Seeds.hex(seed);
            Equivalence.Failure f = planted.investigate(name,
                    "PlantedBugsTest, seed " + Seeds.hex(seed),
                    trace, r, Equivalence.failureDir().resolve("planted"), true);
            assertTrue(f.sound(), f.message());
            assertTrue(f.replays(), "the written trace does not fail again: " + f.message());
            Equivalence realPtptr = new Equivalence(List.of(Apis.byName("ptptr")));
            TraceRunner.Result real = realPtptr.run(f.shrunk(), OracleEvents.NONE);
            assertTrue(real.passed(),
                    "the shrunk trace fails the real ptptr too: " + real.report());
            String line = String.format(Locale.ROOT,
                    "%-22s seed %s (%4d tried, %-16s) shrunk %3d -> %2d statements, %s",
                    bug, Seeds.hex(seed), tried, trace.geometry(), trace.lines().size(),
                    f.shrunk().lines().size(),
                    f.file().getFileName());
            RESULTS.put(bug.name(), line);
            System.out.println("planted " + line);
            return;
        }
        fail(bug + " was not caught in " + MAX_SEEDS + " seeds");
    }

    @AfterAll
    static void printResults() {
        System.out.println("Planted faults, each caught, shrunk and replayed:");
        RESULTS.values().forEach(v -> System.out.println("  " + v));
    }
}

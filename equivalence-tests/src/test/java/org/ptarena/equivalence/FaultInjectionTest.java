package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;

/**
 * Fault injection: the k-th table allocation (random k) of {@code map}, {@code copy} and a
 * splitting {@code unmap} or {@code protect} fails. The oracle and every implementation must throw
 * the same exception and leave the same state, and no table may leak (the runner audits the arena
 * after every statement). The generator puts a {@code fault K} before six in ten of the statements
 * that may allocate ({@link Generators#faulty}); the suite fails unless the failure actually
 * struck each of the four operations.
 */
class FaultInjectionTest {
    private static final ThreadLocal<Equivalence> EQUIVALENCE = ThreadLocal.withInitial(() ->
            new Equivalence(Apis.all()));
    /** Sequences: {@code -Dptarena.faultCases}, default 400. */
    private static final int SEQUENCES = Integer.getInteger("ptarena.faultCases", 400);
    private static final String OOT = OutOfTablesException.class.getSimpleName();

    @TestFactory
    Stream<DynamicTest> anInjectedAllocationFailureLeavesTheSameStateEverywhereAndLeaksNothing() {
        Coverage total = new Coverage();
        Long single = Seeds.single();
        LongStream seeds = single != null ? LongStream.of(single)
                : LongStream.generate(new SplittableRandom(0xfa_0175L)::nextLong).limit(SEQUENCES);
        Stream<DynamicTest> tests = Parallel.tests(seeds, seed -> {
            Trace trace = Generators.faulty(seed);
            Coverage c = Coverage.forRun(Geometries.byName(trace.geometry()));
            TraceRunner.Result r = EQUIVALENCE.get().run(trace, c);
            total.add(c);
            if (r.passed()) return () -> { };
            Equivalence.Failure f = EQUIVALENCE.get().investigate("fault-" + Seeds.hex(seed),
                    "mvn -B -pl equivalence-tests test -Dtest=FaultInjectionTest -Dptarena.seed="
                            + Seeds.hex(seed),
                    trace, r, Equivalence.failureDir());
            return () -> fail(f.message());
        });
        if (single != null) return tests;
        return Stream.concat(tests,
                Stream.of(dynamicTest("the failure struck map, copy, unmap and protect", () -> {
            for (String op : List.of("map", "copy", "unmap", "protect")) {
                assertTrue(total.get("refused " + op + " " + OOT) > 0,
                        op + " never failed: " + total.counts());
            }
            assertTrue(total.get("split unmap to-leaves")
                    + total.get("split protect to-leaves") > 0);
        })));
    }

    @Test
    void aMapThatRunsOutOfTablesRemovesItsLeavesAndKeepsItsTables() {
        // allocations: PDPT, PD, PT for the page at 0x1ff000; the 2M leaf needs none; the page at
        // 0x400000 needs a second PT, the fourth allocation, which fails. A refusal that leaves
        // tables behind is no "fail" statement (those change nothing): the runner compares it.
        assertPasses("""
                geometry x86-64/4level
                mm A
                fault 4
                map A 0x1ff000 0x401000 pfn=0x1ff prot=rw-u policy=largest
                expect-none A 0x1ff000
                expect-none A 0x200000
                expect-rss A 0
                expect-tables A 2 1
                expect-tables A 1 1
                expect-tables A 0 1
                map A 0x1ff000 0x401000 pfn=0x1ff prot=rw-u policy=largest
                expect A 0x200000 order=9 pfn=0x200
                expect-tables A 0 2
                """);
    }

    @Test
    void aSplitThatRunsOutOfTablesKeepsTheLeafWholeAndWhatTheUnmapDidBeforeIt() {
        // the split of the 2M leaf needs a PT, the first allocation, which fails: the page at 0x0
        // is gone already, the leaf stays whole, the PT the split allocated is freed again
        assertPasses("""
                geometry x86-64/4level
                mm A
                map A 0x0 +4K pfn=0x1 prot=rw-u
                map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest
                fault 1
                unmap A 0x0 0x201000
                expect-none A 0x0
                expect A 0x200000 order=9 pfn=0x200
                expect-tables A 0 1
                expect-rss A 512
                """);
    }

    @Test
    void aCopyThatRunsOutOfTablesRemovesItsLeavesButTheSourceKeepsItsWriteProtection() {
        // B gets a PDPT, a PD and a PT on entering A's; the PD for 0x40000000 is the fourth
        assertPasses("""
                geometry x86-64/4level
                mm A
                mm B
                map A 0x0 +4K pfn=0x1 prot=rw-u
                map A 0x40000000 +4K pfn=0x2 prot=rw-u
                fault 4
                copy B A 0x0 +2G cow
                expect-none B 0x0
                expect-rss B 0
                expect A 0x0 order=0 prot=r--u
                expect A 0x40000000 order=0 prot=rw-u
                """);
    }

    private static void assertPasses(String text) {
        Trace t = TraceParser.parse("fault-injection", text);
        TraceRunner.Result r = EQUIVALENCE.get().run(t,
                Coverage.forRun(Geometries.byName(t.geometry())));
        assertTrue(r.passed(), r.report());
    }
}

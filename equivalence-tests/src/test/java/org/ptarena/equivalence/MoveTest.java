package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Apis;
import org.ptarena.core.Arena;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;

/**
 * {@code move} in every design at once, hand-worked (each trace states what must hold, and the
 * runner compares every step of every design with the oracle: state, gather, allocations) and
 * on seeded random traces. One contract test bound to each implementation, as JCTools does.
 */
class MoveTest {
    private static void agrees(String text) {
        TraceRunner.Result r = new TraceRunner(Apis.all())
                .run(TraceParser.parse("move.trace", text));
        assertTrue(r.passed(), r.report());
        assertTrue(r.unsupported().isEmpty(), r.unsupported().toString());
    }

    @Test
    void alignedPteTableMovesWholeAtThePmdStep() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x200000 +2M pfn=0x1000 prot=rw-u
                move A 0x200000 +2M 0x40000000
                expect A 0x40000000 order=0 pfn=0x1000
                expect A 0x401ff000 pfn=0x11ff
                expect-none A 0x200000
                expect-tables A 0 1
                expect-tables A 1 1
                """);
    }

    @Test
    void alignedPmdTableMovesWholeAtThePudStep() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x40000000 +1G pfn=0x200 prot=rw-u policy=largest
                move A 0x40000000 +1G 0x80000000
                expect A 0x80000000 order=9 pfn=0x200
                expect A 0xbfe00000 order=9 pfn=0x40000
                expect-tables A 1 1
                expect-tables A 0 0
                """);
    }

    @Test
    void foldedLevelsMoveTheirTablesToo() {
        agrees("""
                geometry x86/pae
                mm A
                map A 0x40000000 +1G pfn=0x200 prot=rw-u policy=largest
                move A 0x40000000 +1G 0x80000000
                expect A 0x80000000 order=9 pfn=0x200
                expect-tables A 1 1
                """);
        agrees("""
                geometry arm64/64k-42
                mm A
                map A 0x20000000 +4M pfn=0x20 prot=rw-u policy=largest
                move A 0x20000000 +512M 0x40000000
                expect A 0x40000000 order=5 pfn=0x20
                expect-none A 0x20000000
                expect-tables A 0 1
                """);
    }

    @Test
    void unalignedEntriesMoveOneByOne() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x1000 +12K pfn=0x10 prot=rw-u
                move A 0x1000 +12K 0x5000
                expect A 0x5000 pfn=0x10
                expect A 0x7000 pfn=0x12
                expect-none A 0x1000
                expect-tables A 0 1
                """);
    }

    @Test
    void hugeLeafMovesWholeWhenAlignedAndIsSplitOtherwise() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest
                move A 0x200000 +2M 0x600000
                expect A 0x600000 order=9 pfn=0x200
                expect-tables A 0 0
                move A 0x600000 +2M 0x801000
                expect A 0x801000 order=0 pfn=0x200
                expect A 0xa00000 order=0 pfn=0x3ff
                expect-none A 0x600000
                expect-tables A 0 2
                """);
    }

    @Test
    void runKeptWhenAlignedAndUnfoldedOtherwise() {
        agrees("""
                geometry arm64/4k-48
                mm A
                map A 0x10000 +64K pfn=0x10 prot=rw-u policy=largest
                touch A 0x15000 write
                move A 0x10000 +64K 0x30000
                expect A 0x30000 order=4 pfn=0x10 dirty=1
                move A 0x30000 +64K 0x41000
                expect A 0x41000 order=0 pfn=0x10 young=1 dirty=1
                expect A 0x50000 order=0 pfn=0x1f dirty=1
                """);
    }

    @Test
    void partOfAHugeLeafOrRunIsSplitFirst() {
        agrees("""
                geometry arm64/4k-48
                mm A
                map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest
                map A 0x410000 +64K pfn=0x10 prot=r--u policy=largest
                move A 0x3ff000 0x412000 0x40000000
                expect A 0x200000 order=0 pfn=0x200
                expect A 0x40000000 order=0 pfn=0x3ff
                expect A 0x40011000 order=0 pfn=0x10
                expect A 0x40012000 order=0 pfn=0x11
                expect A 0x412000 order=0 pfn=0x12
                """);
    }

    @Test
    void overlapAndOccupiedDestinationAreRefused() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x1000 +8K pfn=0x10 prot=rw-u
                fail move A 0x1000 +8K 0x2000
                fail move A 0x1000 +8K 0x0
                fail move A 0x1000 +8K 0x1000
                map A 0x6000 +4K pfn=0x20 prot=rw-u
                fail move A 0x1000 +4K 0x6000
                map A 0x400000 +4K pfn=0x30 prot=rw-u
                unmap A 0x400000 +4K
                fail move A 0x1000 +2M 0x400000
                fail move A 0x1000 +8K 0xfffffffff000
                expect A 0x1000 pfn=0x10
                """);
    }

    @Test
    void youngAndDirtyAreKept() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x1000 +8K pfn=0x10 prot=rw-u
                touch A 0x1000 write
                move A 0x1000 +8K 0x9000
                expect A 0x9000 young=1 dirty=1
                expect A 0xa000 dirty=0
                """);
    }

    @Test
    void anAllocationFailureLeavesWhatWasMovedMoved() {
        agrees("""
                geometry x86-64/4level
                mm A
                map A 0x1000 +12K pfn=0x10 prot=rw-u
                map A 0x201000 +12K pfn=0x20 prot=rw-u
                fault 3
                move A 0x1000 0x204000 0x40001000
                expect A 0x40001000 pfn=0x10
                expect-none A 0x1000
                expect A 0x201000 pfn=0x20
                expect-tables A 0 3
                """);
    }

    @Test
    void emptiedSourceTablesAreFreedAndTheGatherCoversTheSource() {
        for (PageTableOps ops : Apis.all()) {
            Mm mm = new Mm(Geometries.X86_64_4LEVEL, new Arena());
            ops.map(mm, 0x1000, 0x3000, 0x10, Prot.R | Prot.W | Prot.U, MapPolicy.BASE);
            TlbGather tlb = new TlbGather();
            String who = ops.name();
            assertEquals(2, ops.move(mm, 0x1000, 0x3000, 0x40000000L, tlb), who);
            assertEquals(1, mm.tables(0), who); // the old PT is gone, a new one holds the pages
            assertEquals(1, mm.tables(1), who);
            assertEquals(2, tlb.tablesFreed(), who);   // the old PT and PD
            assertEquals(0x1000, tlb.start(), who);
            assertEquals(0x3000, tlb.end(), who);
            assertEquals(0, tlb.releasedCount(), who);
        }
    }

    @Test
    void everyDesignIsPresent() {
        assertEquals(List.of("legacy", "ptptr", "vpte"),
                Apis.all().stream().map(PageTableOps::name).toList());
    }

    @Test
    void theMoveExampleTraceAgrees() throws java.io.IOException {
        agrees(java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples",
                "10-move.trace")));
    }

    @Test
    void randomTracesWithMovesAgreeWithTheOracle() {
        for (String geometry : MoveTraces.GEOMETRIES) {
            for (long seed = 1; seed <= 15; seed++) {
                Trace t = MoveTraces.make(seed * 7919 + geometry.hashCode(), geometry, 40);
                TraceRunner.Result r = new TraceRunner(Apis.all()).run(t);
                assertTrue(r.passed(), geometry + " seed " + seed + ": " + r.report());
            }
        }
    }
}

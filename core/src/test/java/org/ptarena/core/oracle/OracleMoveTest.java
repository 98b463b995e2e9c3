package org.ptarena.core.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/** The oracle's {@code move} ({@code move_page_tables}) on hand-worked cases. */
class OracleMoveTest {
    static final int RWU = Prot.R | Prot.W | Prot.U;
    static final long K4 = 0x1000;
    static final long K64 = 0x10000;
    static final long M2 = 0x200000;
    static final long G1 = 1L << 30;
    static final Geometry X86 = Geometries.X86_64_4LEVEL;
    static final Geometry ARM = Geometries.ARM64_4K_48;

    final Oracle oracle = new Oracle();
    final TlbGather tlb = new TlbGather();

    static long[] tables(OracleMm mm) {
        long[] t = new long[mm.geometry().levels()];
        for (int l = 0; l < t.length; l++) t[l] = mm.tables(l);
        return t;
    }

    @Test
    void alignedPteTableMovesWholeAndTheEmptiedPdIsFreed() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, 2 * M2, 0x1000, RWU, MapPolicy.BASE);
        assertEquals(512, oracle.move(a, M2, 2 * M2, G1, tlb));
        // the PT moved (no new PT); a PD for [1G, 2G) was allocated, the one for [0, 1G) freed
        assertEquals("[1, 1, 1, 1]", java.util.Arrays.toString(tables(a)));
        assertEquals(0x1000, a.unitAt(G1).pfn());
        assertEquals(0x11ff, a.unitAt(G1 + M2 - K4).pfn());
        assertNull(a.unitAt(M2));
        assertEquals(512, a.rss());
        assertEquals(M2, tlb.start());
        assertEquals(2 * M2, tlb.end());
        assertEquals(0b10, tlb.levels());      // the PD entry changed, no leaf was walked
        assertEquals(1, tlb.tablesFreed());
        assertEquals(0, tlb.releasedCount());
    }

    @Test
    void alignedPmdTableMovesWholeAtThePudLevel() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, G1, 2 * G1, 0x200, RWU, MapPolicy.LARGEST);   // 512 2M leaves in one PD
        assertEquals(1, a.tables(1));
        assertEquals(G1 >>> 12, oracle.move(a, G1, 2 * G1, 2 * G1, tlb));
        assertEquals("[0, 1, 1, 1]", java.util.Arrays.toString(tables(a)));
        assertEquals(9, a.unitAt(2 * G1).order());
        assertEquals(0x200, a.unitAt(2 * G1).pfn());
        assertEquals(0b100, tlb.levels());
        assertEquals(0, tlb.tablesFreed());
    }

    @Test
    void aPdptNeverMovesWholeButItsPdsDo() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        long t512 = 512 * G1;
        oracle.move(a, 0, t512, t512, tlb);
        // a new PDPT for [512G, 1T) took the PD; the old PDPT, now empty, was freed
        assertEquals("[0, 1, 1, 1]", java.util.Arrays.toString(tables(a)));
        assertEquals(0x200, a.unitAt(t512 + M2).pfn());
        assertEquals(0b100, tlb.levels());
        assertEquals(0, tlb.start());
        assertEquals(G1, tlb.end());
        assertEquals(1, tlb.tablesFreed());
    }

    @Test
    void unalignedEntriesMoveOneByOneInsideOneTable() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, K4, 4 * K4, 0x10, RWU, MapPolicy.BASE);
        assertEquals(3, oracle.move(a, K4, 4 * K4, 5 * K4, tlb));
        assertNull(a.unitAt(K4));
        assertEquals(0x10, a.unitAt(5 * K4).pfn());
        assertEquals(0x12, a.unitAt(7 * K4).pfn());
        assertEquals(1, a.tables(0));           // the PT holds the moved pages: not freed
        assertEquals(K4, tlb.start());
        assertEquals(4 * K4, tlb.end());
        assertEquals(1, tlb.levels());
        assertEquals(0, tlb.tablesFreed());
    }

    @Test
    void hugeLeafMovesWholeWhenAlignedAndIsSplitOtherwise() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        oracle.move(a, M2, 2 * M2, 3 * M2, tlb);
        assertEquals(9, a.unitAt(3 * M2).order());
        assertEquals(0, a.tables(0));
        tlb.reset();
        oracle.move(a, 3 * M2, 4 * M2, 4 * M2 + K4, tlb);
        assertEquals(0, a.unitAt(4 * M2 + K4).order());
        assertEquals(0x200, a.unitAt(4 * M2 + K4).pfn());
        assertEquals(0x3ff, a.unitAt(5 * M2).pfn());
        // the split's PT emptied and freed; two destination PTs
        assertEquals(2, a.tables(0));
        assertEquals(1, tlb.tablesFreed());
        assertEquals(0b11, tlb.levels());
    }

    @Test
    void runKeptWhenAlignedWithYoungAndDirtyOredAndUnfoldedOtherwise() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, K64, 2 * K64, 0x10, RWU, MapPolicy.LARGEST);
        assertTrue(oracle.touch(a, K64 + 5 * K4, true));
        oracle.move(a, K64, 2 * K64, 3 * K64, tlb);
        Unit run = a.unitAt(3 * K64);
        assertTrue(run.contiguous());
        assertEquals(4, run.order());
        for (int i = 0; i < 16; i++) assertTrue(run.dirty(i), "entry " + i);
        tlb.reset();
        oracle.move(a, 3 * K64, 4 * K64, 4 * K64 + K4, tlb);
        Unit u = a.unitAt(4 * K64 + K4);
        assertFalse(u.contiguous());
        assertEquals(0x10, u.pfn());
        assertTrue(u.dirty(0));
        assertEquals(3 * K64, tlb.start());     // the unfold, then 16 single pages
    }

    @Test
    void tableMovedWholeKeepsYoungAndDirtyPerEntry() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, 0, M2, 0x10, RWU, MapPolicy.LARGEST);    // 32 runs of 16 in one PT
        assertTrue(oracle.touch(a, 3 * K4, true));
        oracle.move(a, 0, M2, G1, tlb);
        Unit run = a.unitAt(G1);
        assertTrue(run.dirty(3));
        assertFalse(run.dirty(2));
    }

    @Test
    void youngAndDirtyOfASinglePageAreKept() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, K4, 2 * K4, 0x10, RWU, MapPolicy.BASE);
        assertTrue(oracle.touch(a, K4, true));
        oracle.move(a, K4, 2 * K4, 9 * K4, tlb);
        assertTrue(a.unitAt(9 * K4).dirty(0));
        assertTrue(a.unitAt(9 * K4).young(0));
    }

    @Test
    void overlappingRangesAreRefused() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, K4, 3 * K4, 0x10, RWU, MapPolicy.BASE);
        assertThrows(IllegalArgumentException.class, () -> oracle.move(a, K4, 3 * K4, 2 * K4, tlb));
        assertThrows(IllegalArgumentException.class, () -> oracle.move(a, K4, 3 * K4, 0, tlb));
        assertThrows(IllegalArgumentException.class, () -> oracle.move(a, K4, 3 * K4, K4, tlb));
        assertThrows(IllegalArgumentException.class,
                () -> oracle.move(a, K4, 3 * K4, X86.vaEnd() - K4, tlb));
        assertEquals(0x10, a.unitAt(K4).pfn());
        assertTrue(tlb.isEmpty());
    }

    @Test
    void occupiedDestinationIsRefused() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, K4, 2 * K4, 0x10, RWU, MapPolicy.BASE);
        oracle.map(a, 6 * K4, 7 * K4, 0x20, RWU, MapPolicy.BASE);
        OverlapException e = assertThrows(OverlapException.class,
                () -> oracle.move(a, K4, 2 * K4, 6 * K4, tlb));
        assertTrue(e.getMessage().contains("0x6000"), e.getMessage());
        oracle.map(a, 2 * M2, 2 * M2 + K4, 0x30, RWU, MapPolicy.BASE);
        oracle.unmap(a, 2 * M2, 2 * M2 + K4, false, tlb);      // an empty PT stays
        assertThrows(OverlapException.class, () -> oracle.move(a, K4, M2 + K4, 2 * M2, tlb));
        assertEquals(0x10, a.unitAt(K4).pfn());
    }

    @Test
    void anAllocationFailureLeavesWhatWasMovedMovedAndFreesNothing() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, K4, 4 * K4, 0x10, RWU, MapPolicy.BASE);
        oracle.map(a, M2 + K4, M2 + 4 * K4, 0x20, RWU, MapPolicy.BASE);
        oracle.failAfter(3);   // PD [1G, 2G), PT [1G, 1G+2M), then the PT for [1G+2M, 1G+4M)
        assertThrows(OutOfTablesException.class,
                () -> oracle.move(a, K4, M2 + 4 * K4, G1 + K4, tlb));
        assertEquals(0x10, a.unitAt(G1 + K4).pfn());
        assertEquals(0x12, a.unitAt(G1 + 3 * K4).pfn());
        assertNull(a.unitAt(K4));
        assertEquals(0x20, a.unitAt(M2 + K4).pfn());        // not reached
        assertEquals("[3, 2, 1, 1]", java.util.Arrays.toString(tables(a)));
        assertEquals(0, tlb.tablesFreed());
    }
}

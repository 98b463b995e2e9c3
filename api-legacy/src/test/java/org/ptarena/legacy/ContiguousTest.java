package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.legacy.Fixture.G;
import static org.ptarena.legacy.Fixture.K;
import static org.ptarena.legacy.Fixture.M;
import static org.ptarena.legacy.Fixture.RO;
import static org.ptarena.legacy.Fixture.RW;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Mm;

/**
 * arm64 contpte: runs built whole, kept on whole cover, unfolded on partial cover with A/D ORed.
 */
class ContiguousTest {

    /** The raw entry of the PTE covering {@code va}. */
    private static long pte(Mm mm, long va) {
        int pgd = Levels.pgdOffset(mm, va);
        int pmd = Levels.pmdOffset(mm, Levels.pudOffset(mm, Levels.p4dOffset(mm, pgd, va), va), va);
        return mm.get(Levels.pteOffset(mm, pmd, va));
    }

    @Test
    void aPteRunIsOneUnitAndTouchMarksOneEntry() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 64 * K, 72 * K, 0x100, RW, true);
        w.expect(mm, 64 * K, 4, 0x100, RW, true, false);
        w.expect(mm, 124 * K, 4, 0x10f, RW, true, false);
        w.expect(mm, 128 * K, 0, 0x110, RW, true, false);
        assertEquals(18, mm.rss());
        assertTrue(mm.format().contig(0, pte(mm, 64 * K)));
        assertFalse(mm.format().contig(0, pte(mm, 128 * K)));

        assertTrue(w.ops.touch(mm, 0x13000, true));
        assertTrue(mm.format().dirty(0, pte(mm, 0x13000)));
        assertFalse(mm.format().dirty(0, pte(mm, 0x10000)), "touch marks the one entry it hits");
        w.expect(mm, 0x10000, 4, 0x100, RW, true, true);
        List<Long> dirty = new java.util.ArrayList<>();
        w.ops.walk(mm, 0x1f000, 0x20000,
                (a, o, l, e) -> dirty.add(mm.format().dirty(l, e) ? a : -a));
        assertEquals(List.of(0x10000L), dirty,
                "walk from the run's last page: one visit at its start, dirty ORed");
    }

    @Test
    void partialProtectUnfoldsTheRunAndEveryEntryGetsTheOr() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 0x10000, 64 * K, 0x100, RW, true);
        w.ops.touch(mm, 0x13000, true);
        assertEquals(4, w.protect(mm, 0x14000, 0x4000, RO));
        w.expect(mm, 0x10000, 0, 0x100, RW, true, true);
        w.expect(mm, 0x14000, 0, 0x104, RO, true, true);
        w.expect(mm, 0x17000, 0, 0x107, RO, true, true);
        w.expect(mm, 0x18000, 0, 0x108, RW, true, true);
        for (long va = 0x10000; va < 0x20000; va += 0x1000) {
            assertFalse(mm.format().contig(0, pte(mm, va)));
        }
        assertEquals(16, w.walk(mm, 0, 2 * M).size());
        assertEquals(0x10000, w.tlb.start());
        assertEquals(0x20000, w.tlb.end());
    }

    @Test
    void wholeProtectKeepsTheRunAndFlushesItOnce() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 0x20000, 64 * K, 0x200, RW, true);
        assertEquals(16, w.protect(mm, 0x20000, 64 * K, RO));
        w.expect(mm, 0x2f000, 4, 0x20f, RO, true, false);
        assertEquals(0, w.protect(mm, 0x20000, 64 * K, RO),
                "already at that prot: nothing changes");
        assertTrue(w.tlb.isEmpty());
    }

    @Test
    void aPmdRunUnfoldsWhenOneBlockIsUnmapped() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 32 * M, 32 * M, 0x2000, RO, true);
        w.expectOrder(mm, 32 * M, 13, 0x2000);
        w.expectOrder(mm, 64 * M - 0x1000, 13, 0x3fff);
        w.expectTables(mm, 1, 1, 1, 0);
        w.ops.touch(mm, 40 * M, false);

        assertEquals(512, w.unmap(mm, 34 * M, 2 * M, false));
        w.expect(mm, 32 * M, 9, 0x2000, RO, true, false);
        w.expectNone(mm, 34 * M);
        w.expect(mm, 36 * M, 9, 0x2400, RO, true, false);
        assertEquals(1, w.tlb.releasedCount());
        assertEquals(0x2200, w.tlb.releasedPfn(0));
        assertEquals(9, w.tlb.releasedOrder(0));
        assertEquals(32 * M, w.tlb.start());
        assertEquals(64 * M, w.tlb.end());
        assertEquals(15 * 512, mm.rss());
    }

    @Test
    void aPartialCoverOfABlockInARunUnfoldsThenSplits() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 32 * M, 32 * M, 0x2000, RW, true);
        assertEquals(1, w.protect(mm, 36 * M + 0x1000, 0x1000, RO));
        w.expectOrder(mm, 32 * M, 9, 0x2000);
        w.expect(mm, 36 * M, 0, 0x2400, RW, true, false);
        w.expect(mm, 36 * M + 0x1000, 0, 0x2401, RO, true, false);
        w.expectOrder(mm, 38 * M, 9, 0x2600);
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(0b11, w.tlb.levels());
    }

    @Test
    void unmapOfAWholeRunReleasesOneUnit() {
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        w.map(mm, 0x10000, 128 * K, 0x100, RW, true);
        assertEquals(32, w.unmap(mm, 0x10000, 128 * K, true));
        assertEquals(2, w.tlb.releasedCount());
        assertEquals(0x110, w.tlb.releasedPfn(1));
        assertEquals(4, w.tlb.releasedOrder(1));
        w.expectTables(mm, 1, 0, 0, 0);
    }

    /** Runs in a 2-level root table (64K granule: PMD×32, 16G) are stepped over by the PGD loop. */
    @Test
    void runsInTheRootTableOfATwoLevelGeometry() {
        Fixture w = new Fixture("arm64/64k-42");
        Mm mm = w.mm();
        long g16 = 16 * G;
        w.map(mm, g16, g16, 1L << 18, RW, true);
        w.expectOrder(mm, g16, 18, 1L << 18);
        w.expectTables(mm, 1, 0);
        assertEquals(List.of("0x400000000/18/1"), w.walk(mm, 0, 1L << 42));
        assertEquals(1L << 18, w.protect(mm, g16, g16, RO));
        w.expectOrder(mm, 2 * g16 - 0x10000, 18, (1L << 19) - 1);
        assertEquals(8192, w.unmap(mm, g16 + 512 * M, 512 * M, true));
        w.expectOrder(mm, g16, 13, 1L << 18);
        w.expectNone(mm, g16 + 512 * M);
        w.expectTables(mm, 1, 0);
    }

    /** Root-level runs on a folded 4-level layout: the PGD loop, not the folded P4D, owns them. */
    @Test
    void runsInTheRootTableOfAFourLevelGeometry() {
        Fixture w = new Fixture("generic/12/4Lc4,9L,9L,9");
        Mm mm = w.mm();
        long slot = 1L << 39;
        w.map(mm, 4 * slot, 4 * slot, 1L << 29, RW, true);
        w.expectOrder(mm, 4 * slot, 29, 1L << 29);
        w.expectTables(mm, 1, 0, 0, 0);
        assertEquals(List.of("0x20000000000/29/3"), w.walk(mm, 5 * slot, 6 * slot));
        assertEquals(1, w.protect(mm, 5 * slot, 0x1000, RO));
        w.expectOrder(mm, 4 * slot, 27, 1L << 29);
        w.expect(mm, 5 * slot, 0, (1L << 29) + (1L << 27), RO, true, false);
        w.expectOrder(mm, 5 * slot + 0x1000, 0, (1L << 29) + (1L << 27) + 1);
        w.expectOrder(mm, 5 * slot + 2 * M, 9, (1L << 29) + (1L << 27) + 512);
        w.expectOrder(mm, 5 * slot + G, 18, (1L << 29) + (1L << 27) + (1 << 18));
        w.expectOrder(mm, 6 * slot, 27, (1L << 29) + (2L << 27));
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(0b1111, w.tlb.levels());
    }
}

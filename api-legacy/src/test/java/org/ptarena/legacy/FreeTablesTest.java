package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptarena.legacy.Fixture.G;
import static org.ptarena.legacy.Fixture.M;
import static org.ptarena.legacy.Fixture.RW;

import org.junit.jupiter.api.Test;
import org.ptarena.core.Mm;

/** free_pgtables: every emptied table whose span meets the range goes, never the root. */
class FreeTablesTest {

    @Test
    void unmapWithoutFreeKeepsEmptiedTables() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, G + 2 * M, 0x1000, 1, RW, false);
        w.unmap(mm, G + 2 * M, 0x1000, false);
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(0, w.tlb.tablesFreed());
    }

    @Test
    void unmapFreesEmptyTablesButNeverTheRoot() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, G + 2 * M, 0x1000, 1, RW, false);
        w.unmap(mm, G + 2 * M, 0x1000, false);
        // an unmap with free over nothing mapped still frees the empty tables it meets
        w.unmap(mm, G + 2 * M + 0x5000, 0x1000, true);
        w.expectTables(mm, 1, 0, 0, 0);
        assertEquals(3, w.tlb.tablesFreed());
        w.unmap(mm, 0, 1L << 48, true);
        w.expectTables(mm, 1, 0, 0, 0);
    }

    @Test
    void aTableStillHoldingLeavesOutsideTheRangeStays() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, 0, 8 * M, 0, RW, false);                 // 4 PTE tables, one PMD table
        assertEquals(512 + 256, w.unmap(mm, 2 * M, 3 * M, true));
        // the PTE table of [2M, 4M) emptied and went; the one of [4M, 6M) keeps its upper half
        w.expectTables(mm, 1, 1, 1, 3);
        assertEquals(1, w.tlb.tablesFreed());
        w.expectNone(mm, 4 * M);
        w.expectOrder(mm, 5 * M, 0, 0x500);
        w.expectOrder(mm, 2 * M - 0x1000, 0, 0x1ff);
        assertEquals(3 * 512 - 256, w.unmap(mm, 0, 8 * M, true));
        w.expectTables(mm, 1, 0, 0, 0);
    }

    @Test
    void freeingAtEveryDepthStopsAtTheRoot() {
        for (String name : new String[] {"generic/12/9,9", "generic/12/9,9,9", "generic/12/9,9,9,9",
            "generic/12/9,9,9,9,9"}) {
            Fixture w = new Fixture(name);
            Mm mm = w.mm();
            long top = w.geometry.vaEnd();
            w.map(mm, top - 0x2000, 0x2000, 7, RW, false);
            w.map(mm, 0, 0x1000, 9, RW, false);
            long[] counts = new long[w.geometry.levels()];
            java.util.Arrays.fill(counts, 2);
            counts[0] = 1;
            w.expectTables(mm, counts);
            w.unmap(mm, top - 0x1000, 0x1000, true);
            w.expectTables(mm, counts);
            w.unmap(mm, top - 0x2000, 0x1000, true);
            java.util.Arrays.fill(counts, 1);
            w.expectTables(mm, counts);
            assertEquals(w.geometry.levels() - 1, w.tlb.tablesFreed(), name);
        }
    }
}

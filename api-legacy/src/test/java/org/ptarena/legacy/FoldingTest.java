package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;

/**
 * Folding of missing levels at each depth, as pgtable-nop4d.h, -nopud.h and -nopmd.h do it:
 * a folded level's offset is its parent's slot, its addr_end is end, and it allocates nothing.
 */
class FoldingTest {

    /**
     * depth, geometry, then the geometry level of PGD, P4D, PUD, PMD and which of P4D/PUD/PMD fold.
     */
    @ParameterizedTest(name = "{0} levels: {1}")
    @CsvSource({
        "2, 'generic/12/9,9',         1, 1, 1, 1, true,  true,  true",
        "2, arm64/64k-42,           1, 1, 1, 1, true,  true,  true",
        "3, 'generic/12/9,9,9',       2, 2, 2, 1, true,  true,  false",
        "3, riscv/sv39,             2, 2, 2, 1, true,  true,  false",
        "4, 'generic/12/9,9,9,9',     3, 3, 2, 1, true,  false, false",
        "4, x86-64/4level,          3, 3, 2, 1, true,  false, false",
        "5, 'generic/12/9,9,9,9,9',   4, 3, 2, 1, false, false, false",
        "5, x86-64/5level,          4, 3, 2, 1, false, false, false",
    })
    void levelsMapAndFoldFromTheTop(int depth, String name, int pgd, int p4d, int pud, int pmd,
                                    boolean p4dFolded, boolean pudFolded, boolean pmdFolded) {
        Fixture w = new Fixture(name);
        assertEquals(depth, w.geometry.levels());
        Mm mm = w.mm();
        assertEquals(pgd, Levels.pgdLevel(mm));
        assertEquals(p4d, Levels.p4dLevel(mm));
        assertEquals(pud, Levels.pudLevel(mm));
        assertEquals(pmd, Levels.pmdLevel(mm));
        assertEquals(p4dFolded, Levels.p4dFolded(mm));
        assertEquals(pudFolded, Levels.pudFolded(mm));
        assertEquals(pmdFolded, Levels.pmdFolded(mm));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"generic/12/9,9", "generic/12/9,9,9", "generic/12/9,9,9,9",
            "generic/12/9,9,9,9,9"})
    void foldedOffsetIsTheParentSlotAndAddrEndIsEnd(String name) {
        Fixture w = new Fixture(name);
        Geometry g = w.geometry;
        Mm mm = w.mm();
        EntryFormat f = mm.format();
        // index 1 at the root, 2 below it, and so on: every slot differs from its parent's
        long va = 0;
        for (int lvl = g.rootLevel(); lvl >= 0; lvl--) {
            va |= (long) (g.rootLevel() - lvl + 1) << g.spanShift(lvl);
        }
        w.map(mm, va, g.pageSize(), 0x42, Fixture.RW, false);
        long[] tablesRootFirst = new long[g.levels()];
        java.util.Arrays.fill(tablesRootFirst, 1);
        w.expectTables(mm, tablesRootFirst);

        int pgd = Levels.pgdOffset(mm, va);
        assertEquals(mm.root() + 1, pgd);
        int p4d = Levels.p4dOffset(mm, pgd, va);
        int pud = Levels.pudOffset(mm, p4d, va);
        int pmd = Levels.pmdOffset(mm, pud, va);
        int pte = Levels.pteOffset(mm, pmd, va);
        int[] slots = {pgd, p4d, pud, pmd};
        boolean[] folded = {false, Levels.p4dFolded(mm), Levels.pudFolded(mm),
                Levels.pmdFolded(mm)};
        for (int k = 1; k < 4; k++) {
            if (folded[k]) assertEquals(slots[k - 1], slots[k], "folded level " + k + " slot");
            else assertNotEquals(slots[k - 1], slots[k], "level " + k + " slot");
        }
        assertEquals(0x42, f.pfn(0, mm.get(pte)));
        assertTrue(f.leaf(0, mm.get(pte)));

        long end = g.vaEnd();
        long[] ends = {Levels.pgdAddrEnd(mm, va, end), Levels.p4dAddrEnd(mm, va, end),
            Levels.pudAddrEnd(mm, va, end), Levels.pmdAddrEnd(mm, va, end)};
        int[] levels = {Levels.pgdLevel(mm), Levels.p4dLevel(mm), Levels.pudLevel(mm),
                Levels.pmdLevel(mm)};
        for (int k = 0; k < 4; k++) {
            long expected = folded[k] ? end : g.entryStart(levels[k], va) + g.span(levels[k]);
            assertEquals(expected, ends[k], "addr_end of named level " + (4 - k));
        }
        // the alloc of a folded level returns its parent's slot and allocates nothing
        long before = w.arena.allocations();
        assertEquals(pgd, folded[1] ? Levels.p4dAlloc(mm, pgd, va) : pgd);
        assertEquals(before, w.arena.allocations());

        assertEquals(1, w.unmap(mm, va, g.pageSize(), true));
        long[] rootOnly = new long[g.levels()];
        rootOnly[0] = 1;
        w.expectTables(mm, rootOnly);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"generic/12/9,9", "generic/12/9,9,9", "generic/12/9,9,9,9",
            "generic/12/9,9,9,9,9"})
    void everyOperationWorksAtEveryDepth(String name) {
        Fixture w = new Fixture(name);
        Geometry g = w.geometry;
        Mm a = w.mm();
        long span1 = g.span(1);                       // one PTE table's worth
        long base = g.span(g.rootLevel());            // root slot 1
        assertEquals(2 * span1 / g.pageSize(),
                w.map(a, base - span1, 2 * span1, 0x1000, Fixture.RW, false));
        assertEquals(2 * span1 / g.pageSize(), a.rss());
        long below = base - g.pageSize();
        long belowPfn = 0x1000 + span1 / g.pageSize() - 1;
        w.expect(a, below, 0, belowPfn, Fixture.RW, true, false);
        w.expect(a, base, 0, 0x1000 + span1 / g.pageSize(), Fixture.RW, true, false);
        assertEquals(span1 / g.pageSize(), w.protect(a, base, span1, Fixture.RO));
        w.expect(a, base, 0, 0x1000 + span1 / g.pageSize(), Fixture.RO, true, false);
        assertTrue(w.ops.touch(a, below, true));
        assertTrue(!w.ops.touch(a, base, true));
        Mm b = w.mm();
        w.tlb.reset();
        assertEquals(2 * span1 / g.pageSize(), w.ops.copy(b, a, 0, g.vaEnd(), true, w.tlb));
        w.expect(b, below, 0, belowPfn, Fixture.RO, false, true);
        w.expect(a, below, 0, belowPfn, Fixture.RO, true, true);
        assertEquals(2 * span1 / g.pageSize(), w.walk(b, 0, g.vaEnd()).size());
        assertEquals(2 * span1 / g.pageSize(), w.unmap(b, 0, g.vaEnd(), true));
        long[] rootOnly = new long[g.levels()];
        rootOnly[0] = 1;
        assertEquals(0, b.rss());
        for (int lvl = 0; lvl < g.rootLevel(); lvl++) assertEquals(0, b.tables(lvl));
        assertEquals(java.util.List.of(), w.arena.audit(w.spaces));
    }
}

package org.ptarena.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class LeavesTest {

    /** Installs a huge leaf by hand at {@code level} under fresh tables, returning its slot. */
    static int hugeLeafSlot(Mm mm, int level, long addr, long pfn, int prot) {
        EntryFormat f = mm.format();
        int table = mm.root();
        for (int l = mm.geometry().rootLevel(); l > level; l--) {
            int slot = table + mm.geometry().index(l, addr);
            int child = mm.allocTable(l - 1);
            mm.set(slot, f.makeTable(l, child));
            table = child;
        }
        int slot = table + mm.geometry().index(level, addr);
        mm.set(slot, f.makeLeaf(level, pfn, prot));
        return slot;
    }

    @Test
    void splitOfA2MLeafGivesItsChildrenItsPfnsProtAndBits() {
        Mm mm = new Mm(Geometries.X86_64_4LEVEL, new Arena());
        EntryFormat f = mm.format();
        int slot = hugeLeafSlot(mm, 1, 0x40000000L, 0x80000, Prot.R | Prot.W | Prot.U);
        mm.set(slot, f.mkdirty(1, mm.get(slot)));
        TlbGather tlb = new TlbGather();
        long t = Leaves.splitLeaf(mm, slot, 1, 0x40123000L, tlb);
        assertTrue(f.table(1, t));
        int pt = f.tablePtr(1, t);
        for (int i = 0; i < 512; i++) {
            long e = mm.get(pt + i);
            assertTrue(f.leaf(0, e));
            assertEquals(0x80000 + i, f.pfn(0, e));
            assertEquals(Prot.R | Prot.W | Prot.U, f.prot(0, e));
            assertTrue(f.young(0, e) && f.dirty(0, e), "children inherit young and dirty");
        }
        assertEquals(0x40000000L, tlb.start());
        assertEquals(0x40200000L, tlb.end());
        assertEquals(0b10, tlb.levels());
        assertEquals(List.of(), mm.arena().audit(List.of(mm)));
    }

    @Test
    void splitWhereTheNextLevelMayNotHoldLeavesBuildsTablesDownToOneThatMay() {
        Geometry g =
                Geometries.byName(
                        "generic/12/4,3L,3,3"); // level 2 may hold leaves, level 1 may not
        Mm mm = new Mm(g, new Arena());
        int slot = hugeLeafSlot(mm, 2, 0, 0x100, Prot.R | Prot.U);
        long before = mm.arena().allocations();
        long t = Leaves.splitLeaf(mm, slot, 2, 0, new TlbGather());
        assertEquals(
                1 + 8, mm.arena().allocations() - before, "one level-1 table and 8 level-0 tables");
        EntryFormat f = mm.format();
        int l1 = f.tablePtr(2, t);
        int l0 = f.tablePtr(1, mm.get(l1 + 3));
        assertEquals(0x100 + 3 * 8 + 5, f.pfn(0, mm.get(l0 + 5)));
        assertEquals(List.of(), mm.arena().audit(List.of(mm)));
    }

    @Test
    void failedSplitLeavesTheLeafAndLeaksNothing() {
        Geometry g = Geometries.byName("generic/12/4,3L,3,3");
        Mm mm = new Mm(g, new Arena());
        int slot = hugeLeafSlot(mm, 2, 0, 0x100, Prot.R | Prot.U);
        long leaf = mm.get(slot);
        long tables = mm.tables(0) + mm.tables(1);
        mm.arena().failAfter(5);
        TlbGather tlb = new TlbGather();
        assertThrows(OutOfTablesException.class, () -> Leaves.splitLeaf(mm, slot, 2, 0, tlb));
        assertEquals(leaf, mm.get(slot));
        assertEquals(tables, mm.tables(0) + mm.tables(1));
        assertTrue(tlb.isEmpty());
        assertEquals(List.of(), mm.arena().audit(List.of(mm)));
    }

    @Test
    void unfoldGivesEveryEntryTheOrOfTheRun() {
        Mm mm = new Mm(Geometries.ARM64_4K_48, new Arena());
        EntryFormat f = mm.format();
        int pte = hugeLeafSlot(mm, 0, 0x10000, 0, Prot.R) & -512; // the PTE table
        for (int i = 0; i < 16; i++)
            mm.set(
                    pte + 16 + i,
                    f.makeLeaf(0, 0x200 + i, Prot.R | Prot.W | Prot.U, true, false, false));
        mm.set(pte + 16 + 5, f.mkyoung(0, mm.get(pte + 16 + 5)));
        mm.set(pte + 16 + 9, f.mkdirty(0, mm.get(pte + 16 + 9)));
        TlbGather tlb = new TlbGather();
        Leaves.unfoldRun(mm, pte + 16 + 3, 0, 0x13000, tlb);
        for (int i = 0; i < 16; i++) {
            long e = mm.get(pte + 16 + i);
            assertFalse(f.contig(0, e));
            assertTrue(f.young(0, e) && f.dirty(0, e));
            assertEquals(0x200 + i, f.pfn(0, e));
        }
        assertEquals(0x10000L, tlb.start());
        assertEquals(0x20000L, tlb.end());
        assertThrows(
                IllegalStateException.class, () -> Leaves.unfoldRun(mm, pte + 16, 0, 0x10000, tlb));
    }
}

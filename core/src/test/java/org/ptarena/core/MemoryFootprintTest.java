package org.ptarena.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Locale;

/**
 * The model's memory budget: a 64 GiB mapping in 4K pages (16M PTEs) must fit in under 200 MiB of
 * heap. Fills the tables directly (core has no walker), then measures the arena's backing arrays
 * and the heap retained after a GC.
 */
class MemoryFootprintTest {

    @Test
    void sixtyFourGibInBasePagesFitsUnder200MiB() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        Geometry g = Geometries.X86_64_4LEVEL;
        EntryFormat f = g.format();
        Arena arena = new Arena();
        Mm mm = new Mm(g, arena);
        long pages = (64L << 30) >>> 12;
        int pud = mm.allocTable(2);
        mm.set(mm.root(), f.makeTable(3, pud));
        long pfn = 0;
        for (int i = 0; i < 64; i++) { // 64 PUD entries of 1G each
            int pmd = mm.allocTable(1);
            mm.set(pud + i, f.makeTable(2, pmd));
            for (int j = 0; j < 512; j++) {
                int pte = mm.allocTable(0);
                mm.set(pmd + j, f.makeTable(1, pte));
                for (int k = 0; k < 512; k++)
                    mm.set(pte + k, f.makeLeaf(0, pfn++, Prot.R | Prot.W | Prot.U));
            }
        }
        mm.addRss(pages);
        assertEquals(pages, pfn);
        assertEquals(64 * 512, mm.tables(0));
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        long retained = heapAfter - heapBefore;
        System.out.printf(
                Locale.ROOT,
                "64 GiB in 4K pages: %d PTEs, arena %.1f MiB, heap retained %.1f MiB, page tables"
                    + " %.1f MiB%n",
                pages,
                arena.capacityBytes() / 1048576.0,
                retained / 1048576.0,
                mm.tableBytes() / 1048576.0);
        assertTrue(arena.capacityBytes() < 200L << 20, "arena " + arena.capacityBytes());
        assertTrue(retained < 200L << 20, "retained heap " + retained);
        assertEquals(
                0x40000L,
                f.pfn(0, mm.get(f.tablePtr(1, mm.get(f.tablePtr(2, mm.get(pud + 1)))))),
                "1G in, the pfn is 1G/4K");
    }
}

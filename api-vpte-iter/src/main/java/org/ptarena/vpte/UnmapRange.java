package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * {@code zap_page_range} + {@code free_pgtables}: one flat loop clears each leaf unit as the
 * iterator reaches it; with {@code freeTables}, a second walk, stopping above the last level,
 * looks at each table entry after its children, so empty tables go bottom-up. Differs from
 * Linux: no VMA bounds (floor and ceiling are the range), pfns go to the gather.
 */
final class UnmapRange {
    private UnmapRange() { }

    static long unmap(VpteIter it, Mm mm, long start, long end, boolean freeTables,
            TlbGather tlb) {
        Args.range(mm.geometry(), "unmap", start, end);
        return zap(it, mm, start, end, freeTables, tlb);
    }

    /** The unmap proper, without argument checks (also undoes a failed map or copy). */
    static long zap(VpteIter it, Mm mm, long start, long end, boolean freeTables,
            TlbGather tlb) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        long pages = 0;
        try {
            for (it.reset(mm, start, end, VpteIter.LEAVES | VpteIter.SPLIT_PARTIAL, tlb);
                    it.next(); ) {
                int order = it.order();
                int lvl = it.level();
                tlb.leafRemoved(it.addr(), it.unitBytes(), lvl, f.pfn(lvl, it.rawVpte()), order);
                it.clearUnit();
                pages += 1L << order;
            }
        } finally {
            mm.addRss(-pages);               // once: a split failing later keeps what went
        }
        // after the zap, as free_pgtables runs after unmap_vmas: a split failing above frees
        // none; nothing is left in the range, so a table whose span lies wholly inside it is
        // empty without a look, and one that reaches outside is freed if it is empty
        if (freeTables && g.rootLevel() > 0) {
            for (it.reset(mm, start, end, VpteIter.TABLES_POST, g.order(1), tlb); it.next(); ) {
                long at = it.addr();
                boolean inside = Long.compareUnsigned(at, start) >= 0
                        && Long.compareUnsigned(at + it.unitBytes() - 1, end - 1) <= 0;
                if (inside || it.tableEmpty()) it.freeTable();
            }
        }
        return pages;
    }
}

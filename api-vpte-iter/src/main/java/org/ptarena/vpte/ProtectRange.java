package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * {@code change_protection}: one flat loop over the leaf units of the range, split where the
 * range covers them in part; a unit already at the prot is left alone and not flushed. Differs
 * from Linux: no VMA, no NUMA hinting; each entry of a run keeps its own young and dirty.
 */
final class ProtectRange {
    private ProtectRange() { }

    static long protect(VpteIter it, Mm mm, long start, long end, int prot, TlbGather tlb) {
        Geometry g = mm.geometry();
        Args.range(g, "protect", start, end);
        int p = Args.prot(g, "protect", prot);
        EntryFormat f = mm.format();
        long changed = 0;
        // changed units that follow one another at one level go to the gather as one range, as
        // tlb_flush_pte_range's min/max would record them one by one
        long from = 0;
        long to = 0;
        int at = -1;
        int flags = VpteIter.LEAVES | VpteIter.SPLIT_PARTIAL;
        try {
            for (it.reset(mm, start, end, flags, tlb); it.next(); ) {
                int lvl = it.level();
                if (f.prot(lvl, it.rawVpte()) == p) continue;     // unchanged: nothing to flush
                it.setProt(p);
                long addr = it.addr();
                if (lvl != at || addr != to) {
                    if (at >= 0) tlb.leafChanged(from, to - from, at);
                    from = addr;
                    at = lvl;
                }
                to = addr + it.unitBytes();
                changed += 1L << it.order();
            }
        } finally {
            if (at >= 0) tlb.leafChanged(from, to - from, at);    // also when a split fails
        }
        return changed;
    }
}

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
        int flags = VpteIter.LEAVES | VpteIter.SPLIT_PARTIAL;
        for (it.reset(mm, start, end, flags, tlb); it.next(); ) {
            int lvl = it.level();
            if (f.prot(lvl, it.rawVpte()) == p) continue;     // unchanged: nothing to flush
            it.setProt(p);
            tlb.leafChanged(it.addr(), g.unitSize(it.order()), lvl);
            changed += 1L << it.order();
        }
        return changed;
    }
}

package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * {@code remap_pfn_range}/{@code set_ptes}: one flat loop over the holes of the range, each
 * filled by {@code set_vpte_at} with the largest unit the policy allows there. Differs from
 * Linux: refuses a mapped range up front, and undoes its leaves on an allocation failure.
 */
final class MapRange {
    private MapRange() { }

    static long map(VpteIter it, TlbGather scratch, Mm mm, long start, long end, long pfn,
            int prot, MapPolicy policy) {
        Geometry g = mm.geometry();
        Args.range(g, "map", start, end);
        int p = Args.prot(g, "map", prot);
        Args.pfns(g, "map", pfn, Args.pages(g, start, end));
        if (it.init(mm, start, end, VpteIter.LEAVES).next()) {
            throw OverlapException.mapped("map", Math.max(it.addr(), start));
        }
        long mapped = 0;
        try {
            if (policy == MapPolicy.BASE) {
                mapped = base(it, mm, start, end, pfn, p);
            } else {
                mapped = largest(it, mm, start, end, pfn, p);
            }
        } catch (OutOfTablesException ex) {
            // the range was empty: remove every leaf in it, keep the tables (as the kernel does)
            scratch.reset();
            UnmapRange.zap(it, mm, start, end, false, scratch);
            throw ex;
        }
        return mapped;
    }

    /** Base pages only: the iterator allocates down to level 0 and stops at every none slot. */
    private static long base(VpteIter it, Mm mm, long start, long end, long pfn, int prot) {
        EntryFormat f = mm.format();
        int pageShift = mm.geometry().pageShift();
        long mapped = 0;
        for (it.reset(mm, start, end, VpteIter.HOLES | VpteIter.ALLOC, null); it.next(); ) {
            it.setVpteAt(f.makeLeaf(0, pfn + ((it.pos() - start) >>> pageShift), prot), 0);
            mm.addRss(1);
            mapped++;
        }
        return mapped;
    }

    /** Each hole gets the largest unit that fits it; tables are descended into, never replaced. */
    private static long largest(VpteIter it, Mm mm, long start, long end, long pfn, int prot) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        long mapped = 0;
        for (it.reset(mm, start, end, VpteIter.HOLES, null); it.next(); ) {
            long a = it.pos();
            long p = pfn + ((a - start) >>> g.pageShift());
            int order = largestOrder(it, g, a, p, end - a);
            int lvl = it.levelFor(order);
            it.setVpteAt(f.makeLeaf(lvl, p, prot), order);
            mm.addRss(1L << order);
            mapped += 1L << order;
        }
        return mapped;
    }

    /**
     * Walking down from the hole's level: a whole run where the level has runs, address and pfn
     * are aligned to it, {@code left} bytes hold it and its slots are none (a level below the
     * hole is a new, empty table); else a single leaf so aligned; level 0 always fits.
     */
    private static int largestOrder(VpteIter it, Geometry g, long a, long p, long left) {
        for (int l = it.level(); l >= 0; l--) {
            if (!g.leafAllowed(l)) continue;
            if (g.contig(l) > 1 && fits(g, g.runOrder(l), a, p, left)
                    && (l < it.level() || it.noneFromHere(g.contig(l)))) {
                return g.runOrder(l);
            }
            if (fits(g, g.order(l), a, p, left)) return g.order(l);
        }
        throw new IllegalStateException("map: no unit fits at 0x" + Long.toHexString(a));
    }

    private static boolean fits(Geometry g, int order, long a, long p, long left) {
        return g.aligned(a, order) && (p & ((1L << order) - 1)) == 0
                && Long.compareUnsigned(g.unitSize(order), left) <= 0;
    }
}

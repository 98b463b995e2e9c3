package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * {@code copy_page_range} for fork, over the two-tree {@link DualIter}: the destination gets a
 * table wherever the source is stepped into one, and each source unit is written beside it as
 * one unit. Differs from Linux: no VMA or anon rmap; refuses a non-empty destination up front.
 */
final class CopyRange {
    private CopyRange() { }

    static long copy(VpteIter it, DualIter two, TlbGather scratch, Mm dst, Mm src, long start,
            long end, boolean cow, TlbGather srcTlb) {
        Geometry g = src.geometry();
        Args.range(g, "copy", start, end);
        Args.pair("copy", dst, src);
        mustBeEmpty(it, dst, start, end);
        EntryFormat f = src.format();
        long copied = 0;
        // units write-protected one after another at one level go to the gather as one range,
        // as the gather's min and max would record them one by one
        long from = 0;
        long to = 0;
        int at = -1;
        try {
            try {
                for (two.reset(dst, src, start, end, VpteIter.LEAVES | VpteIter.SPLIT_PARTIAL,
                        srcTlb); two.next(); ) {
                    int lvl = two.level();
                    long vpte = two.vpte();           // a run: young and dirty ORed over it
                    if (cow && Prot.writable(f.prot(lvl, vpte))) {   // both lose w: cow
                        two.wrprotect();
                        vpte = f.wrprotect(lvl, vpte);
                        long addr = two.addr();
                        if (lvl != at || addr != to) {
                            if (at >= 0) srcTlb.leafChanged(from, to - from, at);
                            from = addr;
                            at = lvl;
                        }
                        to = addr + two.unitBytes();
                    }
                    vpte = f.mkold(lvl, vpte);        // the child's is old, clean when shared
                    int order = two.order();
                    two.setDstVpteAt(cow ? vpte : f.mkclean(lvl, vpte), order);
                    copied += 1L << order;
                }
            } finally {
                if (at >= 0) srcTlb.leafChanged(from, to - from, at);
                dst.addRss(copied);                   // once, also before an undo
            }
        } catch (OutOfTablesException ex) {
            scratch.reset();
            UnmapRange.zap(it, dst, start, end, false, scratch);
            throw ex;
        }
        return copied;
    }

    /** No leaf may meet the range, and no table may lie wholly inside it. */
    private static void mustBeEmpty(VpteIter it, Mm dst, long start, long end) {
        for (it.init(dst, start, end, VpteIter.LEAVES | VpteIter.TABLES); it.next(); ) {
            if (it.kind() == VpteIter.LEAF) {
                throw OverlapException.mapped("copy", Math.max(it.addr(), start));
            }
            long spanEnd = it.addr() + dst.geometry().unitSize(it.order());
            if (Long.compareUnsigned(it.addr(), start) >= 0
                    && Long.compareUnsigned(spanEnd, end) <= 0) {
                throw OverlapException.table("copy", it.addr());
            }
        }
    }
}

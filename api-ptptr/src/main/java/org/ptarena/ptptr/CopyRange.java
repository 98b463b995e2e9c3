package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * copy: {@code copy_page_range} for fork as the proposal's two-tree {@code copy_pt_range()},
 * allocating in {@code dst} with {@code ptp_walk_alloc}. Differs from Linux: no VMA or rmap; units
 * at any level copy whole, and on allocation failure {@code dst}'s new leaves are removed again.
 */
final class CopyRange extends PtPtr.Recursion {
    private final UnmapRange undo;
    private Mm dst;
    private Mm src;
    private EntryFormat f;
    private Geometry g;
    private boolean cow;
    private TlbGather srcTlb;

    CopyRange(UnmapRange undo) {
        this.undo = undo;
    }

    long copy(Mm dst, Mm src, long start, long end, boolean cow, TlbGather srcTlb) {
        Geometry g = src.geometry();
        Args.range(g, "copy", start, end);
        Args.pair("copy", dst, src);
        this.dst = dst;
        this.src = src;
        this.f = src.format();
        this.g = g;
        this.cow = cow;
        this.srcTlb = srcTlb;
        begin();
        try {
            requireEmpty(PtPtr.root(dst, start), g.rootLevel(), start, end);
            try {
                return range(PtPtr.root(dst, start), PtPtr.root(src, start), g.rootLevel(), start,
                        end);
            } catch (OutOfTablesException ex) {
                undo.unmap(dst, start, end, false, new TlbGather()); // the range was empty before
                throw ex;
            }
        } finally {
            this.dst = null;
            this.src = null;
            this.srcTlb = null;
        }
    }

    /**
     * Copies {@code [addr, end)} from below the source entry {@code (sptr, lvl)} to below the
     * destination entry {@code (dptr, lvl)}; returns base pages copied. The level's span is read
     * once per table and a single leaf covered whole is copied inline ({@code copy_present_pte});
     * the pages copied at this level go to the child's RSS once per table, and the units
     * write-protected here go to the gather as one range {@code [from, to)} — what the gather's
     * min and max make of them one by one — also when an allocation below fails part-way.
     */
    private long range(int dptr, int sptr, int lvl, long addr, long end) {
        enter();
        Mm src = this.src;
        Mm dst = this.dst;
        EntryFormat f = this.f;
        long span = this.g.span(lvl);
        int shift = this.g.spanShift(lvl);
        long page = 1L << this.g.order(lvl);
        boolean runs = this.g.contig(lvl) > 1;
        boolean cow = this.cow;
        long below = 0;
        long here = 0;
        long from = 0;
        long to = 0;
        boolean changed = false;
        try {
            for (long next; addr != end; addr = next, sptr++, dptr++) {
                next = PtPtr.addrEnd(addr, end, span);
                long e = src.get(sptr);
                if (e == PtPtr.NONE) {
                    int k = PtPtr.noneAfter(src, sptr, next, end, shift);  // the rest of a hole
                    sptr += k;
                    dptr += k;
                    if (k > 0) next = PtPtr.addrEnd(next + ((long) (k - 1) << shift), end, span);
                    continue;
                }
                if (PtPtr.leaf(f, lvl, e)) {
                    if (next - addr == span && !(runs && f.contig(lvl, e))) {
                        // a single leaf covered whole: ptep_get, wrprotect under cow, mkold
                        if (cow && Prot.writable(f.prot(lvl, e))) {
                            e = f.wrprotect(lvl, e);
                            src.set(sptr, e);
                            if (!changed) from = addr;
                            changed = true;
                            to = next;
                        }
                        e = f.mkold(lvl, e);
                        dst.set(dptr, cow ? e : f.mkclean(lvl, e));
                        here += page;
                        continue;
                    }
                    e = PtPtr.fit(src, sptr, lvl, addr, next, end, e, srcTlb);
                    if (PtPtr.leaf(f, lvl, e)) {
                        int n = PtPtr.unitEntries(f, g, lvl, e);
                        next = addr + ((long) n << g.spanShift(lvl));
                        if (copyUnit(dptr, sptr, lvl, n)) {
                            if (!changed) from = addr;
                            changed = true;
                            to = next;
                        }
                        here += 1L << (n == 1 ? g.order(lvl) : g.runOrder(lvl));
                        sptr += n - 1;
                        dptr += n - 1;
                        continue;
                    }
                }
                // entering a source table: the destination gets one too (pXd_alloc), even empty
                int child = PtPtr.walkAlloc(dst, dptr, lvl, addr);
                below += range(child, PtPtr.descend(src, lvl, e, addr), lvl - 1, addr, next);
            }
        } finally {
            if (changed) srcTlb.leafChanged(from, to - from, lvl);
            dst.addRss(here);
        }
        leave();
        return below + here;
    }

    /**
     * One unit of {@code n} entries (a run, or a leaf just fitted to the range): {@code ptep_get}
     * (dirty ORed over a run), then {@code set_ptes} of old entries, clean unless cow; cow
     * write-protects both sides. Returns whether the source was write-protected.
     */
    private boolean copyUnit(int dptr, int sptr, int lvl, int n) {
        boolean dirty = false;
        for (int i = 0; i < n; i++) dirty |= f.dirty(lvl, src.get(sptr + i));
        int prot = f.prot(lvl, src.get(sptr));
        boolean wrprotect = cow && Prot.writable(prot);
        if (wrprotect) prot &= ~Prot.W;
        for (int i = 0; i < n; i++) {
            long e = src.get(sptr + i);
            if (wrprotect) src.set(sptr + i, f.wrprotect(lvl, e));
            dst.set(dptr + i, f.makeLeaf(lvl, f.pfn(lvl, e), prot, n > 1, false, cow && dirty));
        }
        return wrprotect;
    }

    /**
     * The destination range must be empty: no leaf meeting it, no table whose span lies wholly
     * inside it (the root, the space itself, aside). The first offender in address order wins.
     */
    private void requireEmpty(int dptr, int lvl, long addr, long end) {
        enter();
        for (long next; addr != end; addr = next, dptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = dst.get(dptr);
            if (PtPtr.leaf(f, lvl, e)) throw OverlapException.mapped("copy", addr);
            if (f.table(lvl, e)) {
                if (PtPtr.whole(g, lvl, addr, next)) throw OverlapException.table("copy", addr);
                requireEmpty(PtPtr.descend(dst, lvl, e, addr), lvl - 1, addr, next);
            }
        }
        leave();
    }
}

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
 * Test-only copy of {@link CopyRange} with one planted fault: with {@code COW_SOURCE_WRITABLE}
 * a cow copy write-protects the child's entries but not the parent's (see {@link #copyUnit}).
 */
final class PlantedCopyRange extends PtPtr.Recursion {
    private final PlantedBug bug;
    private final UnmapRange undo;
    private Mm dst;
    private Mm src;
    private EntryFormat f;
    private Geometry g;
    private boolean cow;
    private TlbGather srcTlb;

    PlantedCopyRange(PlantedBug bug, UnmapRange undo) {
        this.bug = bug;
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
     * destination entry {@code (dptr, lvl)}; returns base pages copied.
     */
    private long range(int dptr, int sptr, int lvl, long addr, long end) {
        enter();
        Mm src = this.src;
        EntryFormat f = this.f;
        Geometry g = this.g;
        long pages = 0;
        for (long next; addr != end; addr = next, sptr++, dptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = src.get(sptr);
            if (e == PtPtr.NONE) continue;
            if (PtPtr.leaf(f, lvl, e)) {
                e = PtPtr.fit(src, sptr, lvl, addr, next, end, e, srcTlb);
                if (PtPtr.leaf(f, lvl, e)) {
                    int n = PtPtr.unitEntries(f, g, lvl, e);
                    pages += copyUnit(dptr, sptr, lvl, addr, n);
                    next = addr + ((long) n << g.spanShift(lvl));
                    sptr += n - 1;
                    dptr += n - 1;
                    continue;
                }
            }
            // Entering a source table: the destination gets one too (pXd_alloc), even if empty.
            int child = PtPtr.walkAlloc(dst, dptr, lvl, addr);
            pages += range(child, PtPtr.descend(src, lvl, e, addr), lvl - 1, addr, next);
        }
        leave();
        return pages;
    }

    /**
     * One unit of {@code n} entries: {@code ptep_get} (dirty ORed over a run), then
     * {@code set_ptes} of old entries, clean unless cow; cow write-protects both sides.
     */
    private long copyUnit(int dptr, int sptr, int lvl, long addr, int n) {
        boolean dirty = false;
        for (int i = 0; i < n; i++) dirty |= f.dirty(lvl, src.get(sptr + i));
        int prot = f.prot(lvl, src.get(sptr));
        boolean wrprotect = cow && Prot.writable(prot);
        if (wrprotect) prot &= ~Prot.W;
        for (int i = 0; i < n; i++) {
            long e = src.get(sptr + i);
            // PLANTED: with COW_SOURCE_WRITABLE the parent stays writable
            if (wrprotect && bug != PlantedBug.COW_SOURCE_WRITABLE) {
                src.set(sptr + i, f.wrprotect(lvl, e));
            }
            dst.set(dptr + i, f.makeLeaf(lvl, f.pfn(lvl, e), prot, n > 1, false, cow && dirty));
        }
        int order = n == 1 ? g.order(lvl) : g.runOrder(lvl);
        if (wrprotect) srcTlb.leafChanged(addr, g.unitSize(order), lvl);
        long pages = 1L << order;
        dst.addRss(pages);
        return pages;
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

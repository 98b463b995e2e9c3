package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * Test-only copy of {@link ProtectRange} with one planted fault: with {@code RUN_NOT_UNFOLDED} a
 * run covered in part is not unfolded before the covered entries change (see {@link #fit}).
 */
final class PlantedProtectRange extends PtPtr.Recursion {
    private final PlantedBug bug;
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private int prot;
    private TlbGather tlb;

    PlantedProtectRange(PlantedBug bug) {
        this.bug = bug;
    }

    /** {@link PtPtr#fit}, or with {@code RUN_NOT_UNFOLDED} one that leaves a partial run folded. */
    private long fit(int ptr, int lvl, long addr, long next, long end, long e) {
        boolean partialRun = f.contig(lvl, e) && !PtPtr.runCovered(g, lvl, addr, end);
        if (bug == PlantedBug.RUN_NOT_UNFOLDED && partialRun) {
            return f.withContig(lvl, e, false);    // PLANTED: no Leaves.unfoldRun, just this entry
        }
        return PtPtr.fit(mm, ptr, lvl, addr, next, end, e, tlb);
    }

    long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        Geometry g = mm.geometry();
        Args.range(g, "protect", start, end);
        this.prot = Args.prot(g, "protect", prot);
        this.mm = mm;
        this.f = mm.format();
        this.g = g;
        this.tlb = tlb;
        begin();
        try {
            return range(PtPtr.root(mm, start), g.rootLevel(), start, end);
        } finally {
            this.mm = null;
            this.tlb = null;
        }
    }

    /** Gives {@code [addr, end)} below {@code (ptr, lvl)} the prot; returns pages changed. */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        Geometry g = this.g;
        long pages = 0;
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (e == PtPtr.NONE) continue;
            if (PtPtr.leaf(f, lvl, e)) {
                e = fit(ptr, lvl, addr, next, end, e);
                if (PtPtr.leaf(f, lvl, e)) {
                    int n = PtPtr.unitEntries(f, g, lvl, e);
                    // A unit already at the prot is left alone and not flushed.
                    if (f.prot(lvl, e) != prot) pages += change(ptr, lvl, addr, n);
                    next = addr + ((long) n << g.spanShift(lvl));
                    ptr += n - 1;
                    continue;
                }
            }
            pages += range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
        }
        leave();
        return pages;
    }

    /** {@code pte_modify} on each of the unit's {@code n} entries, keeping their own A/D bits. */
    private long change(int ptr, int lvl, long addr, int n) {
        for (int i = 0; i < n; i++) mm.set(ptr + i, f.withProt(lvl, mm.get(ptr + i), prot));
        int order = n == 1 ? g.order(lvl) : g.runOrder(lvl);
        tlb.leafChanged(addr, g.unitSize(order), lvl);
        return 1L << order;
    }
}

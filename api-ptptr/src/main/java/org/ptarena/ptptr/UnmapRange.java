package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * unmap: {@code zap_page_range}, then {@code free_pgtables}, each one recursive function over
 * (ptr, lvl) in place of the zap_p4d/pud/pmd/pte and free_p4d/pud/pmd/pte cascades. Differs from
 * Linux: no VMA, so the tables freed are those meeting the range rather than floor to ceiling.
 */
final class UnmapRange extends PtPtr.Recursion {
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private TlbGather tlb;

    long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        Args.range(mm.geometry(), "unmap", start, end);
        this.mm = mm;
        this.f = mm.format();
        this.g = mm.geometry();
        this.tlb = tlb;
        begin();
        try {
            long pages = range(PtPtr.root(mm, start), g.rootLevel(), start, end);
            // Freed only once the zap is done: a split failing part-way frees nothing.
            if (freeTables) free(PtPtr.root(mm, start), g.rootLevel(), start, end);
            return pages;
        } finally {
            this.mm = null;
            this.tlb = null;
        }
    }

    /**
     * {@code free_pgtables} alone over {@code [start, end)}, for a range known to hold no leaf any
     * more (the old range of a move): every table meeting it that is empty is freed, bottom-up.
     */
    void freeEmptied(Mm mm, long start, long end, TlbGather tlb) {
        this.mm = mm;
        this.f = mm.format();
        this.g = mm.geometry();
        this.tlb = tlb;
        begin();
        try {
            free(PtPtr.root(mm, start), g.rootLevel(), start, end);
        } finally {
            this.mm = null;
            this.tlb = null;
        }
    }

    /**
     * Clears {@code [addr, end)} below the entry {@code (ptr, lvl)}; returns base pages. The
     * level's span is read once per table, a single leaf covered whole is zapped inline, and the
     * pages cleared at this level leave the RSS once per table (also when a split fails part-way).
     */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        TlbGather tlb = this.tlb;
        long span = this.g.span(lvl);
        int shift = this.g.spanShift(lvl);
        int order = this.g.order(lvl);
        boolean runs = this.g.contig(lvl) > 1;
        long below = 0;
        long here = 0;
        try {
            for (long next; addr != end; addr = next, ptr++) {
                next = PtPtr.addrEnd(addr, end, span);
                long e = mm.get(ptr);
                if (e == PtPtr.NONE) {
                    int k = PtPtr.noneAfter(mm, ptr, next, end, shift);  // the rest of a hole
                    ptr += k;
                    if (k > 0) next = PtPtr.addrEnd(next + ((long) (k - 1) << shift), end, span);
                    continue;
                }
                if (PtPtr.leaf(f, lvl, e)) {
                    if (next - addr == span && !(runs && f.contig(lvl, e))) {
                        mm.set(ptr, PtPtr.NONE);             // a single leaf covered whole
                        tlb.leafRemoved(addr, span, lvl, f.pfn(lvl, e), order);
                        here += 1L << order;
                        continue;
                    }
                    e = PtPtr.fit(mm, ptr, lvl, addr, next, end, e, tlb);
                    if (PtPtr.leaf(f, lvl, e)) {
                        int n = PtPtr.unitEntries(f, g, lvl, e);
                        here += zap(ptr, lvl, addr, n, e);
                        next = addr + ((long) n << g.spanShift(lvl));
                        ptr += n - 1;
                        continue;
                    }
                }
                below += range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        } finally {
            mm.addRss(-here);
        }
        leave();
        return below + here;
    }

    /**
     * {@code free_pgtables} below the entry {@code (ptr, lvl)}: frees, lowest level first, every
     * table meeting {@code [addr, end)} that holds nothing once the tables under it are gone.
     */
    private void free(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        Geometry g = this.g;
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (!f.table(lvl, e)) continue;
            int table = f.tablePtr(lvl, e);
            if (lvl > 1) free(table + g.index(lvl - 1, addr), lvl - 1, addr, next);
            // A table covered whole holds nothing after the zap; one covered in part is looked at.
            if (PtPtr.whole(g, lvl, addr, next) || PtPtr.tableEmpty(mm, table, lvl - 1)) {
                mm.set(ptr, PtPtr.NONE);
                mm.freeTable(table, lvl - 1);
                tlb.tableFreed(lvl - 1);
            }
        }
        leave();
    }

    /** Clears one unit of {@code n} entries from {@code ptr} ({@code e} its first); its pages. */
    private long zap(int ptr, int lvl, long addr, int n, long e) {
        for (int i = 0; i < n; i++) mm.set(ptr + i, PtPtr.NONE);
        int order = n == 1 ? g.order(lvl) : g.runOrder(lvl);
        tlb.leafRemoved(addr, g.unitSize(order), lvl, f.pfn(lvl, e), order);
        return 1L << order;
    }
}

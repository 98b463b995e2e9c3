package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * Test-only copy of {@link UnmapRange} with one planted fault, chosen by {@link PlantedBug}:
 * {@code ADDR_END_OFF_BY_ONE} (in {@link #addrEnd}), {@code SPLIT_DROPS_LAST_CHILD} (in
 * {@link #fit}) or {@code TABLE_FREED_NOT_EMPTY} (in {@link #free}). Otherwise unchanged.
 */
final class PlantedUnmapRange extends PtPtr.Recursion {
    private final PlantedBug bug;
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private TlbGather tlb;

    PlantedUnmapRange(PlantedBug bug) {
        this.bug = bug;
    }

    /** {@link PtPtr#addrEnd}; with {@code ADDR_END_OFF_BY_ONE}, signed and without "- 1". */
    private long addrEnd(int lvl, long addr, long end) {
        if (bug != PlantedBug.ADDR_END_OFF_BY_ONE) return PtPtr.addrEnd(g, lvl, addr, end);
        long boundary = (addr + g.span(lvl)) & -g.span(lvl);
        return boundary - 1 < end ? boundary : end;    // PLANTED: kernel has (end) - 1, unsigned
    }

    /** {@link PtPtr#fit}, or with {@code SPLIT_DROPS_LAST_CHILD} a split losing its last child. */
    private long fit(int ptr, int lvl, long addr, long next, long end, long e) {
        long fitted = PtPtr.fit(mm, ptr, lvl, addr, next, end, e, tlb);
        if (bug == PlantedBug.SPLIT_DROPS_LAST_CHILD && f.table(lvl, fitted) && !f.table(lvl, e)) {
            int table = f.tablePtr(lvl, fitted);
            mm.set(table + g.entries(lvl - 1) - 1, PtPtr.NONE);    // PLANTED: fill loop i < n - 1
        }
        return fitted;
    }

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

    /** Clears {@code [addr, end)} below the entry {@code (ptr, lvl)}; returns base pages. */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        Geometry g = this.g;
        long pages = 0;
        for (long next; addr != end; addr = next, ptr++) {
            next = addrEnd(lvl, addr, end);
            long e = mm.get(ptr);
            if (e == PtPtr.NONE) continue;
            if (PtPtr.leaf(f, lvl, e)) {
                e = fit(ptr, lvl, addr, next, end, e);
                if (PtPtr.leaf(f, lvl, e)) {
                    int n = PtPtr.unitEntries(f, g, lvl, e);
                    pages += zap(ptr, lvl, addr, n, e);
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
            next = addrEnd(lvl, addr, end);
            long e = mm.get(ptr);
            if (!f.table(lvl, e)) continue;
            int table = f.tablePtr(lvl, e);
            if (lvl > 1) free(table + g.index(lvl - 1, addr), lvl - 1, addr, next);
            // A table covered whole holds nothing after the zap; one covered in part is looked at.
            if (PtPtr.whole(g, lvl, addr, next) || emptyEnough(table, lvl, addr, next)) {
                mm.set(ptr, PtPtr.NONE);
                mm.freeTable(table, lvl - 1);
                tlb.tableFreed(lvl - 1);
            }
        }
        leave();
    }

    /**
     * {@link PtPtr#tableEmpty}, or with {@code TABLE_FREED_NOT_EMPTY} only the entries of the
     * level-{@code lvl - 1} table that lie inside {@code [addr, next)}.
     */
    private boolean emptyEnough(int table, int lvl, long addr, long next) {
        if (bug != PlantedBug.TABLE_FREED_NOT_EMPTY) return PtPtr.tableEmpty(mm, table, lvl - 1);
        int from = g.index(lvl - 1, addr);
        int to = g.index(lvl - 1, next - 1);
        // PLANTED: looks at the entries inside the range, not at the whole table
        return PtPtr.allNone(mm, table + from, to - from + 1);
    }

    /** Clears one unit of {@code n} entries from {@code ptr}; {@code e} is its first entry. */
    private long zap(int ptr, int lvl, long addr, int n, long e) {
        for (int i = 0; i < n; i++) mm.set(ptr + i, PtPtr.NONE);
        int order = n == 1 ? g.order(lvl) : g.runOrder(lvl);
        tlb.leafRemoved(addr, g.unitSize(order), lvl, f.pfn(lvl, e), order);
        long pages = 1L << order;
        mm.addRss(-pages);
        return pages;
    }
}

package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * move: {@code move_page_tables} as one recursive function over (ptr, lvl): the table shortcut
 * ({@code move_normal_pmd}/{@code pud}) is written once for every level, and the contract lets
 * it act where the kernel does, on tables of level 0 and 1. The emptied old range is then freed
 * by unmap's own {@code free_pgtables}. Differs from Linux: no VMA, no realignment.
 */
final class MoveRange extends PtPtr.Recursion {
    /** The highest level whose entries hand over a whole table (the PUD entry, in kernel words). */
    private static final int TABLE_MOVE_LEVEL = 2;
    private final UnmapRange unmap;
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private TlbGather tlb;
    private long delta;

    MoveRange(UnmapRange unmap) {
        this.unmap = unmap;
    }

    long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        Geometry g = mm.geometry();
        Args.range(g, "move", oldStart, oldEnd);
        long newEnd = newStart + (oldEnd - oldStart);
        Args.range(g, "move", newStart, newEnd);
        if (Long.compareUnsigned(oldEnd, newStart) > 0
                && Long.compareUnsigned(newEnd, oldStart) > 0) {
            throw new IllegalArgumentException("move: new range " + Args.hex(newStart) + "-"
                    + Args.hex(newEnd) + " overlaps old range " + Args.hex(oldStart) + "-"
                    + Args.hex(oldEnd));
        }
        this.mm = mm;
        this.f = mm.format();
        this.g = g;
        this.tlb = tlb;
        this.delta = newStart - oldStart;
        begin();
        try {
            requireEmpty(PtPtr.root(mm, newStart), g.rootLevel(), newStart, newEnd);
            range(PtPtr.root(mm, oldStart), g.rootLevel(), oldStart, oldEnd);
        } finally {
            this.mm = null;
            this.tlb = null;
        }
        unmap.unmap(mm, oldStart, oldEnd, true, tlb);     // only frees: nothing is left to zap
        return Args.pages(g, oldStart, oldEnd);
    }

    /** Moves {@code [addr, end)} below the entry {@code (ptr, lvl)} by {@code delta}. */
    private void range(int ptr, int lvl, long addr, long end) {
        enter();
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (e == PtPtr.NONE) continue;
            if (PtPtr.leaf(f, lvl, e)) {
                e = fit(ptr, lvl, addr, next, end, e);
                if (PtPtr.leaf(f, lvl, e)) {
                    int n = PtPtr.unitEntries(f, g, lvl, e);
                    moveUnit(ptr, lvl, addr, n);
                    next = addr + ((long) n << g.spanShift(lvl));
                    ptr += n - 1;
                    continue;
                }
            }
            // the shortcut, at any level the contract allows: the whole span, aligned both sides
            if (lvl <= TABLE_MOVE_LEVEL && PtPtr.whole(g, lvl, addr, next)
                    && aligned(addr + delta, g.spanShift(lvl)) && moveTable(ptr, lvl, addr)) {
                continue;
            }
            range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
        }
        leave();
    }

    /**
     * Partial coverage ({@link PtPtr#fit}), then a unit whose destination is not aligned to it:
     * a run unfolds, a huge leaf splits. Returns the entry now in the slot.
     */
    private long fit(int ptr, int lvl, long addr, long next, long end, long e) {
        e = PtPtr.fit(mm, ptr, lvl, addr, next, end, e, tlb);
        if (!PtPtr.leaf(f, lvl, e)) return e;
        if (f.contig(lvl, e)) {
            if (aligned(addr + delta, PtPtr.runShift(g, lvl))) return e;
            Leaves.unfoldRun(mm, ptr, lvl, addr, tlb);
            e = mm.get(ptr);
        }
        if (aligned(addr + delta, g.spanShift(lvl))) return e;
        return Leaves.splitLeaf(mm, ptr, lvl, addr, tlb);
    }

    private static boolean aligned(long addr, int shift) {
        return (addr & ((1L << shift) - 1)) == 0;
    }

    /** The destination entry at {@code lvl} for {@code addr}, allocating tables on the way. */
    private int destination(int lvl, long addr) {
        int ptr = PtPtr.root(mm, addr);
        for (int l = g.rootLevel(); l > lvl; l--) ptr = PtPtr.walkAlloc(mm, ptr, l, addr);
        return ptr;
    }

    /** {@code move_normal_pXd}: the table hung at {@code ptr} goes whole, if its new slot is none. */
    private boolean moveTable(int ptr, int lvl, long addr) {
        int dst = destination(lvl, addr + delta);
        if (mm.get(dst) != PtPtr.NONE) return false;      // WARN_ON_ONCE in the kernel
        mm.set(dst, mm.get(ptr));
        mm.set(ptr, PtPtr.NONE);
        tlb.leafChanged(addr, g.span(lvl), lvl);
        return true;
    }

    /** One unit of {@code n} entries: a single entry as it is, a run with young and dirty ORed. */
    private void moveUnit(int ptr, int lvl, long addr, int n) {
        int dst = destination(lvl, addr + delta);
        if (n == 1) {
            mm.set(dst, mm.get(ptr));
        } else {
            long or = PtPtr.runEntry(mm, lvl, ptr);
            boolean young = f.young(lvl, or);
            boolean dirty = f.dirty(lvl, or);
            for (int i = 0; i < n; i++) mm.set(dst + i, f.withAccess(lvl, mm.get(ptr + i), young, dirty));
        }
        for (int i = 0; i < n; i++) mm.set(ptr + i, PtPtr.NONE);
        int order = n == 1 ? g.order(lvl) : g.runOrder(lvl);
        tlb.leafChanged(addr, g.unitSize(order), lvl);
    }

    /**
     * The destination range must be empty: no leaf meeting it, no table whose span lies wholly
     * inside it. The first offender in address order wins.
     */
    private void requireEmpty(int ptr, int lvl, long addr, long end) {
        enter();
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (PtPtr.leaf(f, lvl, e)) throw OverlapException.mapped("move", addr);
            if (f.table(lvl, e)) {
                if (PtPtr.whole(g, lvl, addr, next)) throw OverlapException.table("move", addr);
                requireEmpty(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        }
        leave();
    }
}

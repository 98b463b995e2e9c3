package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * move: {@code move_page_tables} as one recursive function over (ptr, lvl), the table shortcut
 * ({@code move_normal_pmd}/{@code pud}, tables of level 0 and 1) written once for all levels, the
 * destination found once per table; then unmap's {@code free_pgtables}. Differs: no VMA or realign.
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
        unmap.freeEmptied(mm, oldStart, oldEnd, tlb);     // nothing is left to zap
        return Args.pages(g, oldStart, oldEnd);
    }

    /**
     * Moves {@code [addr, end)} below the entry {@code (ptr, lvl)} by {@code delta}. The level's
     * constants are read once per table; so is the destination: the table at {@code lvl} that
     * receives this table's entries is found (allocating top-down, when first needed) once per
     * destination table, not once per entry — an unaligned move straddles two. The units moved
     * at this level go to the gather as one range, also when a step below fails part-way.
     */
    private void range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        Geometry g = this.g;
        long delta = this.delta;
        int shift = g.spanShift(lvl);
        long span = 1L << shift;
        long tableMask = (1L << g.tableSpanShift(lvl)) - 1;
        int indexMask = g.entries(lvl) - 1;
        boolean runs = g.contig(lvl) > 1;
        int dstTable = -1;         // the destination table at lvl last found, spanning dstSpan…
        long dstSpan = 0;
        long from = 0;             // the units moved at this level: [from, to)
        long to = 0;
        try {
            for (long next; addr != end; addr = next, ptr++) {
                next = PtPtr.addrEnd(addr, end, span);
                long e = mm.get(ptr);
                if (e == PtPtr.NONE) continue;
                long target = addr + delta;
                boolean aligned = (target & (span - 1)) == 0;
                if (PtPtr.leaf(f, lvl, e)) {
                    int n = 1;
                    if (!aligned || next - addr != span || (runs && f.contig(lvl, e))) {
                        e = fit(ptr, lvl, addr, next, end, e);     // the rare cases
                        if (!PtPtr.leaf(f, lvl, e)) {
                            range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
                            continue;
                        }
                        n = PtPtr.unitEntries(f, g, lvl, e);
                    }
                    int index = (int) ((target >>> shift) & indexMask);
                    if (dstTable < 0 || (target & ~tableMask) != dstSpan) {
                        dstTable = destination(lvl, target) - index;
                        dstSpan = target & ~tableMask;
                    }
                    moveUnit(ptr, lvl, dstTable + index, n);
                    next = addr + ((long) n << shift);
                    ptr += n - 1;
                    if (to == 0) from = addr;
                    to = next;
                    continue;
                }
                // the shortcut, where the contract allows: the whole span, aligned both sides
                if (lvl <= TABLE_MOVE_LEVEL && aligned && next - addr == span) {
                    int index = (int) ((target >>> shift) & indexMask);
                    if (dstTable < 0 || (target & ~tableMask) != dstSpan) {
                        dstTable = destination(lvl, target) - index;
                        dstSpan = target & ~tableMask;
                    }
                    int dst = dstTable + index;
                    if (mm.get(dst) == PtPtr.NONE) {       // else WARN_ON_ONCE in the kernel
                        mm.set(dst, e);
                        mm.set(ptr, PtPtr.NONE);
                        if (to == 0) from = addr;
                        to = next;
                        continue;
                    }
                }
                range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        } finally {
            if (to != 0) tlb.leafChanged(from, to - from, lvl);
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

    /**
     * One unit of {@code n} entries from {@code ptr} to {@code dst}: a single entry as it is, a
     * run with young and dirty ORed over it.
     */
    private void moveUnit(int ptr, int lvl, int dst, int n) {
        if (n == 1) {
            mm.set(dst, mm.get(ptr));
            mm.set(ptr, PtPtr.NONE);
            return;
        }
        long or = PtPtr.runEntry(mm, lvl, ptr);
        boolean young = f.young(lvl, or);
        boolean dirty = f.dirty(lvl, or);
        for (int i = 0; i < n; i++) {
            mm.set(dst + i, f.withAccess(lvl, mm.get(ptr + i), young, dirty));
        }
        for (int i = 0; i < n; i++) mm.set(ptr + i, PtPtr.NONE);
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

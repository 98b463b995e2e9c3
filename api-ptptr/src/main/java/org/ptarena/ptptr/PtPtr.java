package org.ptarena.ptptr;

import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * The pt_ptr primitives (Kirill Shutemov, LSF/MM 2018): a pointer into the tables at any level,
 * {@code struct pt_ptr { unsigned long *ptr; int lvl; }}, carried here as two ints — the arena
 * index of one entry and its level — so that no object is made per step. A loaded value carries
 * its level the same way: {@code (long e, int lvl)}. Every property of a level (span, index bits,
 * may-be-leaf, run length, entry format) is read from the geometry at run time; there is no code
 * per level and no folding: a level the geometry does not have does not exist.
 *
 * <p>Each operation is one function that handles an entry at any level and calls itself to go
 * down one level, once per table (never once per entry), so the nesting never exceeds the number
 * of levels; {@link Recursion} measures it.
 */
final class PtPtr {
    /** The none entry: {@link EntryFormat#none} is {@code e == 0} at every level. */
    static final long NONE = 0L;

    /** "Nothing found" for searches that return an address (addresses are below 2^63). */
    static final long NOT_FOUND = -1L;

    private PtPtr() { }

    /** The root entry covering {@code addr}; its level is the geometry's root level. */
    static int root(Mm mm, long addr) {
        Geometry g = mm.geometry();
        return mm.root() + g.index(g.rootLevel(), addr);
    }

    /** {@code ptp_walk}: from table entry {@code e} at {@code lvl}, the entry one level down. */
    static int descend(Mm mm, int lvl, long e, long addr) {
        return mm.format().tablePtr(lvl, e) + mm.geometry().index(lvl - 1, addr);
    }

    /**
     * {@code ptp_walk_alloc}: like {@link #descend}, but a none entry at {@code ptr} first gets a
     * new, empty table of level {@code lvl - 1} (allocated at the moment it is needed, top-down).
     *
     * @throws org.ptarena.core.OutOfTablesException on an injected allocation failure
     */
    static int walkAlloc(Mm mm, int ptr, int lvl, long addr) {
        EntryFormat f = mm.format();
        long e = mm.get(ptr);
        if (f.none(lvl, e)) {
            e = f.makeTable(lvl, mm.allocTable(lvl - 1));
            mm.set(ptr, e);
        } else if (!f.table(lvl, e)) {
            throw new IllegalStateException("walk-alloc through a leaf at level " + lvl + " for 0x"
                    + Long.toHexString(addr));
        }
        return descend(mm, lvl, e, addr);
    }

    /** {@code ptp_addr_end}: the next boundary of a level-{@code lvl} entry, or {@code end}. */
    static long addrEnd(Geometry g, int lvl, long addr, long end) {
        return g.addrEnd(lvl, addr, end);
    }

    /**
     * {@link #addrEnd} with the level's entry span already in hand ({@code span = 2^shift}), as
     * a loop over one table reads it once: right when {@code end} is {@code 2^63}.
     */
    static long addrEnd(long addr, long end, long span) {
        long boundary = (addr + span) & -span;
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }

    /**
     * A hole: how many none slots follow {@code ptr} in its table for entries that begin in
     * {@code [next, end)} ({@code next} an entry boundary of the level, {@code span = 2^shift}),
     * so that a loop steps over them with one look each.
     */
    static int noneAfter(Mm mm, int ptr, long next, long end, int shift) {
        if (next == end) return 0;
        int left = (int) ((end - 1 - next) >>> shift) + 1;    // unsigned: end may be 2^63
        int k = 0;
        while (k < left && mm.get(ptr + 1 + k) == NONE) k++;
        return k;
    }

    /** The generic leaf test at any level, the root included: huge or base, PROT_NONE too. */
    static boolean leaf(EntryFormat f, int lvl, long e) {
        return f.leaf(lvl, e);
    }

    /** Whether {@code [addr, next)}, cut at entry boundaries, is the whole span of its entry. */
    static boolean whole(Geometry g, int lvl, long addr, long next) {
        return next - addr == g.span(lvl);    // wraps correctly when next is 2^63
    }

    /** log2 of the bytes of a whole contiguous run at {@code lvl} (one entry if it has none). */
    static int runShift(Geometry g, int lvl) {
        return g.spanShift(lvl) + g.contigShift(lvl);
    }

    /** The first slot of the run {@code ptr} belongs to: tables, hence runs, are aligned. */
    static int runFirst(Geometry g, int lvl, int ptr) {
        return ptr & -g.contig(lvl);
    }

    /** Whether {@code [addr, end)} covers the whole run that starts at or holds {@code addr}. */
    static boolean runCovered(Geometry g, int lvl, long addr, long end) {
        long bytes = 1L << runShift(g, lvl);
        return (addr & (bytes - 1)) == 0 && Long.compareUnsigned(end - addr, bytes) >= 0;
    }

    /** Entries one unit takes at {@code lvl}: the run length for a contiguous leaf, else one. */
    static int unitEntries(EntryFormat f, Geometry g, int lvl, long e) {
        return f.contig(lvl, e) ? g.contig(lvl) : 1;
    }

    /** The run's first entry with young and dirty ORed over the run (contpte {@code ptep_get}). */
    static long runEntry(Mm mm, int lvl, int first) {
        EntryFormat f = mm.format();
        int n = mm.geometry().contig(lvl);
        boolean young = false;
        boolean dirty = false;
        for (int i = 0; i < n; i++) {
            long e = mm.get(first + i);
            young |= f.young(lvl, e);
            dirty |= f.dirty(lvl, e);
        }
        return f.withAccess(lvl, mm.get(first), young, dirty);
    }

    /**
     * Partial coverage: makes the leaf {@code e} at {@code (ptr, lvl)} fit {@code [addr, end)}.
     * A run covered in part is unfolded; a leaf (then) covered in part is split into a table.
     * Returns the entry now in the slot: a leaf covered whole (a whole run if still contiguous),
     * or the table entry to descend into.
     *
     * @param next {@code addrEnd(lvl, addr, end)}
     */
    static long fit(Mm mm, int ptr, int lvl, long addr, long next, long end, long e,
                    TlbGather tlb) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        if (f.contig(lvl, e)) {
            if (runCovered(g, lvl, addr, end)) return e;
            Leaves.unfoldRun(mm, ptr, lvl, addr, tlb);
            e = mm.get(ptr);
        }
        if (whole(g, lvl, addr, next)) return e;
        return Leaves.splitLeaf(mm, ptr, lvl, addr, tlb);
    }

    /** Whether every entry of the level-{@code lvl} table at {@code table} is none. */
    static boolean tableEmpty(Mm mm, int table, int lvl) {
        int n = mm.geometry().entries(lvl);
        for (int i = 0; i < n; i++) {
            if (mm.get(table + i) != NONE) return false;
        }
        return true;
    }

    /** Whether the {@code n} slots from {@code ptr} are all none. */
    static boolean allNone(Mm mm, int ptr, int n) {
        for (int i = 0; i < n; i++) {
            if (mm.get(ptr + i) != NONE) return false;
        }
        return true;
    }

    /**
     * An operation's recursion, measured: {@link #enter} on every call of the recursive function,
     * {@link #leave} on its return. The depth is reset at the start of each operation (an
     * exception may leave it raised); the maximum is kept until {@link #resetMaxDepth}.
     */
    abstract static class Recursion {
        private int depth;
        private int maxDepth;

        final void begin() { depth = 0; }

        final void enter() {
            if (++depth > maxDepth) maxDepth = depth;
        }

        final void leave() { depth--; }

        final int maxDepth() { return maxDepth; }

        final void resetMaxDepth() { maxDepth = 0; }
    }
}

package org.ptarena.vpte;

import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * The moving half of {@link VpteIter}: its position at every level — the table walked there
 * and the slot standing in it, in fixed arrays — and its moves. To move on it goes up before
 * sideways, then down as far as it needs to, as KVM's {@code tdp_iter} does (step down, step
 * sideways, step up): no recursion, no allocation per step. Only the levels the geometry has
 * exist; a layout of one level is walked the same way as one of six.
 *
 * <p>It stands on one <em>unit</em> at a time: a leaf (a base page, a huge leaf, or a whole
 * contiguous run, which is one vpte of the run's order), a hole (a none entry, with
 * {@link #HOLES}) or a table entry (with {@link #TABLES} or {@link #TABLES_POST}). Its cursor
 * {@link #pos} is the address it has reached: the range start for the first unit, then each
 * unit's start. The object is reused: {@link #reset} forgets the previous walk.
 */
public abstract class VpteCursor {
    /** Visit leaf units. */
    public static final int LEAVES = 1;
    /** Visit none entries, at the level where the walk meets them. */
    public static final int HOLES = 1 << 1;
    /** At a none entry above the stop level, allocate a table and go down into it. */
    public static final int ALLOC = 1 << 2;
    /** Visit a table entry before going down into it. */
    public static final int TABLES = 1 << 3;
    /** Visit a table entry after its children (to free empty tables). */
    public static final int TABLES_POST = 1 << 4;
    /** Unfold a run or split a huge leaf that the range covers in part, then go on inside. */
    public static final int SPLIT_PARTIAL = 1 << 5;

    /** {@link #kind}: a leaf unit. */
    public static final int LEAF = 0;
    /** {@link #kind}: a none entry. */
    public static final int HOLE = 1;
    /** {@link #kind}: a table entry, before its children (at the stop level: not entered). */
    public static final int TABLE = 2;
    /** {@link #kind}: a table entry, after its children. */
    public static final int TABLE_DONE = 3;

    static final int MAX_LEVELS = 8;
    private static final int START = 0;   // not yet at the root
    private static final int SETTLE = 1;  // look at the entry in slot[level]
    private static final int PAST = 2;    // past the current unit: sideways, else MOVE
    private static final int MOVE = 3;    // the cursor is past what stood at level: sideways or up
    private static final int DESCEND = 4; // go down into the table entry just visited
    private static final int DONE = 5;
    private static final int VISIT = 6;   // stand where the walk is: next() returns true

    Mm mm;
    Geometry g;
    EntryFormat f;
    TlbGather tlb;
    long start;
    long end;
    int flags;
    int stopLevel;
    /** Per level: the table walked at that level, and the slot (arena index) standing in it. */
    final int[] table = new int[MAX_LEVELS];
    final int[] slot = new int[MAX_LEVELS];
    /** Per level, from the geometry: offset bits of an address inside one table's span. */
    private final long[] tableMask = new long[MAX_LEVELS];
    int level;
    long pos;
    private int resume = DONE;
    int kind;
    int n;          // entries in the current unit: 1, or the run length
    int first;      // slot of the unit's first entry
    int order;
    long unitStart;
    long unitEnd;   // may be 2^63: compare unsigned

    VpteCursor() { }

    /** {@code vpte_iter_init}: walks {@code [start, end)} of {@code mm}; no split, no alloc. */
    public final VpteCursor init(Mm mm, long start, long end, int flags) {
        return reset(mm, start, end, flags, 0, null);
    }

    /** As {@link #init}; splits and unfolds are recorded in {@code tlb}. */
    public final VpteCursor reset(Mm mm, long start, long end, int flags, TlbGather tlb) {
        return reset(mm, start, end, flags, 0, tlb);
    }

    /**
     * Starts a walk of {@code [start, end)}: {@code flags} from this class; the walk does not go
     * down below the lowest level whose entries are of at least {@code stopOrder}. A table entry
     * there is not entered: it is visited as a {@link #TABLE} under {@link #TABLES} or
     * {@link #TABLES_POST}, and stepped over otherwise.
     */
    public final VpteCursor reset(Mm mm, long start, long end, int flags, int stopOrder,
            TlbGather tlb) {
        this.mm = mm;
        if (g != mm.geometry()) {
            g = mm.geometry();
            for (int l = 0; l <= g.rootLevel(); l++) {
                tableMask[l] = (1L << g.tableSpanShift(l)) - 1;
            }
        }
        this.f = mm.format();
        this.tlb = tlb;
        this.start = start;
        this.end = end;
        this.flags = flags;
        int s = 0;
        while (s < g.rootLevel() && g.order(s) < stopOrder) s++;
        this.stopLevel = s;
        this.pos = start;
        this.resume = START;
        return this;
    }

    /**
     * Moves to the next unit the flags ask for: from a leaf or hole, past it; from a table
     * visited before its children, down into it. Returns false when the range is done.
     */
    public final boolean next() {
        if (resume == PAST && sameAgain()) return true;
        return step();
    }

    /**
     * The common case, kept small so that it inlines into the caller's loop: past a single leaf
     * or a hole, the next slot of the same table holds another to visit — a single leaf that
     * needs no split, or a hole — so the level and order stay and only the slot moves.
     */
    private boolean sameAgain() {
        long p = unitEnd;
        if (n != 1 || kind > HOLE || Long.compareUnsigned(p, end) >= 0
                || (p & tableMask[level]) == 0) {
            return false;
        }
        int sl = first + 1;
        long e = mm.get(sl);
        long pEnd = p + (p - unitStart);
        if (f.leaf(level, e)) {
            if ((flags & LEAVES) == 0 || g.contig(level) > 1 && f.contig(level, e)
                    || (flags & SPLIT_PARTIAL) != 0 && Long.compareUnsigned(pEnd, end) > 0) {
                return false;
            }
            kind = LEAF;
        } else if (f.none(level, e) && (flags & HOLES) != 0
                && ((flags & ALLOC) == 0 || level <= stopLevel)) {
            kind = HOLE;
        } else {
            return false;
        }
        pos = p;
        slot[level] = sl;
        first = sl;
        unitStart = p;
        unitEnd = pEnd;
        return true;
    }

    /**
     * Every other move: the walk's state machine, one flat switch. (Kept as one method, so that
     * the JIT leaves it out of line and inlines only {@link #next}'s common case.)
     */
    private boolean step() {
        int s = resume;
        for (;;) {
            switch (s) {
                case SETTLE -> {
                    s = settle();
                    if (s == VISIT) return true;
                }
                case PAST -> {
                    pos = unitEnd;
                    s = MOVE;
                }
                case MOVE -> {
                    // pos is an entry boundary of this level, at offset 0 when it left the table
                    if (Long.compareUnsigned(pos, end) < 0 && (pos & tableMask[level]) != 0) {
                        slot[level] = table[level] + g.index(level, pos);      // sideways
                        s = SETTLE;
                    } else if (level == g.rootLevel()) {
                        s = DONE;
                    } else {
                        level++;                                               // up
                        if ((flags & TABLES_POST) != 0) {
                            long at = g.entryStart(level, pos - 1);
                            stand(TABLE_DONE, slot[level], 1, g.order(level), at,
                                    at + g.span(level));
                            resume = MOVE;
                            return true;
                        }
                    }
                }
                case START -> {
                    level = g.rootLevel();
                    table[level] = mm.root();
                    slot[level] = table[level] + g.index(level, pos);
                    s = SETTLE;
                }
                case DESCEND -> {
                    long e = mm.get(slot[level]);
                    if (f.table(level, e)) {
                        descend(e);
                        s = SETTLE;
                    } else {
                        s = PAST;                       // the visitor removed the table
                    }
                }
                default -> {
                    resume = DONE;
                    return false;
                }
            }
        }
    }

    /** Looks at the entry the cursor falls in: visits it, or says where to go from it. */
    private int settle() {
        for (;;) {
            int sl = slot[level];
            long e = mm.get(sl);
            if (f.leaf(level, e)) {
                int c = g.contig(level);
                boolean run = c > 1 && f.contig(level, e);
                long size = run ? g.span(level) << g.contigShift(level) : g.span(level);
                long at = pos & -size;
                if ((flags & SPLIT_PARTIAL) != 0 && partial(at, at + size)) {
                    if (run) {
                        Leaves.unfoldRun(mm, sl, level, pos, tlb);
                    } else {
                        Leaves.splitLeaf(mm, sl, level, pos, tlb);
                    }
                    continue;
                }
                stand(LEAF, run ? sl & -c : sl, run ? c : 1,
                        run ? g.runOrder(level) : g.order(level), at, at + size);
                if ((flags & LEAVES) == 0) return PAST;
                resume = PAST;
                return VISIT;
            }
            long span = g.span(level);
            long at = pos & -span;
            if (f.table(level, e)) {
                boolean enter = level > stopLevel;
                if (enter && (flags & TABLES) == 0) {
                    descend(e);
                    continue;
                }
                stand(TABLE, sl, 1, g.order(level), at, at + span);
                // at the stop level the table is not entered, so "after its children" is now
                if ((flags & (enter ? TABLES : TABLES | TABLES_POST)) == 0) return PAST;
                resume = enter ? DESCEND : PAST;
                return VISIT;
            }
            if ((flags & ALLOC) != 0 && level > stopLevel) {
                long t = f.makeTable(level, mm.allocTable(level - 1));
                mm.set(sl, t);
                descend(t);
                continue;
            }
            if ((flags & HOLES) == 0) {
                // step over none entries right here, sideways while the table goes on
                pos = at + span;
                if (Long.compareUnsigned(pos, end) >= 0 || (pos & tableMask[level]) == 0) {
                    return MOVE;
                }
                slot[level] = sl + 1;
                continue;
            }
            stand(HOLE, sl, 1, g.order(level), at, at + span);
            resume = PAST;
            return VISIT;
        }
    }

    /** Whether a unit {@code [at, atEnd)} reaches outside the range. */
    private boolean partial(long at, long atEnd) {
        return Long.compareUnsigned(at, start) < 0 || Long.compareUnsigned(atEnd, end) > 0;
    }

    private void stand(int k, int firstSlot, int count, int o, long at, long atEnd) {
        kind = k;
        first = firstSlot;
        n = count;
        order = o;
        unitStart = at;
        unitEnd = atEnd;
    }

    /** The single entry it stands on was just written as a leaf of the same order. */
    final void becameLeaf() {
        kind = LEAF;
        resume = PAST;
    }

    /** Stands on a leaf unit just written; the next move goes past it. */
    final void standOnLeaf(int firstSlot, int count, int o, long at, long atEnd) {
        stand(LEAF, firstSlot, count, o, at, atEnd);
        resume = PAST;
    }

    /** Steps down into the table that {@code e}, the entry in {@code slot[level]}, points to. */
    final void descend(long e) {
        int child = f.tablePtr(level, e);
        level--;
        table[level] = child;
        slot[level] = child + g.index(level, pos);
        descended(level);
    }

    /** Called each time the walk has stepped down into a table of {@code lvl}. */
    void descended(int lvl) { }

    // --- where the iterator stands -------------------------------------------------------

    /** {@link #LEAF}, {@link #HOLE}, {@link #TABLE} or {@link #TABLE_DONE}. */
    public final int kind() { return kind; }

    /** Level of the current unit's entries. */
    public final int level() { return level; }

    /** log2 of the current unit in base pages; for a hole or table entry, that of its span. */
    public final int order() { return order; }

    /** The current unit's own start; it may lie below the range start. */
    public final long addr() { return unitStart; }

    /** The address the walk has reached: the range start, or the current unit's start. */
    public final long pos() { return pos; }

    /**
     * The current unit's entry: for a contiguous run, its first entry with young and dirty
     * ORed over the run (as {@code ptep_get} on arm64 contpte reports it); for a hole, 0.
     */
    public final long vpte() {
        long e = mm.get(first);
        if (n == 1 || kind != LEAF) return e;
        boolean young = f.young(level, e);
        boolean dirty = f.dirty(level, e);
        for (int i = 1; i < n && !(young && dirty); i++) {
            long x = mm.get(first + i);
            young |= f.young(level, x);
            dirty |= f.dirty(level, x);
        }
        return f.withAccess(level, e, young, dirty);
    }

    /** The current unit's first entry exactly as stored (no OR over a run). */
    public final long rawVpte() { return mm.get(first); }

    /** The one entry the cursor falls in (inside a run: that entry alone). */
    public final long entry() { return mm.get(slot[level]); }
}

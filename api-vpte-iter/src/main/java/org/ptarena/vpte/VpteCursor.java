package org.ptarena.vpte;

import org.ptarena.core.Arena;
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
    /** {@code mm}'s arena, one indirection less per read (never its array: that moves). */
    private Arena arena;
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
    /**
     * Per level, read from the geometry once when the walk meets a new geometry: offset bits of
     * an address inside one table's span, span shift, index bits, single-leaf order, run length
     * and run order, whether a leaf may sit there.
     */
    private final long[] tableMask = new long[MAX_LEVELS];
    private final int[] shift = new int[MAX_LEVELS];
    private final int[] bits = new int[MAX_LEVELS];
    private final int[] ord = new int[MAX_LEVELS];
    private final int[] runLen = new int[MAX_LEVELS];
    private final int[] runOrd = new int[MAX_LEVELS];
    final boolean[] leafOk = new boolean[MAX_LEVELS];
    private int rootLevel;
    int level;
    long pos;
    private int resume = DONE;
    int kind;
    int n;          // entries in the current unit: 1, or the run length
    int first;      // slot of the unit's first entry
    int order;
    long unitStart;
    long unitEnd;   // may be 2^63: compare unsigned
    /*
     * The sideways fast path, armed each time the walk stands on a leaf or hole by the slow
     * path: the next unit of the same table, up to fastEnd (exclusive; 0 = off: a slot there
     * lies wholly inside the range and the table), is taken by sideways() without the state
     * machine when it is a leaf (fastLeaf) or a hole (fastHole); none entries are stepped over
     * when fastSkip. The level's constants ride along, so the step reads no array.
     */
    private int fastEnd;
    private boolean fastLeaf;
    private boolean fastHole;
    private boolean fastSkip;
    private int fastRun;
    private int fastOrder;
    private int fastRunOrder;
    private long fastSpan;
    /** {@link #seek}'s last stop order and the level it gives ({@code -1}: none yet). */
    private int seekOrder = -1;
    private int seekLevel;
    /*
     * seek's fast path, armed when a seek ends at its stop level and disarmed by any other move
     * that may leave that table: the start of the span of the table it stands in (-1 = off:
     * no address masks to it), that table, and the level's constants.
     */
    private long seekFrom = -1;
    private long seekMask;
    private int seekTable;
    private int seekShift;
    private int seekOrd;

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
        this.arena = mm.arena();
        if (g != mm.geometry()) {
            g = mm.geometry();
            rootLevel = g.rootLevel();
            for (int l = 0; l <= rootLevel; l++) {
                tableMask[l] = (1L << g.tableSpanShift(l)) - 1;
                shift[l] = g.spanShift(l);
                bits[l] = g.bits(l);
                ord[l] = g.order(l);
                runLen[l] = g.contig(l);
                runOrd[l] = g.runOrder(l);
                leafOk[l] = g.leafAllowed(l);
            }
        }
        this.f = mm.format();
        this.tlb = tlb;
        this.start = start;
        this.end = end;
        this.flags = flags;
        int s = 0;
        while (s < rootLevel && ord[s] < stopOrder) s++;
        this.stopLevel = s;
        this.pos = start;
        this.resume = START;
        this.fastEnd = 0;
        this.seekOrder = -1;
        this.seekFrom = -1;
        return this;
    }

    /**
     * Jumps to {@code addr} (in the range, not below where the walk stands) and stands on the
     * entry covering it at the lowest level whose entries are of at least {@code stopOrder}:
     * up only as far as the tables it holds stop covering {@code addr}, sideways there, then
     * down — allocating a table at a none entry above that level under {@link #ALLOC}. So a
     * cursor that follows another walk re-descends only from the level where their paths part
     * (one step sideways within one table). The entry there is then the current unit: a
     * {@link #HOLE}, a {@link #LEAF} (a single entry) or a {@link #TABLE}; the walk also stops
     * at a leaf above that level. The next {@link #next} goes on past it.
     *
     * @return whether it stands on a none entry at that level (a hole to write a unit into)
     */
    public final boolean seek(long addr, int stopOrder) {
        long from = seekFrom;
        if ((addr & ~seekMask) == from && stopOrder == seekOrder) {
            // the common case, kept small to inline: a none slot of the table it stands in
            int sl = seekTable + (int) ((addr - from) >>> seekShift);
            if (f.none(level, arena.get(sl))) {
                long at = addr & (-1L << seekShift);
                pos = addr;
                slot[level] = sl;
                stand(HOLE, sl, 1, seekOrd, at, at + (1L << seekShift));
                return true;
            }
        }
        return seekFar(addr, stopOrder);
    }

    /** The rest of {@link #seek}: up, sideways and down through the state it keeps. */
    private boolean seekFar(long addr, int stopOrder) {
        seekFrom = -1;
        if (stopOrder != seekOrder) {
            int s = 0;
            while (s < rootLevel && ord[s] < stopOrder) s++;
            seekOrder = stopOrder;
            seekLevel = s;
        }
        int stop = seekLevel;
        int l = level;
        if (resume != PAST && resume != DESCEND) {
            // not standing on an entry (not started, done, or just past a table's children,
            // where pos may lie beyond the tables it holds): from the root
            l = rootLevel;
            table[l] = mm.root();
        } else {
            long apart = addr ^ pos;
            while (l < stop || l < rootLevel && (apart & ~tableMask[l]) != 0) l++;   // up
        }
        pos = addr;
        int sl = table[l] + index(l, addr);                                     // sideways
        long e = arena.get(sl);
        while (l > stop) {                                                      // down
            if (!f.table(l, e)) {
                if (!f.none(l, e) || (flags & ALLOC) == 0) break;
                e = f.makeTable(l, mm.allocTable(l - 1));
                mm.set(sl, e);
            }
            int child = f.tablePtr(l, e);
            slot[l] = sl;
            l--;
            table[l] = child;
            sl = child + index(l, addr);
            e = arena.get(sl);
        }
        slot[l] = sl;
        level = l;
        long span = 1L << shift[l];
        long at = addr & -span;
        int k = f.none(l, e) ? HOLE : f.leaf(l, e) ? LEAF : TABLE;
        stand(k, sl, 1, ord[l], at, at + span);
        resume = PAST;
        if (l == stop) {
            seekMask = tableMask[l];
            seekFrom = addr & ~tableMask[l];
            seekTable = table[l];
            seekShift = shift[l];
            seekOrd = ord[l];
        }
        return k == HOLE && l == stop;
    }

    /**
     * Moves to the next unit the flags ask for: from a leaf or hole, past it; from a table
     * visited before its children, down into it. Returns false when the range is done.
     */
    public final boolean next() {
        if (resume == PAST && sideways()) return true;
        return step();
    }

    /**
     * The common case, kept small so that it inlines into the caller's loop: past a leaf or a
     * hole, a later slot of the same table, wholly inside the range, holds the next unit to
     * visit — a leaf that needs no split (a whole run counts) or a hole — so the level stays
     * and only the slot moves; none entries are stepped over when holes are not visited.
     * Anything else goes back to the state machine at the slot it stopped at.
     */
    private boolean sideways() {
        int sl = first + n;
        if (sl >= fastEnd) return false;
        long e = arena.get(sl);
        long p = unitEnd;
        if (fastLeaf && f.leaf(level, e) && (fastRun == 1 || !f.contig(level, e))) {
            standFast(LEAF, sl, 1, fastOrder, p, p + fastSpan);      // the next single leaf
            return true;
        }
        return sidewaysFrom(sl, p, e);
    }

    /** The rest of {@link #sideways}, from slot {@code sl} at {@code p} holding {@code e}. */
    private boolean sidewaysFrom(int sl, long p, long e) {
        int lim = fastEnd;
        long span = fastSpan;
        for (;;) {
            if (f.none(level, e)) {
                if (fastHole) {
                    standFast(HOLE, sl, 1, fastOrder, p, p + span);
                    return true;
                }
                if (!fastSkip) break;
            } else {
                if (!fastLeaf || !f.leaf(level, e)) break;
                int c = fastRun;
                if (c > 1 && f.contig(level, e)) {
                    if ((sl & (c - 1)) != 0 || sl + c > lim) break;   // a run seen from inside
                    standFast(LEAF, sl, c, fastRunOrder, p, p + ((long) c * span));
                    return true;
                }
                standFast(LEAF, sl, 1, fastOrder, p, p + span);
                return true;
            }
            if (++sl >= lim) {
                p += span;
                break;
            }
            p += span;
            e = arena.get(sl);
        }
        unitEnd = p;          // the state machine goes on from the slot the loop stopped at
        return false;
    }

    private void standFast(int k, int sl, int count, int o, long at, long atEnd) {
        kind = k;
        first = sl;
        n = count;
        order = o;
        pos = at;
        unitStart = at;
        unitEnd = atEnd;
        slot[level] = sl;
    }

    /**
     * Arms {@link #sideways} for the level the walk stands on: the slots of this table from the
     * current unit on whose whole span lies before {@code end}, and the level's constants.
     */
    private void arm() {
        int l = level;
        int sh = shift[l];
        long tableStart = unitStart & ~tableMask[l];
        long room = (end - tableStart) >>> sh;           // unsigned: end may be 2^63
        int entries = 1 << bits[l];
        int slots = Long.compareUnsigned(room, entries) >= 0 ? entries : (int) room;
        fastEnd = table[l] + slots;
        fastSpan = 1L << sh;
        fastOrder = ord[l];
        fastRun = runLen[l];
        fastRunOrder = runOrd[l];
        fastLeaf = (flags & LEAVES) != 0;
        boolean noneHere = (flags & ALLOC) == 0 || l <= stopLevel;
        fastHole = (flags & HOLES) != 0 && noneHere;
        fastSkip = (flags & HOLES) == 0 && noneHere;
    }

    /**
     * Every other move: the walk's state machine, one flat switch. (Kept as one method, so that
     * the JIT leaves it out of line and inlines only {@link #next}'s common case.)
     */
    private boolean step() {
        seekFrom = -1;                    // it may leave the table seek stands in
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
                        slot[level] = table[level] + index(level, pos);        // sideways
                        s = SETTLE;
                    } else if (level == rootLevel) {
                        s = DONE;
                    } else {
                        level++;                                               // up
                        if ((flags & TABLES_POST) != 0) {
                            long span = 1L << shift[level];
                            long at = (pos - 1) & -span;
                            stand(TABLE_DONE, slot[level], 1, ord[level], at, at + span);
                            resume = MOVE;
                            return true;
                        }
                    }
                }
                case START -> {
                    level = rootLevel;
                    table[level] = mm.root();
                    slot[level] = table[level] + index(level, pos);
                    s = SETTLE;
                }
                case DESCEND -> {
                    long e = arena.get(slot[level]);
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
            long e = arena.get(sl);
            if (f.leaf(level, e)) {
                int c = runLen[level];
                boolean run = c > 1 && f.contig(level, e);
                long size = run ? (long) c << shift[level] : 1L << shift[level];
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
                        run ? runOrd[level] : ord[level], at, at + size);
                if ((flags & LEAVES) == 0) return PAST;
                arm();
                resume = PAST;
                return VISIT;
            }
            long span = 1L << shift[level];
            long at = pos & -span;
            if (f.table(level, e)) {
                boolean enter = level > stopLevel;
                if (enter && (flags & TABLES) == 0) {
                    descend(e);
                    continue;
                }
                stand(TABLE, sl, 1, ord[level], at, at + span);
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
                // step over none entries right here, sideways while the table goes on: one
                // look per entry, the position written once where the hole ends
                int lim = holeLimit(at);
                int next = sl + 1;
                while (next < lim && f.none(level, arena.get(next))) next++;
                pos = at + ((long) (next - sl) << shift[level]);
                if (next == lim) return MOVE;    // past the table or the range
                slot[level] = next;
                continue;
            }
            stand(HOLE, sl, 1, ord[level], at, at + span);
            arm();
            resume = PAST;
            return VISIT;
        }
    }

    /**
     * The slot past the last entry of this level's table that begins before {@code end}, for an
     * entry at {@code at} in it.
     */
    private int holeLimit(long at) {
        int l = level;
        long tableStart = at & ~tableMask[l];
        long room = ((end - 1 - tableStart) >>> shift[l]) + 1;   // unsigned: end may be 2^63
        int entries = 1 << bits[l];
        return table[l] + (Long.compareUnsigned(room, entries) >= 0 ? entries : (int) room);
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
        fastEnd = 0;
    }

    /** The single entry it stands on was just written as a leaf of the same order. */
    final void becameLeaf() {
        kind = LEAF;
        resume = PAST;
    }

    /** Stands on a leaf unit just written; the next move goes past it. */
    final void standOnLeaf(int firstSlot, int count, int o, long at, long atEnd) {
        stand(LEAF, firstSlot, count, o, at, atEnd);
        arm();
        resume = PAST;
    }

    /** Steps down into the table that {@code e}, the entry in {@code slot[level]}, points to. */
    final void descend(long e) {
        seekFrom = -1;
        int child = f.tablePtr(level, e);
        level--;
        table[level] = child;
        slot[level] = child + index(level, pos);
        descended(level);
    }

    /** Index of the level-{@code lvl} entry covering {@code addr} in its table. */
    private int index(int lvl, long addr) {
        return (int) ((addr >>> shift[lvl]) & ((1L << bits[lvl]) - 1));
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
        long e = arena.get(first);
        if (n == 1 || kind != LEAF) return e;
        boolean young = f.young(level, e);
        boolean dirty = f.dirty(level, e);
        for (int i = 1; i < n && !(young && dirty); i++) {
            long x = arena.get(first + i);
            young |= f.young(level, x);
            dirty |= f.dirty(level, x);
        }
        return f.withAccess(level, e, young, dirty);
    }

    /** The current unit's first entry exactly as stored (no OR over a run). */
    public final long rawVpte() { return arena.get(first); }

    /** The one entry the cursor falls in (inside a run: that entry alone). */
    public final long entry() { return arena.get(slot[level]); }
}

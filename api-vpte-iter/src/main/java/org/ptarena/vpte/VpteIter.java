package org.ptarena.vpte;

import org.ptarena.core.EntryFormat;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;

/**
 * Wilcox's flat page-table iterator ({@code vpte_iter}, LSF/MM/BPF 2020 thread on page-table
 * primitives):
 *
 * <pre>
 * for (it.init(mm, start, end, VpteIter.LEAVES); it.next(); ) {
 *     int order = it.order();     // the order lives in the iterator, not in the entry
 *     long vpte = it.vpte();      // the entry as the level's format stores it
 * }
 * </pre>
 *
 * <p>{@link VpteCursor} holds the position and the moves; this class adds the writes made
 * where the iterator stands, above all {@link #setVpteAt} ({@code set_vpte_at(mm, addr, iter,
 * vpte, order)}), which writes a unit of any order: a base entry, a huge leaf, or a whole
 * contiguous run.
 */
public class VpteIter extends VpteCursor {

    // --- writing ---------------------------------------------------------------------------

    /** Writes the one entry the cursor falls in, as hardware sets accessed and dirty bits. */
    public final void setEntry(long e) { mm.set(slot[level], e); }

    /**
     * {@code set_vpte_at(mm, addr, iter, vpte, order)}: writes the unit of {@code order} that
     * holds the cursor — a base entry, a huge leaf, or a whole contiguous run with the
     * contiguous bit on every entry and consecutive pfns. Going down from where it stands to
     * the level that order needs, it allocates a table at a none entry and splits a larger leaf
     * (unfolding its run first); at that level it unfolds a run it writes one entry of. The
     * iterator then stands on the written unit. {@code vpte} is encoded for the level
     * {@link #levelFor} gives, without the contiguous bit.
     */
    public final void setVpteAt(long vpte, int unitOrder) {
        if (n == 1 && kind <= HOLE && unitOrder == order && leafOk[level]) {
            mm.set(first, vpte);                 // a single entry where one stands: no move
            becameLeaf();
        } else {
            setVpteElsewhere(vpte, unitOrder);
        }
    }

    /** {@link #setVpteAt} of a unit that is a run, or lies below where the iterator stands. */
    private void setVpteElsewhere(long vpte, int unitOrder) {
        int target = levelFor(unitOrder);
        if (target < 0) {
            throw new IllegalStateException("set_vpte_at: no level below " + level
                    + " holds a unit of order " + unitOrder + " in " + g.name());
        }
        while (level > target) {
            int sl = slot[level];
            long e = mm.get(sl);
            if (f.leaf(level, e)) {
                if (g.contig(level) > 1 && f.contig(level, e)) {
                    Leaves.unfoldRun(mm, sl, level, pos, tlb);
                }
                e = Leaves.splitLeaf(mm, sl, level, pos, tlb);
            } else if (!f.table(level, e)) {
                e = f.makeTable(level, mm.allocTable(level - 1));
                mm.set(sl, e);
            }
            descend(e);
        }
        int sl = slot[level];
        long e = mm.get(sl);
        if (f.table(level, e)) {
            throw new IllegalStateException("set_vpte_at over a table at level " + level);
        }
        boolean run = unitOrder != g.order(level);
        if (!run && g.contig(level) > 1 && f.leaf(level, e) && f.contig(level, e)) {
            Leaves.unfoldRun(mm, sl, level, pos, tlb);
        }
        int count = run ? g.contig(level) : 1;
        long size = g.unitSize(unitOrder);
        long at = pos & -size;
        standOnLeaf(sl & -count, count, unitOrder, at, at + size);
        writeUnit(mm, level, first, count, vpte);
    }

    /**
     * The level a unit of {@code unitOrder} is written at from here: the highest level at or
     * below the current one that holds a leaf of that order or a run of that order; -1 if none.
     */
    public final int levelFor(int unitOrder) {
        for (int l = level; l >= 0; l--) {
            if (g.leafAllowed(l) && g.order(l) == unitOrder) return l;
            if (g.contig(l) > 1 && g.runOrder(l) == unitOrder) return l;
        }
        return -1;
    }

    /** Writes a unit of {@code count} entries at {@code lvl} from {@code firstSlot}. */
    static void writeUnit(Mm target, int lvl, int firstSlot, int count, long vpte) {
        if (count == 1) {
            target.set(firstSlot, vpte);
            return;
        }
        EntryFormat fmt = target.format();
        long pfn = fmt.pfn(lvl, vpte);
        int prot = fmt.prot(lvl, vpte);
        boolean young = fmt.young(lvl, vpte);
        boolean dirty = fmt.dirty(lvl, vpte);
        long step = 1L << target.geometry().order(lvl);
        for (int i = 0; i < count; i++) {
            target.set(firstSlot + i, fmt.makeLeaf(lvl, pfn + i * step, prot, true, young, dirty));
        }
    }

    /** {@code pte_modify} on every entry of the current unit, each keeping its own bits. */
    public final void setProt(int prot) {
        if (n == 1) {
            mm.set(first, f.withProt(level, mm.get(first), prot));   // no loop set up for one
            return;
        }
        for (int i = 0; i < n; i++) {
            mm.set(first + i, f.withProt(level, mm.get(first + i), prot));
        }
    }

    /** {@code wrprotect_ptes}: w removed from every entry of the current unit, the rest kept. */
    public final void wrprotect() {
        if (n == 1) {
            mm.set(first, f.wrprotect(level, mm.get(first)));
            return;
        }
        for (int i = 0; i < n; i++) mm.set(first + i, f.wrprotect(level, mm.get(first + i)));
    }

    /** Bytes of the current unit. */
    public final long unitBytes() { return unitEnd - unitStart; }   // wraps right at 2^63

    /** Clears every entry of the current unit. */
    public final void clearUnit() {
        if (n == 1) {
            mm.set(first, 0L);
            return;
        }
        for (int i = 0; i < n; i++) mm.set(first + i, 0L);
    }

    /** Whether {@code count} slots from the cursor's one on are all none (room for a run). */
    public final boolean noneFromHere(int count) {
        int sl = slot[level];
        for (int i = 0; i < count; i++) {
            if (!f.none(level, mm.get(sl + i))) return false;
        }
        return true;
    }

    /** At a table entry: whether the table it points to has only none entries. */
    public final boolean tableEmpty() {
        int child = f.tablePtr(level, mm.get(first));
        int count = g.entries(level - 1);
        for (int i = 0; i < count; i++) {
            if (!f.none(level - 1, mm.get(child + i))) return false;
        }
        return true;
    }

    /** At a table entry ({@code free_pte_range}): clears it and frees its table. */
    public final void freeTable() {
        int child = f.tablePtr(level, mm.get(first));
        mm.set(first, 0L);
        mm.freeTable(child, level - 1);
        tlb.tableFreed(level - 1);
    }
}

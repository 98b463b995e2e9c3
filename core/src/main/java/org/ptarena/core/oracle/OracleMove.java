package org.ptarena.core.oracle;

import org.ptarena.core.Args;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.TlbGather;

/**
 * The oracle's {@code move} ({@code mremap}'s {@code move_page_tables}), kept apart from {@link
 * Oracle} for length. Every table allocation, fit, freeing and event goes through the {@link
 * Oracle} it belongs to.
 */
final class OracleMove {
    private final Oracle o;

    OracleMove(Oracle o) {
        this.o = o;
    }


    /**
     * {@code move_page_tables} for {@code mremap}: moves {@code [oldStart, oldEnd)} to {@code
     * newStart} within {@code mm}, as {@link PageTableOps#move} states. Refused, before anything
     * changes, on bad arguments (both ranges through {@link Args}), on overlapping ranges ({@link
     * IllegalArgumentException}, as {@code mremap_to}'s {@code vrm_overlaps} gives {@code -EINVAL})
     * and on a destination that is not empty (as for copy). Then, ascending over the source, each
     * step looks top-down at the entry covering the current address ({@link #moveStep}). Finally
     * every empty table meeting the source range is freed, as {@code unmap} with {@code
     * freeTables} does ({@code unmap_source_vma}). On a failed allocation what was moved stays
     * moved, splits stay, and nothing is freed.
     *
     * @return base pages of the range (the kernel returns the bytes it moved)
     */
    long move(OracleMm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        String op = "move";
        Geometry g = mm.geometry();
        try {
            Args.range(g, op, oldStart, oldEnd);
            long newEnd = newStart + (oldEnd - oldStart);
            Args.range(g, op, newStart, newEnd);
            if (Long.compareUnsigned(oldEnd, newStart) > 0
                    && Long.compareUnsigned(newEnd, oldStart) > 0) {
                throw new IllegalArgumentException(op + ": new range " + Args.hex(newStart) + "-"
                        + Args.hex(newEnd) + " overlaps old range " + Args.hex(oldStart) + "-"
                        + Args.hex(oldEnd));
            }
            OracleCopy.refuseUnlessEmpty(mm, newStart, newEnd, op);
            long delta = newStart - oldStart;
            for (long cur = oldStart; Long.compareUnsigned(cur, oldEnd) < 0; ) {
                cur = moveStep(mm, cur, oldStart, oldEnd, delta, op, tlb);
            }
            o.freeEmptyTables(mm, oldStart, oldEnd, op, tlb);
            return Args.pages(g, oldStart, oldEnd);
        } catch (RuntimeException e) {
            o.events().refused(op, e.getClass());
            throw e;
        }
    }

    /**
     * One step of the move at {@code cur}, looking top-down at the entry of each level covering
     * it, as a walk of the source reaches it: a unit is made to fit (covered in part, or its
     * destination not aligned to its size: unfold a run, split a huge leaf) and looked at again,
     * or moved whole; a table of level 0 or 1 whose span the range covers and whose destination
     * slot is aligned and none is moved whole ({@code move_normal_pmd}, {@code move_normal_pud});
     * any other table is descended into; a none entry is stepped over.
     *
     * @return the address the move has reached
     */
    private long moveStep(OracleMm mm, long cur, long oldStart, long oldEnd, long delta,
            String op, TlbGather tlb) {
        Geometry g = mm.geometry();
        Unit u = mm.unitAt(cur);
        for (int level = g.rootLevel(); ; level--) {
            if (u != null && u.level() == level) {
                if (!Oracle.inside(g, u, oldStart, oldEnd) || !g.aligned(u.start() + delta, u.order())) {
                    o.makeFit(mm, u, op, tlb);
                    return cur;
                }
                moveUnit(mm, u, delta, op, tlb);
                return u.end(g.pageShift());
            }
            long slot = g.entryStart(level, cur);
            if (level == 0 || !mm.hasTable(level - 1, slot)) return g.addrEnd(level, cur, oldEnd);
            long span = g.span(level);
            boolean whole = Long.compareUnsigned(slot, oldStart) >= 0
                    && Long.compareUnsigned(slot + span - 1, oldEnd - 1) <= 0;
            long to = slot + delta;
            if (level - 1 <= 1 && whole && g.aligned(to, g.order(level))
                    && !mm.hasTable(level - 1, to) && mm.firstUnitMeeting(to, to + span) == null) {
                moveTable(mm, level, slot, delta, op, tlb);
                return slot + span;
            }
        }
    }

    /**
     * Moves one unit whole: the destination's tables down to the unit's level are allocated
     * top-down where missing, then the unit goes to its new start with its pfns, prot and
     * contiguity; a single entry keeps its young and dirty, every entry of a run gets them ORed
     * over the run ({@code get_and_clear_full_ptes} then {@code set_ptes}). One {@link
     * TlbGather#leafChanged} at the old address.
     */
    private void moveUnit(OracleMm mm, Unit u, long delta, String op, TlbGather tlb) {
        Geometry g = mm.geometry();
        long to = u.start() + delta;
        allocateDown(mm, u.level(), to, op);
        mm.remove(u);
        Unit moved = u.contiguous()
                ? new Unit(u.level(), u.order(), g.order(u.level()), to, u.pfn(), u.prot(), true,
                        Unit.all(u.entries(), u.youngAny()), Unit.all(u.entries(), u.dirtyAny()))
                : rekeyed(g, u, to);
        mm.put(moved);
        tlb.leafChanged(u.start(), u.size(g.pageShift()), u.level());
        o.events().unit(op, u.level(), u.order(), u.contiguous());
    }

    /**
     * Moves the table hung in the level-{@code level} entry at {@code slot} whole, with every
     * table and unit under it exactly as they are; the destination's tables down to {@code level}
     * are allocated top-down where missing. One {@link TlbGather#leafChanged} for the entry's span
     * at the old address, at {@code level}.
     */
    private void moveTable(OracleMm mm, int level, long slot, long delta, String op,
            TlbGather tlb) {
        Geometry g = mm.geometry();
        long span = g.span(level);
        allocateDown(mm, level, slot + delta, op);
        for (int l = level - 1; l >= 0; l--) {
            for (long t : mm.tablesMeeting(l, slot, slot + span)) {
                mm.removeTable(l, t);
                mm.addTable(l, t + delta);
            }
        }
        for (Unit u : mm.unitsIn(slot, slot + span)) {
            mm.remove(u);
            mm.put(rekeyed(g, u, u.start() + delta));
        }
        tlb.leafChanged(slot, span, level);
        o.events().tableMoved(op, level - 1);
    }

    /** The tables of levels {@code root-1} down to {@code level} covering {@code va}, top-down. */
    private void allocateDown(OracleMm mm, int level, long va, String op) {
        Geometry g = mm.geometry();
        for (int l = g.rootLevel() - 1; l >= level; l--) {
            long start = g.entryStart(l + 1, va);
            if (!mm.hasTable(l, start)) o.allocate(mm, l, start, op);
        }
    }

    /** {@code u} at a new start, every entry keeping its own young and dirty. */
    private static Unit rekeyed(Geometry g, Unit u, long start) {
        boolean[] young = new boolean[u.entries()];
        boolean[] dirty = new boolean[u.entries()];
        for (int i = 0; i < young.length; i++) {
            young[i] = u.young(i);
            dirty[i] = u.dirty(i);
        }
        return new Unit(u.level(), u.order(), g.order(u.level()), start, u.pfn(), u.prot(),
                u.contiguous(), young, dirty);
    }
}

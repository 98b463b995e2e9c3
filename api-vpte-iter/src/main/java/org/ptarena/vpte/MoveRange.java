package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * {@code move_page_tables} with two iterators in one tree: the destination one follows the
 * source by {@link VpteIter#seek} to the hole each unit or whole table ({@code move_normal_pmd},
 * levels 0 and 1) goes to; a last walk frees emptied tables. Differs: no VMA, no realignment.
 */
final class MoveRange {
    /** The highest level whose entries hand over a whole table (the PUD entry, in kernel words). */
    private static final int TABLE_MOVE_LEVEL = 2;
    private static final int FLAGS = VpteIter.LEAVES | VpteIter.TABLES | VpteIter.SPLIT_PARTIAL;
    private final VpteIter dst = new VpteIter();
    /** Units moved at one level not yet told to the gather: {@code [pendingFrom, pendingTo)}. */
    private long pendingFrom;
    private long pendingTo;
    private int pendingLevel = -1;

    long move(VpteIter src, Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
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
        mustBeEmpty(src, mm, newStart, newEnd);
        pendingLevel = -1;
        try {
            moveUnits(src, mm, oldStart, oldEnd, newStart - oldStart, tlb);
        } finally {
            flush(tlb);                       // what was moved stays moved, and is flushed
        }
        freeTables(src, mm, oldStart, oldEnd, tlb);
        return Args.pages(g, oldStart, oldEnd);
    }

    /** The walk: every unit and every table of level 0 or 1 that can go whole, ascending. */
    private void moveUnits(VpteIter src, Mm mm, long oldStart, long oldEnd, long delta,
            TlbGather tlb) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        VpteIter dst = this.dst;
        dst.reset(mm, oldStart + delta, oldEnd + delta, VpteIter.HOLES | VpteIter.ALLOC, null);
        for (src.reset(mm, oldStart, oldEnd, FLAGS, tlb); src.next(); ) {
            int level = src.level();
            long at = src.addr();
            long size = src.unitBytes();
            long to = at + delta;
            if (src.kind() == VpteIter.TABLE) {
                // a table moved whole is gone from the source: the iterator steps past it
                if (level <= TABLE_MOVE_LEVEL && Long.compareUnsigned(at, oldStart) >= 0
                        && Long.compareUnsigned(at + size - 1, oldEnd - 1) <= 0
                        && (to & (size - 1)) == 0 && dst.seek(to, src.order())) {
                    dst.setEntry(src.entry());
                    src.setEntry(0L);
                    changed(at, size, level, tlb);
                }
                continue;
            }
            if ((to & (size - 1)) != 0) {
                // destination not aligned to the unit: unfold or split, then look again here
                if (src.n > 1) {
                    Leaves.unfoldRun(mm, src.first, level, at, tlb);
                } else {
                    Leaves.splitLeaf(mm, src.first, level, at, tlb);
                }
                src.reset(mm, at, oldEnd, FLAGS, tlb);
                continue;
            }
            long vpte = src.vpte();           // a run: young and dirty ORed over it
            dst.seek(to, g.order(level));
            dst.setVpteAt(src.n > 1 ? f.withContig(level, vpte, false) : vpte, src.order());
            src.clearUnit();
            changed(at, size, level, tlb);
        }
    }

    /** {@link TlbGather#leafChanged}, merged over the units moved one after another at a level. */
    private void changed(long at, long size, int level, TlbGather tlb) {
        if (level == pendingLevel) {
            pendingTo = at + size;            // ascending: only the end grows
            return;
        }
        flush(tlb);
        pendingFrom = at;
        pendingTo = at + size;
        pendingLevel = level;
    }

    private void flush(TlbGather tlb) {
        if (pendingLevel >= 0) {
            tlb.leafChanged(pendingFrom, pendingTo - pendingFrom, pendingLevel);
        }
        pendingLevel = -1;
    }

    /**
     * {@code free_pgtables} over the old range, each table entry looked at after its children:
     * nothing is left in it, so a table whose span lies wholly inside the range is empty without
     * a look; one that reaches outside is freed if it is empty.
     */
    private static void freeTables(VpteIter it, Mm mm, long start, long end, TlbGather tlb) {
        Geometry g = mm.geometry();
        if (g.rootLevel() == 0) return;
        for (it.reset(mm, start, end, VpteIter.TABLES_POST, g.order(1), tlb); it.next(); ) {
            long at = it.addr();
            boolean inside = Long.compareUnsigned(at, start) >= 0
                    && Long.compareUnsigned(at + it.unitBytes() - 1, end - 1) <= 0;
            if (inside || it.tableEmpty()) it.freeTable();
        }
    }

    /** No leaf may meet the range, and no table may lie wholly inside it. */
    private static void mustBeEmpty(VpteIter it, Mm mm, long start, long end) {
        for (it.init(mm, start, end, VpteIter.LEAVES | VpteIter.TABLES); it.next(); ) {
            if (it.kind() == VpteIter.LEAF) {
                throw OverlapException.mapped("move", Math.max(it.addr(), start));
            }
            long spanEnd = it.addr() + mm.geometry().unitSize(it.order());
            if (Long.compareUnsigned(it.addr(), start) >= 0
                    && Long.compareUnsigned(spanEnd, end) <= 0) {
                throw OverlapException.table("move", it.addr());
            }
        }
    }
}

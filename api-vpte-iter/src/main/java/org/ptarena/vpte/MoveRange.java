package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * {@code move_page_tables} with two iterators in one tree: the source one visits table entries
 * before their children and leaf units; a second one, reset at each new address, allocates its
 * way down to the hole where the unit or the whole table goes ({@code move_normal_pmd}/{@code
 * pud}, on tables of level 0 and 1 as the kernel). Differs from Linux: no VMA, no realignment.
 */
final class MoveRange {
    /** The highest level whose entries hand over a whole table (the PUD entry, in kernel words). */
    private static final int TABLE_MOVE_LEVEL = 2;
    private static final int FLAGS = VpteIter.LEAVES | VpteIter.TABLES | VpteIter.SPLIT_PARTIAL;
    private final VpteIter dst = new VpteIter();

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
        EntryFormat f = mm.format();
        long delta = newStart - oldStart;
        for (src.reset(mm, oldStart, oldEnd, FLAGS, tlb); src.next(); ) {
            int lvl = src.level();
            long at = src.addr();
            long size = g.unitSize(src.order());
            long to = at + delta;
            if (src.kind() == VpteIter.TABLE) {
                // a table moved whole is gone from the source: the iterator steps past it
                if (lvl <= TABLE_MOVE_LEVEL && Long.compareUnsigned(at, oldStart) >= 0
                        && Long.compareUnsigned(at + size - 1, oldEnd - 1) <= 0
                        && (to & (size - 1)) == 0 && hole(mm, to, size, lvl)) {
                    dst.setEntry(src.entry());
                    src.setEntry(0L);
                    tlb.leafChanged(at, size, lvl);
                }
                continue;
            }
            if ((to & (size - 1)) != 0) {
                // destination not aligned to the unit: unfold or split, then look again here
                if (src.n > 1) {
                    Leaves.unfoldRun(mm, src.first, lvl, at, tlb);
                } else {
                    Leaves.splitLeaf(mm, src.first, lvl, at, tlb);
                }
                src.reset(mm, at, oldEnd, FLAGS, tlb);
                continue;
            }
            long vpte = src.vpte();           // a run: young and dirty ORed over it
            hole(mm, to, size, lvl);
            dst.setVpteAt(src.n > 1 ? f.withContig(lvl, vpte, false) : vpte, src.order());
            src.clearUnit();
            tlb.leafChanged(at, size, lvl);
        }
        UnmapRange.zap(src, mm, oldStart, oldEnd, true, tlb);   // only frees: nothing is left
        return Args.pages(g, oldStart, oldEnd);
    }

    /**
     * Puts the second iterator on the level-{@code lvl} entry at {@code to} for {@code size}
     * bytes, allocating the tables above it; false if that entry is not none.
     */
    private boolean hole(Mm mm, long to, long size, int lvl) {
        dst.reset(mm, to, to + size, VpteIter.HOLES | VpteIter.ALLOC,
                mm.geometry().order(lvl), null);
        return dst.next() && dst.kind() == VpteIter.HOLE;
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

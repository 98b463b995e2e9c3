package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.Mm;
import org.ptarena.core.WalkVisitor;

/**
 * {@code walk_page_range}: one visit per leaf unit, straight from the iterator, with the order
 * it keeps. Differs from Linux: one callback instead of per-level {@code mm_walk_ops}, and a
 * contiguous run is one visit.
 */
final class WalkRange {
    private WalkRange() { }

    static long walk(VpteIter it, Mm mm, long start, long end, WalkVisitor visitor) {
        Args.range(mm.geometry(), "walk", start, end);
        long units = 0;
        for (it.init(mm, start, end, VpteIter.LEAVES); it.next(); units++) {
            visitor.visit(it.addr(), it.order(), it.level(), it.vpte());
        }
        return units;
    }
}

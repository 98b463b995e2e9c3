package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.WalkVisitor;

/**
 * walk: {@code walk_page_range} as one recursive function over (ptr, lvl), one visit per unit
 * with primitives only. Differs from Linux: one callback for every level in place of
 * {@code pmd_entry}/{@code pte_entry}, and a contiguous run is one visit with A/D ORed over it.
 */
final class WalkRange extends PtPtr.Recursion {
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private WalkVisitor visitor;

    long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        Args.range(mm.geometry(), "walk", start, end);
        this.mm = mm;
        this.f = mm.format();
        this.g = mm.geometry();
        this.visitor = visitor;
        begin();
        try {
            return range(PtPtr.root(mm, start), g.rootLevel(), start, end);
        } finally {
            this.mm = null;
            this.visitor = null;
        }
    }

    /** Visits the units meeting {@code [addr, end)} below {@code (ptr, lvl)}; returns how many. */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        Geometry g = this.g;
        long units = 0;
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (e == PtPtr.NONE) continue;
            if (PtPtr.leaf(f, lvl, e)) {
                if (f.contig(lvl, e)) {
                    // The range may start inside the run: visit it once, from its own first slot.
                    int first = PtPtr.runFirst(g, lvl, ptr);
                    int runShift = PtPtr.runShift(g, lvl);
                    visitor.visit(addr & -(1L << runShift), g.runOrder(lvl), lvl,
                            PtPtr.runEntry(mm, lvl, first));
                    next = Geometry.addrEnd(addr, end, runShift);
                    ptr = first + g.contig(lvl) - 1;
                } else {
                    visitor.visit(g.entryStart(lvl, addr), g.order(lvl), lvl, e);
                }
                units++;
            } else if (f.table(lvl, e)) {
                units += range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        }
        leave();
        return units;
    }
}

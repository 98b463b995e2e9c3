package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.WalkVisitor;

/**
 * Test-only copy of {@link WalkRange} with one planted fault: {@code AD_NOT_ORED} (a run visited
 * with its first entry as it is) or {@code HUGE_LEAF_AS_TABLE} (any present entry above level 0
 * descended into).
 */
final class PlantedWalkRange extends PtPtr.Recursion {
    private final PlantedBug bug;
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private WalkVisitor visitor;

    PlantedWalkRange(PlantedBug bug) {
        this.bug = bug;
    }

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
            if (bug == PlantedBug.HUGE_LEAF_AS_TABLE && lvl > 0 && f.present(lvl, e)) {
                // PLANTED: pmd_present where pmd_table was meant
                units += range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
                continue;
            }
            if (PtPtr.leaf(f, lvl, e)) {
                if (f.contig(lvl, e)) {
                    // The range may start inside the run: visit it once, from its own first slot.
                    int first = PtPtr.runFirst(g, lvl, ptr);
                    int runShift = PtPtr.runShift(g, lvl);
                    visitor.visit(addr & -(1L << runShift), g.runOrder(lvl), lvl,
                            bug == PlantedBug.AD_NOT_ORED ? mm.get(first)    // PLANTED: no OR
                                    : PtPtr.runEntry(mm, lvl, first));
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

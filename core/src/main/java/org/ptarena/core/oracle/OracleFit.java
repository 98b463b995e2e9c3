package org.ptarena.core.oracle;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Geometry;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.TlbGather;

/**
 * How the oracle makes a unit covered in part fit an operation's range: a contiguous run is
 * unfolded, a huge leaf split ({@code contpte_convert}, {@code __split_huge_pmd}). Kept apart from
 * {@link Oracle} for length; tables and events go through the {@link Oracle} it belongs to.
 */
final class OracleFit {
    private final Oracle o;

    OracleFit(Oracle o) {
        this.o = o;
    }

    /**
     * Makes a unit covered in part fit: a run is unfolded ({@code contpte_convert}: every entry
     * gets the OR of young and dirty, no contiguous bit; one {@code leafChanged} for the run); a
     * huge leaf is split ({@code __split_huge_pmd}).
     */
    void makeFit(OracleMm mm, Unit u, String op, TlbGather tlb) {
        if (u.contiguous()) unfold(mm, u, op, tlb);
        else split(mm, u, op, tlb);
    }

    private void unfold(OracleMm mm, Unit run, String op, TlbGather tlb) {
        Geometry g = mm.geometry();
        boolean young = run.youngAny();
        boolean dirty = run.dirtyAny();
        mm.remove(run);
        for (int i = 0; i < run.entries(); i++) {
            mm.put(
                    Oracle.newUnit(
                            g,
                            run.level(),
                            run.start() + i * g.span(run.level()),
                            run.pfn() + i * run.entryPages(),
                            run.prot(),
                            false,
                            young,
                            dirty));
        }
        tlb.leafChanged(run.start(), run.size(g.pageShift()), run.level());
        o.events().unfold(op, run.level());
        o.events().accessRule(op, "or-on-unfold");
    }

    /**
     * Replaces huge leaf {@code u} of level {@code L} by a level {@code L-1} table of leaves of
     * that level — or, where {@code L-1} may not hold leaves, by tables down to the first level
     * that may, allocated depth first in address order — with the same pfns, prot, young and dirty
     * and no runs. Atomic: on a failed allocation the tables it allocated go and the leaf stays.
     */
    private void split(OracleMm mm, Unit u, String op, TlbGather tlb) {
        Geometry g = mm.geometry();
        List<long[]> allocated = new ArrayList<>();
        try {
            buildTables(mm, u.level() - 1, u.start(), allocated, op);
        } catch (OutOfTablesException e) {
            for (long[] t : allocated) {
                mm.removeTable((int) t[0], t[1]);
                o.events().tableFreed(op, (int) t[0]);
            }
            throw e;
        }
        mm.remove(u);
        int leafLevel = g.leafLevelAtOrBelow(u.level() - 1);
        long children = 1L << (g.spanShift(u.level()) - g.spanShift(leafLevel));
        for (long i = 0; i < children; i++) {
            mm.put(
                    Oracle.newUnit(
                            g,
                            leafLevel,
                            u.start() + i * g.span(leafLevel),
                            u.pfn() + (i << g.order(leafLevel)),
                            u.prot(),
                            false,
                            u.young(0),
                            u.dirty(0)));
        }
        tlb.leafChanged(u.start(), u.size(g.pageShift()), u.level());
        o.events().split(op, u.level());
        o.events().accessRule(op, "inherit-on-split");
    }

    /**
     * The table of {@code level} at {@code start} and, if it may not hold leaves, every table under
     * it.
     */
    private void buildTables(
            OracleMm mm, int level, long start, List<long[]> allocated, String op) {
        Geometry g = mm.geometry();
        o.allocate(mm, level, start, op);
        allocated.add(new long[] {level, start});
        if (g.leafAllowed(level)) return;
        for (int i = 0; i < g.entries(level); i++) {
            buildTables(mm, level - 1, start + i * g.span(level), allocated, op);
        }
    }
}

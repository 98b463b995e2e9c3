package org.ptarena.core.oracle;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Args;
import org.ptarena.core.Geometry;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * The oracle's {@code copy} ({@code copy_page_range}), kept apart from {@link Oracle} for length:
 * the two-tree operation and the destination-emptiness check {@code move} shares. Every table
 * allocation, fit and event goes through the {@link Oracle} it belongs to.
 */
final class OracleCopy {
    private final Oracle o;

    OracleCopy(Oracle o) {
        this.o = o;
    }


    /**
     * {@code copy_page_range} for fork. Refused unless {@code dst}'s range is empty (no unit
     * meeting it, no table whose span lies wholly inside it). Then, in address order: on entering
     * each source table covering the current address (top-down), {@code dst} gets a table at the
     * same position if it has none; a source unit covered in part is made to fit first (recorded in
     * {@code srcTlb}); a source unit covered whole is copied as a unit — same level, start, pfn,
     * contiguity; young false on every entry; dirty the unit's OR over its entries with {@code
     * cow}, false without — and with {@code cow} a writable unit loses {@code w} in both (one
     * {@link TlbGather#leafChanged} in {@code srcTlb}; the source keeps its young and dirty). On a
     * failed allocation the units installed in {@code dst} are removed again.
     *
     * @return base pages copied
     */
    long copy(
            OracleMm dst, OracleMm src, long start, long end, boolean cow, TlbGather srcTlb) {
        String op = "copy";
        Geometry g = src.geometry();
        try {
            Args.range(g, op, start, end);
            if (dst == src)
                throw new IllegalArgumentException(
                        op + ": source and destination are the same address space");
            if (!dst.geometry().equals(g)) {
                throw new IllegalArgumentException(
                        op
                                + ": destination geometry "
                                + dst.geometry()
                                + " differs from source "
                                + g);
            }
            refuseUnlessEmpty(dst, start, end, op);
            List<Unit> installed = new ArrayList<>();
            long copied = 0;
            try {
                long cur = start;
                while (Long.compareUnsigned(cur, end) < 0) {
                    enterTables(dst, src, cur, op);
                    Unit u = src.unitAt(cur);
                    if (u != null && !Oracle.inside(g, u, start, end)) {
                        o.makeFit(src, u, op, srcTlb);
                        continue;
                    }
                    if (u != null) {
                        installed.add(copyUnit(dst, u, cow, srcTlb, op));
                        copied += u.pages();
                        cur = u.end(g.pageShift());
                        continue;
                    }
                    long next = src.nextStartAbove(cur);
                    if (next < 0 || Long.compareUnsigned(next, end) >= 0) break;
                    cur = next;
                }
            } catch (OutOfTablesException e) {
                for (Unit u : installed) dst.remove(u);
                throw e;
            }
            return copied;
        } catch (RuntimeException e) {
            o.events().refused(op, e.getClass());
            throw e;
        }
    }

    /**
     * {@link OverlapException} at the lowest unit meeting, or table wholly inside, {@code [start,
     * end)}.
     */
    static void refuseUnlessEmpty(OracleMm dst, long start, long end, String op) {
        Geometry g = dst.geometry();
        long tableAt = -1;
        for (int level = 0; level < g.rootLevel(); level++) {
            for (long t : dst.tablesMeeting(level, start, end)) {
                boolean wholly =
                        Long.compareUnsigned(t, start) >= 0
                                && Long.compareUnsigned(t + g.span(level + 1), end) <= 0;
                if (wholly && (tableAt < 0 || t < tableAt)) tableAt = t;
            }
        }
        Unit u = dst.firstUnitMeeting(start, end);
        long leafAt = u == null ? -1 : Math.max(u.start(), start);
        if (tableAt >= 0 && (leafAt < 0 || tableAt <= leafAt))
            throw OverlapException.table(op, tableAt);
        if (leafAt >= 0) throw OverlapException.mapped(op, leafAt);
    }

    /** Enters every source table covering {@code va}, top-down: {@code dst} gets any it lacks. */
    private void enterTables(OracleMm dst, OracleMm src, long va, String op) {
        Geometry g = src.geometry();
        for (int level = g.rootLevel() - 1; level >= 0; level--) {
            long tableStart = g.entryStart(level + 1, va);
            if (!src.hasTable(level, tableStart)) return;
            if (!dst.hasTable(level, tableStart)) o.allocate(dst, level, tableStart, op);
        }
    }

    /**
     * Copies one whole source unit into {@code dst} (ptep_get, then set_ptes); returns the copy.
     */
    private Unit copyUnit(OracleMm dst, Unit u, boolean cow, TlbGather srcTlb, String op) {
        Geometry g = dst.geometry();
        boolean writeProtect = cow && Prot.writable(u.prot());
        int prot = writeProtect ? g.format().normalise(u.prot() & ~Prot.W) : u.prot();
        boolean dirty = cow && u.dirtyAny();
        Unit copy =
                new Unit(
                        u.level(),
                        u.order(),
                        g.order(u.level()),
                        u.start(),
                        u.pfn(),
                        prot,
                        u.contiguous(),
                        Unit.all(u.entries(), false),
                        Unit.all(u.entries(), dirty));
        dst.put(copy);
        if (writeProtect) {
            u.setProt(prot);
            srcTlb.leafChanged(u.start(), u.size(g.pageShift()), u.level());
        }
        o.events().unit(op, u.level(), u.order(), u.contiguous());
        o.events().accessRule(op, "copy-mkold");
        o.events().accessRule(op, cow ? "copy-keep-dirty" : "copy-mkclean");
        return copy;
    }
}

package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * Seeded random traces built around {@code move}: maps of every unit size, touches, unmaps and
 * moves to addresses aligned to a random level's span (so the table shortcuts, splits and
 * unfolds all happen), some under an injected allocation failure. A private oracle runs each
 * statement as it is made, so that a refused one is written as {@code fail …}.
 */
final class MoveTraces {
    /** Small layouts (table shortcuts at every level happen often) and real ones. */
    static final List<String> GEOMETRIES = List.of("generic/12/3,3Lc2,3L,3c4",
            "generic/12/2,2L,2c2", "x86-64/4level", "arm64/4k-48", "x86/pae", "arm64/64k-42");

    private final SplittableRandom rnd;
    private final Geometry g;
    private final Oracle oracle = new Oracle();
    private final OracleMm mm;
    private final List<Trace.Line> lines = new ArrayList<>();
    private final long window;

    private MoveTraces(long seed, String geometry) {
        this.rnd = new SplittableRandom(seed);
        this.g = Geometries.byName(geometry);
        this.mm = oracle.newMm(g);
        int shift = Math.min(g.vaBits(), g.spanShift(Math.min(2, g.rootLevel())) + 3);
        this.window = shift >= 63 ? Long.MAX_VALUE : 1L << shift;
        lines.add(new Trace.Line(1, new Op.MmOp("A")));
    }

    static Trace make(long seed, String geometry, int steps) {
        MoveTraces t = new MoveTraces(seed, geometry);
        for (int i = 0; i < steps; i++) t.statement();
        return new Trace("move-" + seed, t.g.name(), t.lines);
    }

    private void statement() {
        int k = rnd.nextInt(10);
        long fault = rnd.nextInt(6) == 0 ? 1 + rnd.nextInt(4) : 0;
        Op op;
        if (k < 3 || mm.units().isEmpty()) {
            long len = Math.min(units(), 64) * g.pageSize();
            long s = aligned();
            int prot = rnd.nextBoolean() ? Prot.R | Prot.W | Prot.U : Prot.R | Prot.U;
            boolean largest = rnd.nextInt(3) > 0;
            if (largest) len = units();
            long pfn = (s >>> g.pageShift()) + ((long) rnd.nextInt(4) << 20);
            op = new Op.MapOp("A", s, s + len, pfn & ((1L << 30) - 1),
                    prot, largest ? MapPolicy.LARGEST : MapPolicy.BASE);
        } else if (k < 4) {
            op = new Op.TouchOp("A", someUnit() + g.pageSize() * rnd.nextInt(4), rnd.nextBoolean());
        } else if (k < 5) {
            long s = someUnit();
            op = new Op.UnmapOp("A", s, s + units(), rnd.nextBoolean());
        } else {
            long s = rnd.nextBoolean() ? someUnit() : aligned();
            if (rnd.nextInt(3) == 0) s += g.pageSize() * rnd.nextInt(3);
            op = new Op.MoveOp("A", s, s + units(), aligned());
        }
        if (fault > 0) {
            lines.add(new Trace.Line(lines.size() + 1, new Op.FaultOp(fault)));
            oracle.failAfter(fault);
        }
        boolean refused = false;
        try {
            run(op);
        } catch (OutOfTablesException e) {
            refused = fault == 0;
        } catch (IllegalArgumentException | org.ptarena.core.OverlapException e) {
            refused = true;
        } finally {
            oracle.failAfter(0);
        }
        lines.add(new Trace.Line(lines.size() + 1, refused ? new Op.FailOp(op) : op));
    }

    private void run(Op op) {
        TlbGather tlb = new TlbGather();
        if (op instanceof Op.MapOp m) {
            oracle.map(mm, m.start(), m.end(), m.pfn(), m.prot(), m.policy());
        } else if (op instanceof Op.TouchOp t) {
            oracle.touch(mm, t.va(), t.write());
        } else if (op instanceof Op.UnmapOp u) {
            oracle.unmap(mm, u.start(), u.end(), u.free(), tlb);
        } else if (op instanceof Op.MoveOp m) {
            oracle.move(mm, m.oldStart(), m.oldEnd(), m.newStart(), tlb);
        }
    }

    /** A length: one to three units of a random level's leaf or run size, or a few pages. */
    private long units() {
        int lvl = rnd.nextInt(Math.min(3, g.levels()));
        int order = rnd.nextBoolean() ? g.order(lvl) : g.runOrder(lvl);
        long size = Math.min(g.unitSize(order), window / 4);
        return size * (1 + rnd.nextInt(3)) + (rnd.nextInt(4) == 0 ? g.pageSize() : 0);
    }

    /** An address in the window aligned to a random level's span (or just a page). */
    private long aligned() {
        int lvl = rnd.nextInt(Math.min(4, g.levels()));
        long size = Math.min(g.span(lvl), window / 4);
        long a = (rnd.nextLong(window) & -size);
        return rnd.nextInt(4) == 0 ? a + g.pageSize() * rnd.nextInt(3) : a;
    }

    private long someUnit() {
        List<Unit> units = new ArrayList<>(mm.units());
        if (units.isEmpty()) return aligned();
        return units.get(rnd.nextInt(units.size())).start();
    }
}

package org.ptarena.ptptr;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.Geometry;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * A seeded random trace over two address spaces: maps, unmaps, protects, copies both ways, walks,
 * lookups, touches, drops, injected faults and expectations. A private oracle runs each statement
 * as it is made, so that a statement it refuses is written as {@code fail …} (a trace must say
 * which statements are refused) and expectations state what the oracle holds.
 */
final class RandomTrace {
    private final Gen gen;
    private final SplittableRandom rnd;
    private final Geometry g;
    private final Oracle oracle = new Oracle();
    private final OracleMm[] spaces = new OracleMm[2];
    private final List<Trace.Line> lines = new ArrayList<>();

    private RandomTrace(long seed, Geometry geometry) {
        this.rnd = new SplittableRandom(seed);
        this.gen = new Gen(rnd, geometry);
        this.g = gen.g;
    }

    /** A trace of about {@code steps} statements, on {@code geometry} or one the seed picks. */
    static Trace make(long seed, Geometry geometry, int steps) {
        return new RandomTrace(seed, geometry).build(seed, steps);
    }

    private Trace build(long seed, int steps) {
        for (int i = 0; i < 2; i++) {
            spaces[i] = oracle.newMm(g);
            add(new Op.MmOp(id(i)));
        }
        for (int step = 0; step < steps; step++) statement();
        return new Trace("random-" + seed, g.name(), lines);
    }

    private void statement() {
        int a = rnd.nextInt(2);
        long[] r = gen.range();
        if (!spaces[a].units().isEmpty() && rnd.nextInt(4) > 0) {     // cut into a unit held now
            List<Unit> units = new ArrayList<>(spaces[a].units());
            Unit u = units.get(rnd.nextInt(units.size()));
            r = gen.inside(u.start(), u.size(g.pageShift()));
        }
        long s = r[0];
        long e = r[1];
        int prot = rnd.nextInt(16);
        int k = rnd.nextInt(6) == 0 ? 1 + rnd.nextInt(4) : 0;
        switch (rnd.nextInt(11)) {
            case 0, 1, 2 -> {
                long pages = (e - s) >>> g.pageShift();
                boolean largest = pages > 4096 || rnd.nextBoolean();
                long pfn = gen.pfnFor(s, pages, largest);
                if (pfn < 0) return;
                MapPolicy p = largest ? MapPolicy.LARGEST : MapPolicy.BASE;
                run(k, new Op.MapOp(id(a), s, e, pfn, prot, p),
                        () -> oracle.map(spaces[a], s, e, pfn, prot, p));
            }
            case 3 -> {
                boolean free = rnd.nextBoolean();
                run(k, new Op.UnmapOp(id(a), s, e, free),
                        () -> oracle.unmap(spaces[a], s, e, free, new TlbGather()));
            }
            case 4 -> run(k, new Op.ProtectOp(id(a), s, e, prot),
                    () -> oracle.protect(spaces[a], s, e, prot, new TlbGather()));
            case 5 -> {
                boolean cow = rnd.nextBoolean();
                run(k, new Op.CopyOp(id(1 - a), id(a), s, e, cow),
                        () -> oracle.copy(spaces[1 - a], spaces[a], s, e, cow, new TlbGather()));
            }
            case 6 -> run(0, new Op.WalkOp(id(a), s, e), () -> 0);
            case 7 -> {
                long va = gen.va();
                boolean write = rnd.nextBoolean();
                run(0, new Op.TouchOp(id(a), va, write), () -> {
                    oracle.touch(spaces[a], va, write);
                    return 0;
                });
            }
            case 8 -> expect(a);
            case 9 -> add(new Op.LookupOp(id(a), gen.va()));
            default -> {
                if (rnd.nextInt(3) == 0) {
                    run(0, new Op.DropOp(id(a)),
                            () -> oracle.unmap(spaces[a], 0, g.vaEnd(), true, new TlbGather()));
                } else {
                    add(new Op.ExpectRssOp(id(a), spaces[a].rss()));
                    int lvl = rnd.nextInt(g.levels());
                    add(new Op.ExpectTablesOp(id(a), lvl, spaces[a].tables(lvl)));
                }
            }
        }
    }

    /** {@code expect} of the unit at an address the oracle maps, or {@code expect-none}. */
    private void expect(int a) {
        long va = gen.va();
        Translation t = new Translation();
        if (!oracle.lookup(spaces[a], va, t)) {
            add(new Op.ExpectNoneOp(id(a), va));
            return;
        }
        add(new Op.ExpectOp(id(a), va, t.order, t.pfn, t.prot, t.young, t.dirty));
    }

    /** Adds {@code op} (after {@code fault k} when k > 0), as {@code fail op} if refused. */
    private void run(int k, Op op, java.util.function.LongSupplier onOracle) {
        oracle.failAfter(k);
        boolean refused = false;
        try {
            onOracle.getAsLong();
        } catch (IllegalArgumentException | org.ptarena.core.OverlapException ex) {
            refused = true;
        } catch (OutOfTablesException ex) {
            refused = false;    // the failed operation may have kept tables: not a plain refusal
        } finally {
            oracle.failAfter(0);
        }
        if (k > 0) add(new Op.FaultOp(k));
        add(refused ? new Op.FailOp(op) : op);
    }

    private void add(Op op) {
        lines.add(new Trace.Line(0, op));
    }

    private static String id(int i) {
        return i == 0 ? "A" : "B";
    }
}

package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;

/**
 * Seeded random traces on every catalog layout and on random layouts of 1–6 levels, run by the
 * project's runner against the oracle (every statement: results, walk visits, canonical dump,
 * gather, invariants). The generator aims at the regression classes: ranges around the units
 * that exist (so huge leaves and runs are covered in part), both ends of the space, copies into
 * fresh and used spaces, and injected allocation failures. A statement the oracle refuses is
 * written as {@code fail …}, as the runner requires. A failure prints the trace to replay.
 * No fault is injected into an unmap with free or a drop: the runner checks that no empty table
 * is left even when such an unmap failed, where the oracle itself leaves one (see
 * {@code OracleTracesTest#aSplitFailingAtTheEndOfAnUnmapWithFreeFreesNoTable}).
 */
class OracleSequenceTest {
    private static final long SEED = Long.getLong("ptarena.seed", 0x2020_0207L);
    private static final int STEPS = 60;

    @TestFactory
    Stream<DynamicTest> catalogLayouts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Geometry g : Geometries.catalog()) {
            for (int i = 0; i < 3; i++) {
                long seed = SEED + 7919L * i + g.name().hashCode();
                tests.add(DynamicTest.dynamicTest(g.name() + " seed " + seed,
                        () -> check(g, seed)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> randomLayouts() {
        SplittableRandom seeds = new SplittableRandom(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        boolean[] levels = new boolean[7];
        for (int i = 0; i < 60; i++) {
            long seed = seeds.nextLong();
            Geometry g = Geometries.random(new SplittableRandom(seed));
            levels[g.levels()] = true;
            tests.add(DynamicTest.dynamicTest(g.name() + " seed " + seed, () -> check(g, seed)));
        }
        for (int l = 1; l <= 6; l++) assertTrue(levels[l], "no random layout of " + l + " levels");
        return tests.stream();
    }

    private static void check(Geometry g, long seed) {
        Trace trace = new Generator(g, new SplittableRandom(seed)).trace("seed-" + seed);
        TraceRunner.Result r = new TraceRunner(List.of(new VpteOps())).run(trace);
        assertTrue(r.passed(), () -> r.report() + "\nreplay:\n" + TraceWriter.write(trace));
        assertTrue(r.unsupported().isEmpty());
    }

    /** Writes statements while a shadow oracle tells which ones are refused. */
    private static final class Generator {
        private final Geometry g;
        private final SplittableRandom rnd;
        private final Oracle oracle = new Oracle();
        private final Map<String, OracleMm> spaces = new HashMap<>();
        private final List<String> ids = new ArrayList<>();
        private final List<Trace.Line> lines = new ArrayList<>();
        private final long windowPages;

        Generator(Geometry g, SplittableRandom rnd) {
            this.g = g;
            this.rnd = rnd;
            long pages = g.vaEnd() == Long.MIN_VALUE ? Long.MAX_VALUE : g.vaEnd() >>> g.pageShift();
            this.windowPages = Math.min(pages, 1 << 10);
        }

        Trace trace(String source) {
            mm("A");
            mm("B");
            for (int i = 0; i < STEPS; i++) step();
            return new Trace(source, g.name(), lines);
        }

        private void mm(String id) {
            spaces.put(id, oracle.newMm(g));
            ids.add(id);
            lines.add(new Trace.Line(0, new Op.MmOp(id)));
        }

        private long page() { return g.pageSize(); }

        /** A range: around an existing unit (often covering it in part), or in a window. */
        private long[] range(OracleMm m) {
            List<Unit> units = new ArrayList<>(m.units());
            if (!units.isEmpty() && rnd.nextInt(3) > 0) {
                Unit u = units.get(rnd.nextInt(units.size()));
                long s = u.start() + (rnd.nextBoolean() ? 0 : rnd.nextLong(u.pages())) * page();
                long len = 1 + rnd.nextLong(Math.min(2 * u.pages(), 1 << 10));
                long e = s + len * page();
                if (Long.compareUnsigned(e, g.vaEnd()) > 0 || Long.compareUnsigned(e, s) <= 0) {
                    e = g.vaEnd();
                }
                return new long[] {s, e};
            }
            long base = rnd.nextBoolean() ? 0 : g.vaEnd() - windowPages * page();
            long s = rnd.nextLong(windowPages);
            long most = rnd.nextBoolean() ? 24 : 1 << 10;
            long len = 1 + rnd.nextLong(Math.min(windowPages - s, most));
            if (rnd.nextInt(4) == 0) {                   // aligned, to invite huge leaves and runs
                long size = 1L << rnd.nextInt(11);
                s &= -size;
                len = Math.min(size * (1 + rnd.nextInt(2)), windowPages - s);
            }
            return new long[] {base + s * page(), base + (s + len) * page()};
        }

        private int prot() {
            int[] p = {Prot.R | Prot.U, Prot.R | Prot.W | Prot.U, Prot.NONE,
                Prot.R | Prot.X | Prot.U, Prot.R | Prot.W, Prot.X | Prot.U};
            return p[rnd.nextInt(p.length)];
        }

        private void step() {
            String id = ids.get(rnd.nextInt(Math.min(2, ids.size())));
            OracleMm m = spaces.get(id);
            long[] r = range(m);
            long s = r[0];
            long e = r[1];
            long fault = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(4) : 0;
            Op op;
            Runnable shadow;
            int kind = rnd.nextInt(20);
            if (kind < 7) {
                long pfn = rnd.nextInt(3) > 0 ? (s >>> g.pageShift()) & ((1L << 30) - 1)
                        : rnd.nextLong(1 << 20);
                int prot = prot();
                MapPolicy policy = rnd.nextInt(4) > 0 ? MapPolicy.LARGEST : MapPolicy.BASE;
                op = new Op.MapOp(id, s, e, pfn, prot, policy);
                shadow = () -> oracle.map(m, s, e, pfn, prot, policy);
            } else if (kind < 10) {
                boolean free = rnd.nextBoolean();
                if (free) fault = 0;   // see the class comment
                op = new Op.UnmapOp(id, s, e, free);
                shadow = () -> oracle.unmap(m, s, e, free, new TlbGather());
            } else if (kind < 13) {
                int prot = prot();
                op = new Op.ProtectOp(id, s, e, prot);
                shadow = () -> oracle.protect(m, s, e, prot, new TlbGather());
            } else if (kind < 15) {
                boolean cow = rnd.nextBoolean();
                String dst = rnd.nextBoolean() ? (id.equals("A") ? "B" : "A") : "C" + ids.size();
                if (!spaces.containsKey(dst)) mm(dst);
                OracleMm d = spaces.get(dst);
                op = new Op.CopyOp(dst, id, s, e, cow);
                shadow = () -> oracle.copy(d, m, s, e, cow, new TlbGather());
            } else if (kind < 16) {
                long va = s + rnd.nextLong(e - s);
                boolean write = rnd.nextBoolean();
                op = new Op.TouchOp(id, va, write);
                shadow = () -> oracle.touch(m, va, write);
                fault = 0;
            } else if (kind < 17) {
                long va = s + rnd.nextLong(e - s);
                op = new Op.LookupOp(id, va);
                shadow = () -> oracle.lookup(m, va, new Translation());
                fault = 0;
            } else if (kind < 19) {
                op = new Op.WalkOp(id, s, e);
                shadow = () -> oracle.walk(m, s, e, (a, o, l, x) -> { });
                fault = 0;
            } else {
                op = new Op.DropOp(id);
                fault = 0;
                shadow = () -> oracle.unmap(m, 0, g.vaEnd(), true, new TlbGather());
            }
            if (fault > 0) lines.add(new Trace.Line(0, new Op.FaultOp(fault)));
            oracle.failAfter(fault);
            try {
                shadow.run();
            } catch (IllegalArgumentException | OverlapException ex) {
                op = new Op.FailOp(op);
            } catch (OutOfTablesException ex) {
                // the runner accepts it after a fault line, in every world alike
            } finally {
                oracle.failAfter(0);
            }
            lines.add(new Trace.Line(0, op));
        }
    }
}

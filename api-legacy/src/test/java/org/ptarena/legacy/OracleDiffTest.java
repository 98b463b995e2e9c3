package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleEvents;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;

/**
 * Seeded random sequences run on the oracle and on legacy side by side, compared after every
 * step: result or exception type, the gather, every unit (with young and dirty per entry), RSS,
 * tables per level, table bytes, walk visits and lookups, and the arena's audit. Layouts: the
 * catalog up to five levels and random generic ones of two to five levels. Addresses cluster
 * near a few root slots and are biased to the spans of the levels.
 */
class OracleDiffTest {
    private static final int SEEDS = Integer.getInteger("legacy.oracleSeeds", 50);
    private static final int STEPS = 40;
    /** Behaviours the oracle reported over the whole run, counted (OracleEvents). */
    private static final Map<String, Integer> COVERAGE = new ConcurrentSkipListMap<>();
    private static final List<String> MUST_SEE = List.of(
            "unfold unmap", "unfold protect", "unfold copy", "split unmap", "split protect",
            "split copy", "touch-in-run", "or-on-unfold", "inherit-on-split",
            "refused map OutOfTablesException", "refused copy OutOfTablesException",
            "refused copy OverlapException");

    @AfterAll
    static void everyBehaviourWasExercised() {
        System.out.println("legacy vs oracle coverage: " + COVERAGE);
        if (SEEDS < 40) return;
        for (String k : MUST_SEE) {
            assertTrue(COVERAGE.getOrDefault(k, 0) > 0, "never exercised: " + k);
        }
    }
    private static final List<Geometry> CATALOG = Geometries.catalog().stream()
            .filter(g -> g.levels() <= 5).toList();

    @TestFactory
    Stream<DynamicTest> legacyAgreesWithTheOracle() {
        long base = Long.getLong("ptarena.seed", 0x0dd5L);
        return LongStream.range(base, base + SEEDS).mapToObj(seed ->
                dynamicTest("seed " + seed, () -> new Run(seed).go()));
    }

    private static final class Run {
        final SplittableRandom rnd;
        final Geometry g;
        final Arena arena = new Arena();
        final Oracle oracle = new Oracle().events(new OracleEvents() {
            @Override public void unfold(String op, int level) { count("unfold " + op); }
            @Override public void split(String op, int level) { count("split " + op); }
            @Override public void accessRule(String op, String rule) { count(rule); }
            @Override public void refused(String op, Class<? extends RuntimeException> e) {
                count("refused " + op + " " + e.getSimpleName());
            }
        });
        final LegacyOps ops = new LegacyOps();
        final List<Mm> mms = new ArrayList<>();
        final List<OracleMm> oms = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        /** The last address touched, so that a range soon meets a unit touch changed in part. */
        long lastTouched = -1;

        Run(long seed) {
            rnd = new SplittableRandom(seed);
            g = rnd.nextBoolean() ? CATALOG.get(rnd.nextInt(CATALOG.size())) : randomLayout();
            for (int i = 0; i < 3; i++) {
                mms.add(new Mm(g, arena));
                oms.add(oracle.newMm(g));
            }
        }

        /** A random generic layout of 2–5 levels where no split makes more than 2^14 leaves. */
        Geometry randomLayout() {
            while (true) {
                Geometry r = Geometries.random(rnd);
                if (r.levels() < 2 || r.levels() > 5) continue;
                boolean small = true;
                for (int l = 1; l < r.levels(); l++) {
                    // a leaf at l splits into leaves of the first level below that may hold one
                    int below = r.spanShift(r.leafLevelAtOrBelow(l - 1));
                    if (r.leafAllowed(l) && r.spanShift(l) - below > 14) small = false;
                }
                if (small) return r;
            }
        }

        void go() {
            log.add("geometry " + g.name());
            try {
                for (int s = 0; s < STEPS; s++) {
                    step();
                    compare();
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(String.join("\n", log) + "\n" + e, e);
            }
        }

        /**
         * Half the time an address from a unit mapped now (its start, its end, or an entry or page
         * inside it); otherwise one near root slots 0, 1 or the last, biased to the levels' spans.
         */
        long addr() {
            if (rnd.nextInt(3) > 0) {
                OracleMm o = oms.get(rnd.nextInt(oms.size()));
                if (!o.units().isEmpty()) {
                    Unit u = pick(o);
                    int shift = g.pageShift();
                    long size = u.size(shift);
                    return switch (rnd.nextInt(5)) {
                        case 0 -> u.start();
                        case 1 -> u.start() + size;
                        case 2 -> u.start() + rnd.nextInt(u.entries()) * (u.entryPages() << shift);
                        default -> u.start() + (rnd.nextLong(u.pages()) << g.pageShift());
                    };
                }
            }
            return spaced();
        }

        long spaced() {
            int root = g.rootLevel();
            int slot = new int[] {0, 1, g.entries(root) - 1}[rnd.nextInt(3)];
            if (g.entries(root) == 1) slot = 0;
            long a = (long) slot << g.spanShift(root);
            int stop = rnd.nextInt(root + 1);          // levels below stop stay 0: alignment
            for (int l = root - 1; l >= stop; l--) {
                int n = g.entries(l);
                int[] picks = {0, 1, 2, n - 1, n - 2, rnd.nextInt(n)};
                int i = Math.floorMod(picks[rnd.nextInt(picks.length)], n);
                a += (long) i << g.spanShift(l);
            }
            return a;
        }

        long[] range(long maxPages) {
            long s = addr();
            if (lastTouched >= 0 && rnd.nextInt(3) == 0) s = lastTouched & -g.pageSize();
            long e;
            if (rnd.nextBoolean()) {
                int l = rnd.nextInt(g.levels());
                e = s + (1 + rnd.nextInt(3)) * g.span(l);
            } else {
                e = addr();
            }
            if (Long.compareUnsigned(e, g.vaEnd()) > 0 || (e < 0 && e != g.vaEnd())) e = g.vaEnd();
            if (Long.compareUnsigned(s, e) > 0) { long t = s; s = e; e = t; }
            if (s == e) e = s + g.pageSize();
            if (Long.compareUnsigned(e, g.vaEnd()) > 0) { s -= g.pageSize(); e = g.vaEnd(); }
            if (Long.compareUnsigned((e - s) >>> g.pageShift(), maxPages) > 0) {
                e = s + (maxPages << g.pageShift());
            }
            return new long[] {s, e};
        }

        /** One to three whole runs of a level that has runs, if any does: runs are rarer. */
        long[] runs() {
            List<Integer> levels = new ArrayList<>();
            for (int l = 0; l < g.levels(); l++) {
                if (g.contig(l) > 1 && g.runOrder(l) <= 14) levels.add(l);
            }
            if (levels.isEmpty()) return range(1L << 12);
            int l = levels.get(rnd.nextInt(levels.size()));
            long size = g.unitSize(g.runOrder(l));
            long s = spaced() & -size;
            long e = s + (1 + rnd.nextInt(3)) * size;
            if (Long.compareUnsigned(e, g.vaEnd()) > 0 || e == 0) e = g.vaEnd();
            return new long[] {s, e};
        }

        /** Pages a largest-policy map may span: about 2^12 units of the largest order. */
        long bigMap() {
            int order = 0;
            for (int l = 1; l < g.levels(); l++) {
                if (g.leafAllowed(l)) order = Math.max(order, g.order(l));
            }
            return 1L << Math.min(20, 12 + order);
        }

        static void count(String what) { COVERAGE.merge(what, 1, Integer::sum); }

        /** Mostly a page inside a unit that space {@code i} maps now; else any address. */
        long inside(int i) {
            OracleMm o = oms.get(i);
            if (o.units().isEmpty() || rnd.nextInt(5) == 0) {
                long last = g.vaEnd() - 1 < 0 ? Long.MAX_VALUE : g.vaEnd() - 1;
                return Math.min(spaced(), last);
            }
            Unit u = pick(o);
            return u.start() + (rnd.nextLong(u.pages()) << g.pageShift());
        }

        /** A unit of {@code o}, half the time a run or huge leaf if there is one. */
        Unit pick(OracleMm o) {
            List<Unit> us = new ArrayList<>(o.units());
            if (rnd.nextBoolean()) {
                List<Unit> large = us.stream().filter(u -> u.order() > 0).toList();
                if (!large.isEmpty()) us = large;
            }
            return us.get(rnd.nextInt(us.size()));
        }

        int prot() {
            int[] usual = {Prot.R | Prot.W | Prot.U, Prot.R | Prot.U,
                    Prot.R | Prot.W | Prot.X | Prot.U};
            return rnd.nextInt(4) == 0 ? rnd.nextInt(16) : usual[rnd.nextInt(usual.length)];
        }

        String hex(long v) { return "0x" + Long.toHexString(v); }

        void step() {
            int i = rnd.nextInt(mms.size());
            int fault = rnd.nextInt(6) == 0 ? 1 + rnd.nextInt(4) : 0;
            arena.failAfter(fault);
            oracle.failAfter(fault);
            String f = fault > 0 ? "fault " + fault + "; " : "";
            TlbGather lt = new TlbGather();
            TlbGather ot = new TlbGather();
            int kind = rnd.nextInt(11);
            String legacy;
            String expected;
            switch (kind) {
                case 0, 1, 2 -> {
                    boolean largest = rnd.nextInt(4) > 0;
                    boolean aligned = rnd.nextBoolean();
                    long[] r = largest && aligned && rnd.nextBoolean()
                            ? runs() : range(largest && aligned ? bigMap() : 1L << 12);
                    long pfn = ((r[0] >>> g.pageShift()) + (aligned ? 0 : rnd.nextInt(1 << 10)))
                            & (g.format().maxPfn() >>> 1);
                    int prot = prot();
                    MapPolicy p = largest ? MapPolicy.LARGEST : MapPolicy.BASE;
                    log.add(f + "map " + i + " " + hex(r[0]) + " " + hex(r[1]) + " pfn=" + hex(pfn)
                            + " prot=" + Prot.toString(prot) + " " + p.word());
                    legacy = run(() -> ops.map(mms.get(i), r[0], r[1], pfn, prot, p));
                    expected = run(() -> oracle.map(oms.get(i), r[0], r[1], pfn, prot, p));
                }
                case 3, 4 -> {
                    long[] r = range(Long.MAX_VALUE);
                    boolean free = rnd.nextBoolean();
                    log.add(f + "unmap " + i + " " + hex(r[0]) + " " + hex(r[1])
                            + (free ? " free" : ""));
                    legacy = run(() -> ops.unmap(mms.get(i), r[0], r[1], free, lt));
                    expected = run(() -> oracle.unmap(oms.get(i), r[0], r[1], free, ot));
                }
                case 5, 6 -> {
                    long[] r = range(Long.MAX_VALUE);
                    int prot = prot();
                    log.add(f + "protect " + i + " " + hex(r[0]) + " " + hex(r[1]) + " prot="
                            + Prot.toString(prot));
                    legacy = run(() -> ops.protect(mms.get(i), r[0], r[1], prot, lt));
                    expected = run(() -> oracle.protect(oms.get(i), r[0], r[1], prot, ot));
                }
                case 7 -> {
                    int j = (i + 1 + rnd.nextInt(mms.size() - 1)) % mms.size();
                    long[] r = range(Long.MAX_VALUE);
                    boolean cow = rnd.nextBoolean();
                    if (rnd.nextInt(4) == 0) {
                        log.add("drop " + j);
                        ops.unmap(mms.get(j), 0, g.vaEnd(), true, new TlbGather());
                        oracle.unmap(oms.get(j), 0, g.vaEnd(), true, new TlbGather());
                    }
                    log.add(f + "copy " + j + " " + i + " " + hex(r[0]) + " " + hex(r[1])
                            + (cow ? " cow" : " shared"));
                    legacy = run(() -> ops.copy(mms.get(j), mms.get(i), r[0], r[1], cow, lt));
                    expected = run(() -> oracle.copy(oms.get(j), oms.get(i), r[0], r[1], cow, ot));
                }
                case 8, 9 -> {
                    long va = inside(i) | (rnd.nextLong(g.pageSize()) & -8L);
                    lastTouched = va;
                    boolean write = rnd.nextBoolean();
                    log.add("touch " + i + " " + hex(va) + (write ? " write" : ""));
                    legacy = run(() -> ops.touch(mms.get(i), va, write) ? 1 : 0);
                    expected = run(() -> oracle.touch(oms.get(i), va, write) ? 1 : 0);
                    Translation a = new Translation();
                    Translation b = new Translation();
                    String la = run(() -> ops.lookup(mms.get(i), va, a) ? 1 : 0);
                    String lb = run(() -> oracle.lookup(oms.get(i), va, b) ? 1 : 0);
                    String want = lb + " " + (lb.equals("1") ? b : "");
                    assertEquals(want, la + " " + (la.equals("1") ? a : ""), "lookup");
                }
                default -> {
                    long[] r = range(Long.MAX_VALUE);
                    log.add("walk " + i + " " + hex(r[0]) + " " + hex(r[1]));
                    List<String> a = new ArrayList<>();
                    List<String> b = new ArrayList<>();
                    legacy = run(() -> ops.walk(mms.get(i), r[0], r[1],
                            (x, o, l, e) -> a.add(hex(x) + "/" + o + "/" + l + "/" + hex(e))));
                    expected = run(() -> oracle.walk(oms.get(i), r[0], r[1],
                            (x, o, l, e) -> b.add(hex(x) + "/" + o + "/" + l + "/" + hex(e))));
                    assertEquals(b, a, "walk visits");
                }
            }
            arena.failAfter(0);
            oracle.failAfter(0);
            assertEquals(expected, legacy, "result");
            assertEquals(ot.toString(), lt.toString(), "gather");
            assertEquals(true, ot.sameAs(lt), "gather");
        }

        static String run(java.util.function.LongSupplier op) {
            try {
                return Long.toString(op.getAsLong());
            } catch (RuntimeException e) {
                return e.getClass().getSimpleName();
            }
        }

        void compare() {
            for (int i = 0; i < mms.size(); i++) {
                Mm m = mms.get(i);
                OracleMm o = oms.get(i);
                assertEquals(units(o), units(m), "units of space " + i);
                assertEquals(o.rss(), m.rss(), "rss of space " + i);
                for (int l = 0; l < g.levels(); l++) {
                    assertEquals(o.tables(l), m.tables(l), "level-" + l + " tables of space " + i);
                }
                assertEquals(o.tableBytes(), m.tableBytes(), "table bytes of space " + i);
            }
            assertEquals(List.of(), arena.audit(mms));
        }

        List<String> units(OracleMm o) {
            List<String> out = new ArrayList<>();
            for (Unit u : o.units()) {
                StringBuilder yd = new StringBuilder();
                for (int k = 0; k < u.entries(); k++) {
                    yd.append(u.young(k) ? 'y' : '-').append(u.dirty(k) ? 'd' : '-');
                }
                out.add(describe(u.start(), u.level(), u.order(), u.pfn(), u.prot(),
                        u.contiguous(), yd));
            }
            return out;
        }

        List<String> units(Mm m) {
            List<String> out = new ArrayList<>();
            EntryFormat f = m.format();
            ops.walk(m, 0, g.vaEnd(), (a, order, level, e) -> {
                int slot = slotOf(m, a, level);
                int n = f.contig(level, e) ? g.contig(level) : 1;
                StringBuilder yd = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    long x = m.get(slot + k);
                    yd.append(f.young(level, x) ? 'y' : '-').append(f.dirty(level, x) ? 'd' : '-');
                }
                long first = m.get(slot);
                out.add(describe(a, level, order, f.pfn(level, first), f.prot(level, first),
                        f.contig(level, first), yd));
            });
            return out;
        }

        /** The slot holding the level-{@code level} entry for {@code a}, by plain descent. */
        int slotOf(Mm m, long a, int level) {
            int slot = m.root() + g.index(g.rootLevel(), a);
            for (int l = g.rootLevel(); l > level; l--) {
                slot = m.format().tablePtr(l, m.get(slot)) + g.index(l - 1, a);
            }
            return slot;
        }

        String describe(long start, int level, int order, long pfn, int prot, boolean contig,
                CharSequence yd) {
            return hex(start) + " L" + level + " o" + order + " pfn=" + hex(pfn) + " "
                    + Prot.toString(prot) + (contig ? " run " : " ") + yd;
        }
    }
}

package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;

/**
 * The oracle and {@code ptptr} side by side over the same seeded operations on two address
 * spaces, with fault injection: after every step the return value or exception type, the gather,
 * the walk visits (entry words included), RSS, tables per level and position, and every leaf
 * entry's word (per-entry young and dirty included) must agree. Replay: {@code -Dptarena.seed=N}.
 */
class OracleDiffTest {
    private static final int SEEDS = 32;
    private static final int STEPS = 40;

    @TestFactory
    List<DynamicTest> ptptrAgreesWithTheOracleStepByStep() {
        Long only = Long.getLong("ptarena.seed");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < (only == null ? SEEDS : 1); i++) {
            long seed = only == null ? 5000 + i : only;
            tests.add(DynamicTest.dynamicTest("seed " + seed, () -> new Run(seed).run()));
        }
        return tests;
    }

    /** One visit of a walk, as both sides report it. */
    record Visit(long addr, int order, int level, long entry) { }

    /** One leaf entry of a tree: its level, the start of its span and its word. */
    record Leaf(int level, long start, long word) { }

    private static final class Run {
        private final long seed;
        private final Gen gen;
        private final SplittableRandom rnd;
        private final Geometry g;
        private final EntryFormat f;
        private final Arena arena = new Arena();
        private final Oracle oracle = new Oracle();
        private final PtPtrOps ops = new PtPtrOps();
        private final Mm[] mine = new Mm[2];
        private final OracleMm[] theirs = new OracleMm[2];
        private final List<String> log = new ArrayList<>();

        Run(long seed) {
            this.seed = seed;
            this.gen = new Gen(seed);
            this.rnd = gen.rnd;
            this.g = gen.g;
            this.f = g.format();
            for (int i = 0; i < 2; i++) {
                mine[i] = new Mm(g, arena);
                theirs[i] = oracle.newMm(g);
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                try {
                    step();
                    boolean entries = step % 4 == 3 || step == STEPS - 1;
                    for (int i = 0; i < 2; i++) compareSpace(i, entries);
                    assertEquals(List.of(), arena.audit(List.of(mine)), "arena");
                } catch (AssertionError e) {
                    fail("seed " + seed + " on " + g.name() + ", after:\n  "
                            + String.join("\n  ", log) + "\n" + e.getMessage(), e);
                }
            }
        }

        private void step() {
            int a = rnd.nextInt(2);
            long[] r = cutOrRange(theirs[a]);
            long s = r[0];
            long e = r[1];
            int prot = rnd.nextInt(16);
            String range = String.format(Locale.ROOT, "%c 0x%x 0x%x", 'A' + a, s, e);
            int k = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(4) : 0;
            String fault = k == 0 ? "" : " [fault " + k + "]";
            switch (rnd.nextInt(9)) {
                case 0, 1 -> {
                    long pages = (e - s) >>> g.pageShift();
                    boolean largest = pages > 4096 || rnd.nextBoolean();
                    long pfn = gen.pfnFor(s, pages, largest);
                    if (pfn < 0) return;
                    MapPolicy p = largest ? MapPolicy.LARGEST : MapPolicy.BASE;
                    log.add("map " + range + " pfn=0x" + Long.toHexString(pfn) + " prot="
                            + Prot.toString(prot) + " policy=" + p.word() + fault);
                    same(k, x -> oracle.map(theirs[a], s, e, pfn, prot, p),
                            x -> ops.map(mine[a], s, e, pfn, prot, p));
                }
                case 2 -> {
                    boolean free = rnd.nextBoolean();
                    log.add("unmap " + range + (free ? " free" : "") + fault);
                    sameWithGather(k, t -> oracle.unmap(theirs[a], s, e, free, t),
                            t -> ops.unmap(mine[a], s, e, free, t));
                }
                case 3 -> {
                    log.add("protect " + range + " prot=" + Prot.toString(prot) + fault);
                    sameWithGather(k, t -> oracle.protect(theirs[a], s, e, prot, t),
                            t -> ops.protect(mine[a], s, e, prot, t));
                }
                case 4 -> {
                    int b = 1 - a;
                    boolean cow = rnd.nextBoolean();
                    log.add(String.format(Locale.ROOT, "copy %c %c 0x%x 0x%x %s%s", 'A' + b, 'A'
                            + a,
                            s, e, cow ? "cow" : "shared", fault));
                    sameWithGather(k, t -> oracle.copy(theirs[b], theirs[a], s, e, cow, t),
                            t -> ops.copy(mine[b], mine[a], s, e, cow, t));
                }
                case 5 -> {
                    log.add("walk " + range);
                    List<Visit> o = new ArrayList<>();
                    List<Visit> m = new ArrayList<>();
                    same(0, x -> oracle.walk(theirs[a], s, e, (ad, or, l,
                            en) -> o.add(new Visit(ad, or, l, en))),
                            x -> ops.walk(mine[a], s, e, (ad, or, l, en) -> m.add(new Visit(ad,
                                    or, l, en))));
                    assertEquals(o, m, "walk visits");
                }
                case 6 -> {
                    long va = gen.va();
                    log.add(String.format(Locale.ROOT, "lookup %c 0x%x", 'A' + a, va));
                    Translation o = new Translation();
                    Translation m = new Translation();
                    boolean found = oracle.lookup(theirs[a], va, o);
                    assertEquals(found, ops.lookup(mine[a], va, m), "lookup");
                    if (found) assertEquals(o.toString(), m.toString(), "lookup");
                }
                case 7 -> {
                    long va = gen.va();
                    boolean write = rnd.nextBoolean();
                    log.add(String.format(Locale.ROOT, "touch %c 0x%x%s", 'A' + a, va,
                            write ? " write" : ""));
                    assertEquals(oracle.touch(theirs[a], va, write), ops.touch(mine[a], va,
                            write), "touch");
                }
                default -> {
                    if (rnd.nextInt(3) > 0) return;
                    log.add((char) ('A' + a) + ": drop");
                    sameWithGather(0, t -> oracle.unmap(theirs[a], 0, g.vaEnd(), true, t),
                            t -> ops.unmap(mine[a], 0, g.vaEnd(), true, t));
                }
            }
        }

        /** Mostly a range cutting into a unit the space holds, else a range near a spot. */
        private long[] cutOrRange(OracleMm o) {
            if (o.units().isEmpty() || rnd.nextInt(4) == 0) return gen.range();
            List<Unit> units = new ArrayList<>(o.units());
            Unit u = units.get(rnd.nextInt(units.size()));
            return gen.inside(u.start(), u.size(g.pageShift()));
        }

        /** Runs both with the same injected fault; the result or the exception type must agree. */
        private void same(int k, Function<Void, Long> theirOp, Function<Void, Long> myOp) {
            String o = outcome(k, theirOp, true);
            String m = outcome(k, myOp, false);
            assertEquals(o, m, "result");
        }

        private void sameWithGather(int k, Function<TlbGather, Long> theirOp,
                                    Function<TlbGather, Long> myOp) {
            TlbGather o = new TlbGather();
            TlbGather m = new TlbGather();
            same(k, x -> theirOp.apply(o), x -> myOp.apply(m));
            assertTrue(o.sameAs(m), "gather: oracle " + o + ", ptptr " + m);
        }

        private String outcome(int k, Function<Void, Long> op, boolean oracleSide) {
            if (oracleSide) oracle.failAfter(k); else arena.failAfter(k);
            try {
                return "returned " + op.apply(null);
            } catch (RuntimeException ex) {
                return "threw " + ex.getClass().getSimpleName();
            } finally {
                if (oracleSide) oracle.failAfter(0); else arena.failAfter(0);
            }
        }

        /** Counters and walks always; tables and every leaf entry's word when {@code entries}. */
        private void compareSpace(int i, boolean entries) {
            String id = String.valueOf((char) ('A' + i));
            Mm m = mine[i];
            OracleMm o = theirs[i];
            assertEquals(o.rss(), m.rss(), id + " rss");
            assertEquals(o.tableBytes(), m.tableBytes(), id + " table bytes");
            for (int l = 0; l < g.rootLevel(); l++) {
                assertEquals(o.tables(l), m.tables(l), id + " tables of level " + l);
            }
            List<Visit> ov = new ArrayList<>();
            List<Visit> mv = new ArrayList<>();
            oracle.walk(o, 0, g.vaEnd(), (ad, or, l, en) -> ov.add(new Visit(ad, or, l, en)));
            ops.walk(m, 0, g.vaEnd(), (ad, or, l, en) -> mv.add(new Visit(ad, or, l, en)));
            assertEquals(ov.size(), mv.size(), id + " units");
            for (int u = 0; u < ov.size(); u++) assertEquals(ov.get(u), mv.get(u), id + " unit "
                    + u);
            if (!entries) return;
            List<TreeSet<Long>> myTables = new ArrayList<>();
            for (int l = 0; l < g.levels(); l++) myTables.add(new TreeSet<>());
            List<Leaf> myLeaves = new ArrayList<>();
            dump(m, m.root(), g.rootLevel(), 0, myTables, myLeaves);
            for (int l = 0; l < g.rootLevel(); l++) {
                assertEquals(new ArrayList<>(o.tableStarts(l)), new ArrayList<>(myTables.get(l)),
                        id + " table positions at level " + l);
            }
            List<Leaf> theirLeaves = new ArrayList<>();
            for (Unit u : o.units()) {
                long step = g.span(u.level());
                for (int e = 0; e < u.entries(); e++) {
                    theirLeaves.add(new Leaf(u.level(), u.start() + e * step, f.makeLeaf(u.level(),
                            u.pfn() + e * u.entryPages(), u.prot(), u.contiguous(), u.young(e),
                            u.dirty(e))));
                }
            }
            assertEquals(theirLeaves.size(), myLeaves.size(), id + " leaf entries");
            for (int e = 0; e < myLeaves.size(); e++) {
                assertEquals(theirLeaves.get(e), myLeaves.get(e), id + " leaf entry " + e);
            }
        }

        /** Every table (by level and the start of its span) and leaf entry, in address order. */
        private void dump(Mm mm, int table, int lvl, long base, List<TreeSet<Long>> tables,
                          List<Leaf> leaves) {
            if (lvl < g.rootLevel()) tables.get(lvl).add(base);
            for (int i = 0; i < g.entries(lvl); i++) {
                long e = mm.get(table + i);
                long start = base + ((long) i << g.spanShift(lvl));
                if (f.leaf(lvl, e)) {
                    leaves.add(new Leaf(lvl, start, e));
                } else if (f.table(lvl, e)) {
                    dump(mm, f.tablePtr(lvl, e), lvl - 1, start, tables, leaves);
                }
            }
        }
    }
}

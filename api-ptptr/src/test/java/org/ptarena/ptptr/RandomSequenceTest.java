package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.ptptr.PageModel.Seg;

/**
 * Seeded random operations on catalog and random geometries (1–6 levels), checked after every
 * step against a {@link PageModel} and the machine's own invariants: no leaked table, RSS, units
 * only at levels that may hold them, aligned, of their level's order, and recursion depth within
 * the levels. Replay one seed with {@code -Dptarena.seed=N}.
 */
class RandomSequenceTest {
    private static final int SEEDS = 32;
    private static final int STEPS = 40;

    @TestFactory
    List<DynamicTest> randomSequencesAgreeWithThePageModel() {
        Long only = Long.getLong("ptarena.seed");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < (only == null ? SEEDS : 1); i++) {
            long seed = only == null ? 1000 + i : only;
            tests.add(DynamicTest.dynamicTest("seed " + seed, () -> new Run(seed).run()));
        }
        return tests;
    }

    /** One seeded sequence on one geometry. */
    private static final class Run {
        private final long seed;
        private final Gen gen;
        private final SplittableRandom rnd;
        private final Geometry g;
        private final EntryFormat f;
        private final Arena arena = new Arena();
        private final PtPtrOps ops = new PtPtrOps();
        private final Mm mm;
        private final PageModel model = new PageModel();
        private final List<Mm> spaces = new ArrayList<>();
        private final int shift;

        Run(long seed) {
            this.seed = seed;
            this.gen = new Gen(seed);
            this.rnd = gen.rnd;
            this.g = gen.g;
            this.f = g.format();
            this.shift = g.pageShift();
            this.mm = new Mm(g, arena);
            spaces.add(mm);
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                String what = step(step);
                try {
                    check();
                } catch (AssertionError e) {
                    fail("seed " + seed + " on " + g.name() + ", step " + step + " (" + what + "): "
                            + e.getMessage(), e);
                }
            }
        }

        private String step(int step) {
            long[] r = rnd.nextBoolean() ? gen.range() : cut();
            long s = r[0];
            long e = r[1];
            long sp = s >>> shift;
            long ep = (e >>> shift) == 0 ? 1L << (63 - shift) : e >>> shift;
            int prot = rnd.nextInt(16);
            int norm = f.normalise(prot);
            String what;
            switch (rnd.nextInt(7)) {
                case 0, 1 -> {
                    long pages = ep - sp;
                    boolean largest = pages > 4096 || rnd.nextBoolean();
                    long pfn = gen.pfnFor(s, pages, largest);
                    what = String.format(Locale.ROOT, "map 0x%x 0x%x pfn=0x%x %s", s, e, pfn,
                            largest ? "largest" : "base");
                    MapPolicy policy = largest ? MapPolicy.LARGEST : MapPolicy.BASE;
                    if (pfn < 0) return what + " skipped: no pfn fits";
                    if (model.any(sp, ep)) {
                        assertThrows(OverlapException.class, () -> ops.map(mm, s, e, pfn, prot,
                                policy), what);
                    } else if (rnd.nextInt(6) == 0) {
                        arena.failAfter(1 + rnd.nextInt(3));
                        try {
                            assertEquals(pages, ops.map(mm, s, e, pfn, prot, policy), what);
                            model.put(sp, ep, pfn, norm);
                        } catch (OutOfTablesException ex) {
                            what += " failed";
                        }
                        arena.failAfter(0);
                    } else {
                        assertEquals(pages, ops.map(mm, s, e, pfn, prot, policy), what);
                        model.put(sp, ep, pfn, norm);
                    }
                }
                case 2 -> {
                    boolean free = rnd.nextBoolean();
                    what = "unmap 0x" + Long.toHexString(s) + " 0x" + Long.toHexString(e)
                            + (free ? " free" : "");
                    assertEquals(model.remove(sp, ep), ops.unmap(mm, s, e, free, new TlbGather()),
                            what);
                }
                case 3 -> {
                    what = "protect 0x" + Long.toHexString(s) + " 0x" + Long.toHexString(e) + " "
                            + Prot.toString(prot);
                    assertEquals(model.protect(sp, ep, norm), ops.protect(mm, s, e, prot,
                            new TlbGather()), what);
                }
                case 4 -> what = copy(s, e, sp, ep);
                default -> what = probe();
            }
            return what;
        }

        /** A range cutting into a unit the space holds now (picked by reservoir over a walk). */
        private long[] cut() {
            long[] pick = {-1, 0};
            long[] seen = {0};
            ops.walk(mm, 0, g.vaEnd(), (addr, order, level, e) -> {
                if (rnd.nextLong(++seen[0]) == 0) {
                    pick[0] = addr;
                    pick[1] = g.unitSize(order);
                }
            });
            return pick[0] < 0 ? gen.range() : gen.inside(pick[0], pick[1]);
        }

        /** Copies into a fresh space; checks it, then the source's write-protection. */
        private String copy(long s, long e, long sp, long ep) {
            boolean cow = rnd.nextBoolean();
            String what = "copy 0x" + Long.toHexString(s) + " 0x" + Long.toHexString(e)
                    + (cow ? " cow" : " shared");
            Mm dst = new Mm(g, arena);
            spaces.add(dst);
            PageModel expect = new PageModel();
            for (Seg x : model.slice(sp, ep)) {
                int p = cow ? f.normalise(x.prot() & ~Prot.W) : x.prot();
                expect.put(x.start(), x.end(), x.pfn(), p);
            }
            boolean inject = !cow && rnd.nextInt(4) == 0;
            if (inject) arena.failAfter(1 + rnd.nextInt(3));
            try {
                assertEquals(expect.pages(), ops.copy(dst, mm, s, e, cow, new TlbGather()), what);
                assertEquals(expect.merged(), segments(dst), what + ": the child");
                assertEquals(expect.pages(), dst.rss(), what);
                if (cow) {
                    for (Seg x : model.slice(sp, ep)) {
                        model.put(x.start(), x.end(), x.pfn(), f.normalise(x.prot() & ~Prot.W));
                    }
                }
            } catch (OutOfTablesException ex) {
                assertEquals(List.of(), segments(dst), what + " failed: the child keeps no leaf");
                what += " failed";
            }
            arena.failAfter(0);
            ops.unmap(dst, 0, g.vaEnd(), true, new TlbGather());
            for (int l = 0; l < g.rootLevel(); l++) assertEquals(0, dst.tables(l), what
                    + " dropped");
            return what;
        }

        /** lookup and touch at an address near a spot, against the model. */
        private String probe() {
            long va = gen.va();
            Seg x = model.at(va >>> shift);
            Translation t = new Translation();
            boolean write = rnd.nextBoolean();
            String what = "lookup/touch 0x" + Long.toHexString(va);
            if (x == null) {
                assertTrue(!ops.lookup(mm, va, t) && !ops.touch(mm, va, write), what);
                return what;
            }
            assertTrue(ops.lookup(mm, va, t), what);
            long pfn = x.pfn() + ((va >>> shift) - x.start());
            assertEquals(pfn, t.pfn, what);
            assertEquals((pfn << shift) | (va & (g.pageSize() - 1)), t.phys, what);
            assertEquals(x.prot(), t.prot, what);
            int need = Prot.U | (write ? Prot.W : Prot.R);
            assertEquals((x.prot() & need) == need, ops.touch(mm, va, write), what);
            return what;
        }

        private void check() {
            assertEquals(model.merged(), segments(mm));
            assertEquals(model.pages(), mm.rss(), "rss");
            assertEquals(List.of(), arena.audit(spaces), "arena");
            assertTrue(ops.maxDepth() <= g.levels(), "depth " + ops.maxDepth());
        }

        /** The walk as page segments, checking each unit's level, order and alignment. */
        private List<Seg> segments(Mm space) {
            List<Seg> out = new ArrayList<>();
            ops.walk(space, 0, g.vaEnd(), (addr, order, level, e) -> {
                assertTrue(g.leafAllowed(level), "leaf at level " + level);
                assertEquals(f.contig(level, e) ? g.runOrder(level) : g.order(level), order,
                        "order");
                assertEquals(0, (addr >>> shift) & ((1L << order) - 1), "unit alignment");
                long p = addr >>> shift;
                out.add(new Seg(p, p + (1L << order), f.pfn(level, e), f.prot(level, e)));
            });
            return PageModel.merge(out);
        }
    }
}

package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;

/**
 * Seeded random operation sequences on every catalog layout and on random layouts of 1–6
 * levels, checked after each step against a page-by-page model (pfn and prot of every mapped
 * page, RSS) and against what must hold of the tables (no leak, counters, unit shapes, no empty
 * table left where an unmap freed). Ranges stay in a window at the bottom and one at the top of
 * the space, where every boundary and the 2^63 end are met.
 */
class RandomSequenceTest {
    private static final long SEED = Long.getLong("ptarena.seed", 0x5eed_2020L);
    private static final int STEPS = 40;

    @TestFactory
    Stream<DynamicTest> catalogLayouts() {
        return Geometries.catalog().stream().map(g -> DynamicTest.dynamicTest(g.name(),
                () -> new Run(g, new SplittableRandom(SEED ^ g.name().hashCode())).steps()));
    }

    @TestFactory
    Stream<DynamicTest> randomLayoutsOfOneToSixLevels() {
        SplittableRandom seeds = new SplittableRandom(SEED);
        List<DynamicTest> tests = new ArrayList<>();
        int[] perLevelCount = new int[7];
        for (int i = 0; i < 90; i++) {
            long seed = seeds.nextLong();
            Geometry g = Geometries.random(new SplittableRandom(seed));
            perLevelCount[g.levels()]++;
            tests.add(DynamicTest.dynamicTest(g.name() + " seed " + seed,
                    () -> new Run(g, new SplittableRandom(seed)).steps()));
        }
        for (int l = 1; l <= 6; l++) {
            assertTrue(perLevelCount[l] > 0, "no layout of " + l + " levels");
        }
        return tests.stream();
    }

    /** One sequence on one layout. */
    private static final class Run {
        private final Geometry g;
        private final EntryFormat f;
        private final SplittableRandom rnd;
        private final VpteOps ops = new VpteOps();
        private final Arena arena = new Arena();
        private final Mm mm;
        private final List<Mm> all = new ArrayList<>();
        private final TreeMap<Long, long[]> model = new TreeMap<>();   // page → {pfn, prot}
        private final long windowPages;
        private final StringBuilder log = new StringBuilder();

        Run(Geometry g, SplittableRandom rnd) {
            this.g = g;
            this.f = g.format();
            this.rnd = rnd;
            this.mm = new Mm(g, arena);
            all.add(mm);
            windowPages = Math.min(g.vaEnd() == Long.MIN_VALUE ? 1L << 40
                    : g.vaEnd() >>> g.pageShift(), 160);
        }

        void steps() {
            for (int i = 0; i < STEPS; i++) {
                try {
                    step();
                    check(mm, model);
                } catch (AssertionError | RuntimeException e) {
                    fail(g + " after:\n" + log, e);
                }
            }
        }

        private long page() { return g.pageSize(); }

        /** A page-aligned range in the bottom or the top window, biased to small sizes. */
        private long[] range() {
            long base = rnd.nextBoolean() ? 0 : g.vaEnd() - windowPages * page();
            long s = rnd.nextLong(windowPages);
            long maxLen = windowPages - s;
            long len = 1 + (rnd.nextInt(4) == 0 ? rnd.nextLong(maxLen)
                    : rnd.nextLong(Math.min(maxLen, 40)));
            if (rnd.nextInt(6) == 0) len = maxLen;                  // up to the window's end
            return new long[] {base + s * page(), base + (s + len) * page()};
        }

        private int prot() {
            int[] prots = {Prot.R | Prot.U, Prot.R | Prot.W | Prot.U, Prot.NONE,
                Prot.R | Prot.X | Prot.U, Prot.R | Prot.W};
            return f.normalise(prots[rnd.nextInt(prots.length)]);
        }

        private void step() {
            long[] r = range();
            long start = r[0];
            long end = r[1];
            int kind = rnd.nextInt(10);
            TlbGather tlb = new TlbGather();
            if (kind < 4) {
                long pfn = rnd.nextInt(3) > 0 ? (start >>> g.pageShift()) & ((1L << 32) - 1)
                        : rnd.nextLong(1 << 20);
                int prot = prot();
                MapPolicy policy = rnd.nextInt(3) > 0 ? MapPolicy.LARGEST : MapPolicy.BASE;
                long fault = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(3) : 0;
                log.append(String.format(Locale.ROOT,
                        "map 0x%x 0x%x pfn=0x%x prot=%s policy=%s fault=%d%n",
                        start, end, pfn, Prot.toString(prot), policy.word(), fault));
                boolean overlap = !model.subMap(start, true, end - 1, true).isEmpty();
                arena.failAfter(fault);
                try {
                    long pages = ops.map(mm, start, end, pfn, prot, policy);
                    assertFalse(overlap, "map over a mapped page succeeded");
                    assertEquals((end - start) >>> g.pageShift(), pages);
                    for (long a = start; a != end; a += page()) {
                        model.put(a, new long[] {pfn + ((a - start) >>> g.pageShift()), prot});
                    }
                } catch (OverlapException e) {
                    assertTrue(overlap, "refused an empty range: " + e.getMessage());
                } catch (OutOfTablesException e) {
                    assertTrue(fault > 0);
                } finally {
                    arena.failAfter(0);
                }
            } else if (kind < 6) {
                boolean free = rnd.nextBoolean();
                log.append(String.format(Locale.ROOT, "unmap 0x%x 0x%x free=%b%n", start, end,
                        free));
                long want = model.subMap(start, true, end - 1, true).size();
                assertEquals(want, ops.unmap(mm, start, end, free, tlb));
                model.subMap(start, true, end - 1, true).clear();
                if (free) noEmptyTableMeets(mm, start, end);
            } else if (kind < 8) {
                int prot = prot();
                log.append(String.format(Locale.ROOT, "protect 0x%x 0x%x prot=%s%n", start, end,
                        Prot.toString(prot)));
                long changed = 0;
                for (long[] v : model.subMap(start, true, end - 1, true).values()) {
                    if (v[1] != prot) changed++;
                    v[1] = prot;
                }
                assertEquals(changed, ops.protect(mm, start, end, prot, tlb));
            } else if (kind < 9) {
                long va = start + rnd.nextLong(end - start);
                boolean write = rnd.nextBoolean();
                log.append(String.format(Locale.ROOT, "touch 0x%x %b%n", va, write));
                long[] v = model.get(va & -page());
                boolean allowed = v != null && (v[1] & Prot.U) != 0
                        && (v[1] & (write ? Prot.W : Prot.R)) != 0;
                assertEquals(allowed, ops.touch(mm, va, write));
            } else {
                boolean cow = rnd.nextBoolean();
                log.append(String.format(Locale.ROOT, "copy 0x%x 0x%x cow=%b%n", start, end, cow));
                Mm dst = new Mm(g, arena);
                all.add(dst);
                TreeMap<Long, long[]> child = new TreeMap<>();
                for (Map.Entry<Long, long[]> e
                        : model.subMap(start, true, end - 1, true).entrySet()) {
                    long[] v = e.getValue();
                    if (cow) v[1] = f.normalise((int) v[1] & ~Prot.W);
                    child.put(e.getKey(), v.clone());
                }
                assertEquals(child.size(), ops.copy(dst, mm, start, end, cow, tlb));
                check(dst, child);
                ops.unmap(dst, 0, g.vaEnd(), true, new TlbGather());
                for (int l = 0; l < g.rootLevel(); l++) assertEquals(0, dst.tables(l));
            }
            assertEquals(List.of(), arena.audit(all));
        }

        /** The walk, expanded to pages, is the model; lookups agree; units have legal shapes. */
        private void check(Mm space, TreeMap<Long, long[]> want) {
            TreeMap<Long, long[]> got = new TreeMap<>();
            long[] last = {-1};
            ops.walk(space, 0, g.vaEnd(), (addr, order, level, e) -> {
                assertTrue(order == g.order(level) && g.leafAllowed(level)
                        || g.contig(level) > 1 && order == g.runOrder(level), "unit shape");
                assertTrue(g.aligned(addr, order), "unit alignment");
                assertTrue(last[0] < 0 || Long.compareUnsigned(last[0], addr) <= 0,
                        "address order");
                assertTrue(order <= 12, "a unit larger than any range mapped");
                for (long i = 0; i < 1L << order; i++) {
                    got.put(addr + i * page(), new long[] {f.pfn(level, e) + i, f.prot(level, e)});
                }
                last[0] = addr + g.unitSize(order);
            });
            assertEquals(render(want), render(got));
            assertEquals(want.size(), space.rss());
            Fixture.countsAgree(space);
            Translation t = new Translation();
            for (int i = 0; i < 4 && !want.isEmpty(); i++) {
                long va = rnd.nextBoolean() ? want.firstKey() : want.lastKey();
                assertTrue(ops.lookup(space, va + 5, t));
                assertEquals(want.get(va)[0], t.pfn);
                assertEquals(want.get(va)[1], t.prot);
                assertEquals((t.pfn << g.pageShift()) + 5, t.phys);
            }
        }

        private static List<String> render(TreeMap<Long, long[]> pages) {
            List<String> out = new ArrayList<>();
            pages.forEach((a, v) -> out.add(Long.toHexString(a) + ":" + Long.toHexString(v[0])
                    + ":" + Prot.toString((int) v[1])));
            return out;
        }

        /** No non-root table whose span meets {@code [start, end)} is empty. */
        private void noEmptyTableMeets(Mm space, long start, long end) {
            scan(space, space.root(), g.rootLevel(), 0, start, end);
        }

        private void scan(Mm space, int table, int level, long base, long start, long end) {
            for (int i = 0; i < g.entries(level); i++) {
                long e = space.get(table + i);
                if (!f.table(level, e)) continue;
                long at = base + ((long) i << g.spanShift(level));
                long atEnd = at + g.span(level);
                int child = f.tablePtr(level, e);
                boolean meets = Long.compareUnsigned(at, end) < 0
                        && Long.compareUnsigned(atEnd, start) > 0;
                if (meets) {
                    boolean empty = true;
                    for (int j = 0; j < g.entries(level - 1); j++) {
                        empty &= space.get(child + j) == 0;
                    }
                    assertFalse(empty, "empty table left at 0x" + Long.toHexString(at));
                }
                scan(space, child, level - 1, at, start, end);
            }
        }
    }
}

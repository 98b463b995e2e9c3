package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.Translation;

/**
 * Seeded random operation sequences on small random layouts (2–5 levels, leaves and runs
 * anywhere, root included), checked after every step against a page-level shadow: what each
 * page maps to, return values, RSS, walk, the arena audit, and freed tables. Units, young and
 * dirty are the hand tests' and the oracle's business.
 */
class ShadowPropertyTest {
    private static final int SEEDS = Integer.getInteger("legacy.seeds", 60);
    private static final int STEPS = 60;

    @TestFactory
    Stream<DynamicTest> legacyAgreesWithAPageShadow() {
        long base = Long.getLong("ptarena.seed", 0x5eedL);
        return LongStream.range(base, base + SEEDS).mapToObj(seed ->
                dynamicTest("seed " + seed, () -> new Run(new SplittableRandom(seed)).go()));
    }

    /** One sequence: a layout, two spaces, their shadows. */
    private static final class Run {
        final SplittableRandom rnd;
        final Fixture w;
        final Geometry g;
        final Mm[] mm = new Mm[2];
        final long[][] pfn = new long[2][];
        final int[][] prot = new int[2][];
        final List<String> log = new ArrayList<>();

        Run(SplittableRandom rnd) {
            this.rnd = rnd;
            this.w = new Fixture(layout(rnd));
            this.g = w.geometry;
            int pages = 1 << (g.vaBits() - g.pageShift());
            for (int i = 0; i < 2; i++) {
                mm[i] = w.mm();
                pfn[i] = new long[pages];
                Arrays.fill(pfn[i], -1);
                prot[i] = new int[pages];
            }
        }

        static String layout(SplittableRandom rnd) {
            int levels = 2 + rnd.nextInt(4);
            int[] bits = new int[levels];
            boolean[] leaf = new boolean[levels];
            int[] contig = new int[levels];
            int budget = 12;
            for (int i = 0; i < levels; i++) {
                int room = budget - (levels - 1 - i);
                bits[i] = 1 + rnd.nextInt(Math.min(4, room));
                budget -= bits[i];
                leaf[i] = i == levels - 1 || rnd.nextInt(3) > 0;
                contig[i] = leaf[i] && rnd.nextBoolean() ? 1 << rnd.nextInt(bits[i] + 1) : 1;
            }
            return Geometries.genericName(12, bits, leaf, contig);
        }

        void go() {
            log.add("geometry " + g.name());
            try {
                for (int step = 0; step < STEPS; step++) step();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(String.join("\n", log) + "\n" + e, e);
            }
        }

        long page(long va) { return va >>> g.pageShift(); }

        static String hex(long v) { return "0x" + Long.toHexString(v); }

        /** A page-aligned address, biased to the spans of the levels. */
        long addr() {
            long pages = 1L << (g.vaBits() - g.pageShift());
            long a = rnd.nextLong(pages + 1) << g.pageShift();
            if (rnd.nextInt(3) == 0) a &= -g.span(rnd.nextInt(g.levels()));
            return a;
        }

        long[] range() {
            long a = addr();
            long b = addr();
            while (a == b) b = addr();
            return a < b ? new long[] {a, b} : new long[] {b, a};
        }

        int anyProt() { return rnd.nextInt(16); }

        void step() {
            int i = rnd.nextInt(2);
            Mm m = mm[i];
            long[] r = range();
            long s = r[0];
            long e = r[1];
            long first = page(s);
            long last = page(e);
            switch (rnd.nextInt(7)) {
                case 0, 1 -> {
                    long p = rnd.nextBoolean() ? first : rnd.nextLong(1 << 12);
                    int pr = anyProt();
                    MapPolicy pol = rnd.nextInt(4) == 0 ? MapPolicy.BASE : MapPolicy.LARGEST;
                    log.add("map " + i + " " + hex(s) + " " + hex(e) + " pfn=" + hex(p)
                            + " prot=" + Prot.toString(pr) + " " + pol.word());
                    long mapped = -1;
                    for (long q = first; q < last && mapped < 0; q++) {
                        if (pfn[i][(int) q] >= 0) mapped = q;
                    }
                    boolean inject = rnd.nextInt(5) == 0;
                    if (inject) w.arena.failAfter(1 + rnd.nextInt(3));
                    try {
                        long n = w.ops.map(m, s, e, p, pr, pol);
                        assertTrue(mapped < 0, "map over a mapped page went through");
                        assertEquals(last - first, n);
                        for (long q = first; q < last; q++) {
                            pfn[i][(int) q] = p + q - first;
                            prot[i][(int) q] = g.format().normalise(pr);
                        }
                    } catch (OverlapException ex) {
                        long at = mapped << g.pageShift();
                        assertEquals(OverlapException.mapped("map", at).getMessage(),
                                ex.getMessage());
                    } catch (OutOfTablesException ex) {
                        assertTrue(inject);
                    } finally {
                        w.arena.failAfter(0);
                    }
                }
                case 2 -> {
                    boolean free = rnd.nextBoolean();
                    log.add("unmap " + i + " " + hex(s) + " " + hex(e) + (free ? " free" : ""));
                    long expected = 0;
                    for (long q = first; q < last; q++) if (pfn[i][(int) q] >= 0) expected++;
                    assertEquals(expected, w.unmap(m, s, e - s, free));
                    for (long q = first; q < last; q++) pfn[i][(int) q] = -1;
                    if (free) assertNoEmptyTableMeets(m, s, e);
                }
                case 3 -> {
                    int pr = anyProt();
                    int np = g.format().normalise(pr);
                    log.add("protect " + i + " " + hex(s) + " " + hex(e) + " prot="
                            + Prot.toString(pr));
                    long expected = 0;
                    for (long q = first; q < last; q++) {
                        if (pfn[i][(int) q] >= 0 && prot[i][(int) q] != np) expected++;
                    }
                    assertEquals(expected, w.protect(m, s, e - s, pr));
                    for (long q = first; q < last; q++) prot[i][(int) q] = np;
                }
                case 4 -> copy(i, s, e);
                case 5 -> {
                    long va = addr() & (g.vaEnd() - 1);
                    va |= rnd.nextLong(g.pageSize());
                    boolean write = rnd.nextBoolean();
                    log.add("touch " + i + " 0x" + Long.toHexString(va) + (write ? " write" : ""));
                    int q = (int) page(va);
                    int p = prot[i][q];
                    boolean ok = pfn[i][q] >= 0 && (p & Prot.U) != 0
                            && (p & (write ? Prot.W : Prot.R)) != 0;
                    assertEquals(ok, w.ops.touch(m, va, write));
                }
                default -> {
                    log.add("walk " + i + " " + hex(s) + " " + hex(e));
                    checkWalk(i, s, e);
                }
            }
            for (int k = 0; k < 2; k++) check(k);
        }

        void copy(int from, long s, long e) {
            int to = 1 - from;
            boolean cow = rnd.nextBoolean();
            log.add("copy " + to + " " + from + " " + hex(s) + " " + hex(e)
                    + (cow ? " cow" : " shared"));
            boolean leafIn = false;
            for (long q = page(s); q < page(e); q++) leafIn |= pfn[to][(int) q] >= 0;
            boolean tableIn = tableInside(mm[to], mm[to].root(), g.rootLevel(), 0, s, e);
            boolean inject = rnd.nextInt(5) == 0;
            if (inject) w.arena.failAfter(1 + rnd.nextInt(3));
            try {
                long n = w.ops.copy(mm[to], mm[from], s, e, cow, w.tlb);
                assertFalse(leafIn || tableIn, "copy into a non-empty destination went through");
                long expected = 0;
                for (long q = page(s); q < page(e); q++) {
                    int k = (int) q;
                    if (pfn[from][k] < 0) continue;
                    expected++;
                    if (cow) prot[from][k] &= ~Prot.W;
                    pfn[to][k] = pfn[from][k];
                    prot[to][k] = prot[from][k];
                }
                assertEquals(expected, n);
            } catch (OverlapException ex) {
                assertTrue(leafIn || tableIn, ex.getMessage());
            } catch (OutOfTablesException ex) {
                assertTrue(inject);
                // the source may have lost w on a prefix of the range; the pfns stay
                for (long q = page(s); q < page(e); q++) {
                    int k = (int) q;
                    if (pfn[from][k] < 0 || !cow) continue;
                    Translation t = w.lookup(mm[from], q << g.pageShift());
                    assertTrue(t.prot == prot[from][k] || t.prot == (prot[from][k] & ~Prot.W));
                    prot[from][k] = t.prot;
                }
            } finally {
                w.arena.failAfter(0);
            }
        }

        void check(int i) {
            Mm m = mm[i];
            Translation t = new Translation();
            long count = 0;
            for (int q = 0; q < pfn[i].length; q++) {
                long va = (long) q << g.pageShift();
                boolean found = w.ops.lookup(m, va, t);
                assertEquals(pfn[i][q] >= 0, found, "mapped? space " + i + " " + hex(va));
                if (!found) continue;
                count++;
                assertEquals(pfn[i][q], t.pfn, "pfn, space " + i + " 0x" + Long.toHexString(va));
                assertEquals(prot[i][q], t.prot, "prot, space " + i + " 0x" + Long.toHexString(va));
                assertTrue(g.leafAllowed(t.level), "leaf at a level that may not hold one");
            }
            assertEquals(count, m.rss(), "rss of space " + i);
            assertEquals(List.of(), w.arena.audit(w.spaces));
            checkWalk(i, 0, g.vaEnd());
        }

        void checkWalk(int i, long s, long e) {
            Mm m = mm[i];
            List<long[]> visits = new ArrayList<>();
            long n = w.ops.walk(m, s, e, (a, o, l, en) -> visits.add(new long[] {a, o, l}));
            assertEquals(visits.size(), n);
            long prevEnd = 0;
            long pages = 0;
            Translation t = new Translation();
            for (long[] v : visits) {
                long a = v[0];
                long size = g.unitSize((int) v[1]);
                assertTrue(g.aligned(a, (int) v[1]), "unit not aligned");
                assertTrue(Long.compareUnsigned(a, prevEnd) >= 0, "visits overlap or go backwards");
                assertTrue(Long.compareUnsigned(a + size - 1, s) >= 0
                        && Long.compareUnsigned(a, e - 1) <= 0);
                assertTrue(w.ops.lookup(m, a, t));
                assertEquals(v[1], t.order);
                assertEquals(v[2], t.level);
                prevEnd = a + size;
                long inEnd = Math.min(page(e - 1) + 1, page(a + size - 1) + 1);
                pages += inEnd - Math.max(page(s), page(a));
            }
            long expected = 0;
            for (long q = page(s); q < page(e - 1) + 1; q++) if (pfn[i][(int) q] >= 0) expected++;
            assertEquals(expected, pages, "pages the walk covers inside the range");
        }

        boolean tableInside(Mm m, int table, int level, long base, long s, long e) {
            if (level == 0) return false;
            EntryFormat f = m.format();
            for (int k = 0; k < g.entries(level); k++) {
                long en = m.get(table + k);
                if (!f.table(level, en)) continue;
                long a = base + ((long) k << g.spanShift(level));
                long end = a + g.span(level);
                if (a >= s && Long.compareUnsigned(end - 1, e - 1) <= 0) return true;
                if (Long.compareUnsigned(end - 1, s) < 0
                        || Long.compareUnsigned(a, e - 1) > 0) continue;
                if (tableInside(m, f.tablePtr(level, en), level - 1, a, s, e)) return true;
            }
            return false;
        }

        void assertNoEmptyTableMeets(Mm m, long s, long e) {
            emptyCheck(m, m.root(), g.rootLevel(), 0, s, e);
        }

        /** @return whether the table at {@code table} is empty */
        boolean emptyCheck(Mm m, int table, int level, long base, long s, long e) {
            EntryFormat f = m.format();
            boolean empty = true;
            for (int k = 0; k < g.entries(level); k++) {
                long en = m.get(table + k);
                if (en == 0) continue;
                empty = false;
                if (level == 0 || !f.table(level, en)) continue;
                long a = base + ((long) k << g.spanShift(level));
                long end = a + g.span(level);
                boolean meets = Long.compareUnsigned(end - 1, s) >= 0
                        && Long.compareUnsigned(a, e - 1) <= 0;
                if (emptyCheck(m, f.tablePtr(level, en), level - 1, a, s, e) && meets) {
                    fail("empty level-" + (level - 1) + " table at " + hex(a)
                            + " left by unmap with free");
                }
            }
            return empty;
        }
    }
}

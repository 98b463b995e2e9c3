package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;

/**
 * The numbers of one generated sequence, biased toward the edges that break walkers: one or two
 * windows where the action happens (the bottom of the space, its top, or around a table boundary
 * of some level), addresses on the boundaries of every grain (page, entry span and table span of
 * every level, contiguous run), lengths of one page, one grain, a grain and a page more or less,
 * up to the next boundary or to the very top; pfns congruent to the address for large units or
 * off by a little; and the units a {@code map} would install, so statements stay cheap.
 */
final class Edges {
    final Geometry g;
    final SplittableRandom rnd;
    final long page;
    final long vaLast;            // last byte of the space, 2^vaBits - 1: never < 0
    final int[] grains;           // interesting power-of-two sizes: shifts, ascending
    final int[] unitOrders;       // orders a LARGEST map may install, descending
    final boolean[] unitIsRun;    // whether unitOrders[i] is a contiguous run
    final List<long[]> windows = new ArrayList<>();   // {first, last, shift}

    Edges(Geometry g, SplittableRandom rnd) {
        this.g = g;
        this.rnd = rnd;
        this.page = g.pageSize();
        this.vaLast = g.vaEnd() - 1;
        TreeSet<Integer> shifts = new TreeSet<>();
        TreeSet<Integer> orders = new TreeSet<>();
        TreeSet<Integer> runOrders = new TreeSet<>();
        for (int level = 0; level <= g.rootLevel(); level++) {
            shifts.add(g.spanShift(level));
            shifts.add(g.tableSpanShift(level));
            if (g.contig(level) > 1) {
                shifts.add(g.spanShift(level) + g.contigShift(level));
                runOrders.add(g.runOrder(level));
            }
            if (g.leafAllowed(level)) orders.add(g.order(level));
        }
        grains = shifts.stream().mapToInt(Integer::intValue).toArray();
        orders.addAll(runOrders);
        unitOrders = orders.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        unitIsRun = new boolean[unitOrders.length];
        for (int i = 0; i < unitOrders.length; i++) {
            unitIsRun[i] = runOrders.contains(unitOrders[i]) && !isLeafOrder(unitOrders[i]);
        }
        pickWindows();
    }

    boolean isLeafOrder(int order) {
        for (int level = 0; level <= g.rootLevel(); level++) {
            if (g.leafAllowed(level) && g.order(level) == order) return true;
        }
        return false;
    }

    /** One or two regions where the action happens: the bottom, the top, a boundary. */
    void pickWindows() {
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            int shift = windowShift();
            long size = 1L << shift;
            switch (rnd.nextInt(4)) {
                case 0 -> windows.add(new long[] {0, size - 1, shift});
                case 1 -> windows.add(new long[] {vaLast - size + 1, vaLast, shift});
                default -> {
                    // centred on a boundary of a table at some level: crossing it crosses
                    // tables at every level below
                    int level = rnd.nextInt(g.levels());
                    int tableShift = g.tableSpanShift(level);
                    long centre = tableShift >= g.vaBits() ? 0
                            : (1L + rnd.nextLong(Math.max(1,
                                    (vaLast >>> tableShift)))) << tableShift;
                    long half = size >>> 1;
                    long first = Math.max(0, centre - half);
                    long last = Math.min(vaLast, centre + half - 1);
                    if (last < first + page - 1) last = first + page - 1;
                    windows.add(new long[] {first, last, shift});
                }
            }
        }
    }

    /** A window size: a few units of a level that may hold leaves, or of a run. */
    int windowShift() {
        int order = unitOrders[rnd.nextInt(unitOrders.length)];
        int shift = order + g.pageShift() + 1 + rnd.nextInt(3);
        return Math.min(shift, g.vaBits());
    }

    long[] window() {
        return windows.get(rnd.nextInt(windows.size()));
    }

    /** A page-aligned address in a window, biased toward the boundaries of every grain. */
    long edgeAddress() {
        long[] w = window();
        int s = grainAtMost((int) w[2]);
        long span = 1L << s;
        long first = w[0] & -span;
        long count = ((w[1] - first) >>> s) + 1;
        long m = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> Math.min(1, count - 1);
            case 2 -> count - 1;
            case 3 -> count / 2;
            default -> rnd.nextLong(count);
        };
        long a = first + m * span;
        a = switch (rnd.nextInt(10)) {
            case 0, 1 -> a + page;
            case 2, 3 -> a - page;
            case 4 -> a + (1L << grainAtMost(s - 1));
            default -> a;
        };
        return clampStart(a);
    }

    int grainAtMost(int shift) {
        int n = 0;
        while (n < grains.length && grains[n] <= shift) n++;
        return n == 0 ? g.pageShift() : grains[rnd.nextInt(n)];
    }

    long clampStart(long a) {
        long topPage = vaLast - page + 1;
        if (a < 0) return 0;
        if (a > topPage) return topPage;
        return a & -page;
    }

    /** An inclusive last byte for a range starting at {@code first}, biased to the edges. */
    long edgeLast(long first) {
        long len = switch (rnd.nextInt(9)) {
            case 0 -> page;
            case 1 -> page * (2 + rnd.nextInt(16));
            case 2 -> toBoundary(first, grains[rnd.nextInt(grains.length)]);
            case 3 -> -1;   // to the top of the space
            default -> {
                int s = grains[rnd.nextInt(grains.length)];
                long size = s >= 62 ? 1L << 62 : 1L << s;
                yield switch (rnd.nextInt(4)) {
                    case 0 -> size + page;
                    case 1 -> size - page;
                    case 2 -> size * 2;
                    default -> size;
                };
            }
        };
        return lastOf(first, len);
    }

    /** Bytes from {@code first} to the next multiple of {@code 2^shift}; -1 past the top. */
    long toBoundary(long first, int shift) {
        if (shift >= g.vaBits()) return -1;
        long boundary = (first | ((1L << shift) - 1)) + 1;
        return boundary - 1 > vaLast || boundary <= 0 ? -1 : boundary - first;
    }

    long lastOf(long first, long len) {
        if (first < 0 || len <= 0 || first + len - 1 < first || first + len - 1 > vaLast) {
            return vaLast;
        }
        return first + len - 1;
    }

    /**
     * A pfn for {@code [first, last]}: mostly congruent to the address modulo the largest
     * unit (so large units are possible), sometimes off by a little (so they are not).
     */
    long pfnFor(long first, long last) {
        long pages = pages(first, last);
        long max = g.format().maxPfn() - pages + 1;
        if (max <= 0) return 0;
        int align = Math.min(unitOrders[0], g.format().pfnBits() - 2);
        long vpn = (first >>> g.pageShift()) & ((1L << align) - 1);
        long base = rnd.nextLong(1 + (max >>> (align + 1))) << align;
        long pfn = base + vpn;
        if (rnd.nextInt(10) < 3) {
            pfn += switch (rnd.nextInt(3)) {
                case 0 -> 1;
                case 1 -> 1L << Math.max(0, unitOrders[rnd.nextInt(unitOrders.length)] - 1);
                default -> rnd.nextInt(64);
            };
        }
        return Math.min(Math.max(0, pfn), max);
    }

    long pages(long first, long last) {
        return ((last - first) >>> g.pageShift()) + 1;
    }

    /**
     * The units a map of {@code [first, last]} at {@code pfn} installs into empty tables, in
     * address order, as {@code {address, order, isRun}}; stops after {@code max + 1}.
     */
    List<long[]> units(long first, long last, long pfn, MapPolicy policy, int max) {
        List<long[]> out = new ArrayList<>();
        long a = first;
        long p = pfn;
        while (out.size() <= max) {
            int k = unitIndex(a, p, last, policy);
            int order = k < 0 ? 0 : unitOrders[k];
            out.add(new long[] {a, order, k >= 0 && unitIsRun[k] ? 1 : 0});
            long size = g.unitSize(order);
            if (last - a < size) break;
            a += size;
            p += 1L << order;
            if (a > last) break;
        }
        return out;
    }

    int unitIndex(long a, long p, long last, MapPolicy policy) {
        if (policy == MapPolicy.BASE) return -1;
        for (int i = 0; i < unitOrders.length; i++) {
            int o = unitOrders[i];
            if (o + g.pageShift() >= 63) continue;
            if (!g.aligned(a, o) || (p & ((1L << o) - 1)) != 0) continue;
            if (g.unitSize(o) - 1 <= last - a) return i;
        }
        return -1;
    }
}

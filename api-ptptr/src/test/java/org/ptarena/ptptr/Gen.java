package org.ptarena.ptptr;

import java.util.List;
import java.util.SplittableRandom;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;

/**
 * Seeded, boundary-biased choices for random sequences: geometries (catalog or random, 1–6
 * levels), ranges whose edges sit on entry boundaries of a random level or a few pages off them,
 * near the bottom, middle and top of the space, no longer than 2^12 of the largest leaf, and
 * pfns aligned like their addresses.
 */
final class Gen {
    /** A split builds tables down to the first level that may hold leaves: keep that small. */
    static final int MAX_SPLIT_BITS = 16;

    /** A range holds at most 2^12 units of the largest leaf, so a map stays small. */
    private static final int MAX_UNITS_SHIFT = 12;

    final SplittableRandom rnd;
    final Geometry g;
    private final long[] spots;
    private final long maxLength;

    Gen(long seed) {
        this(new SplittableRandom(seed), null);
    }

    /** Choices on {@code geometry}, or on one chosen by the seed when it is null. */
    Gen(SplittableRandom rnd, Geometry geometry) {
        this.rnd = rnd;
        this.g = geometry != null ? geometry : geometry(rnd);
        long top = g.vaEnd();    // 2^63 reads negative
        long half = 1L << (g.vaBits() - 1);
        this.spots = new long[] {0, half, top - (half >>> 1), top - g.pageSize() * 64};
        for (int i = 0; i < spots.length; i++) {
            if (!g.contains(spots[i])) spots[i] = 0;    // spaces of a few pages
        }
        int largest = g.rootLevel();
        while (!g.leafAllowed(largest)) largest--;
        this.maxLength = g.span(largest) << Math.min(MAX_UNITS_SHIFT, 62 - g.spanShift(largest));
    }

    /** {@code [start, end)}, page aligned, inside the space, not empty. */
    long[] range() {
        int lvl = rnd.nextInt(g.levels());
        long span = g.span(lvl);
        long page = g.pageSize();
        long spot = spots[rnd.nextInt(spots.length)] & -span;
        long s = spot + (rnd.nextInt(3) - 1) * span + (rnd.nextInt(3) == 0 ? pages(page) : 0);
        if (!g.contains(s)) s = spot;
        long len = (rnd.nextInt(3) + (rnd.nextBoolean() ? 1 : 0)) * span
                + (rnd.nextInt(3) == 0 ? pages(page) : 0);
        if (len == 0) len = pages(page);
        long room = g.vaEnd() - s;                                  // unsigned
        if (Long.compareUnsigned(len, room) > 0) len = room;
        if (Long.compareUnsigned(len, maxLength) > 0) len = maxLength;
        return new long[] {s, s + len};
    }

    /**
     * A range that cuts into the unit {@code [unitStart, unitStart + unitBytes)}: it starts at
     * the unit's start or inside it, on a boundary of a random level smaller than the unit, and
     * runs one to three such steps (sometimes a few pages more): mostly part of the unit.
     */
    long[] inside(long unitStart, long unitBytes) {
        long page = g.pageSize();
        int below = 0;                                  // levels whose entries are smaller
        while (below < g.levels() && g.span(below) < unitBytes) below++;
        long step = below == 0 ? page : g.span(rnd.nextInt(below));
        long s = unitStart;
        if (rnd.nextInt(4) > 0) s += (rnd.nextLong(unitBytes / page) * page) & -step;
        long len = step * rnd.nextInt(1, 4) + (rnd.nextInt(3) == 0 ? pages(page) : 0);
        long room = g.vaEnd() - s;                                  // unsigned
        if (Long.compareUnsigned(len, room) > 0) len = room;
        if (Long.compareUnsigned(len, maxLength) > 0) len = maxLength;
        return new long[] {s, s + len};
    }

    /** An address inside the space, near a spot. */
    long va() {
        return range()[0] + rnd.nextLong(g.pageSize());
    }

    private long pages(long page) {
        return page * rnd.nextInt(1, 40);
    }

    /** A pfn with the address's own alignment (or, unless largest, off by one), or -1. */
    long pfnFor(long s, long pages, boolean largest) {
        EntryFormat f = g.format();
        long max = f.maxPfn();
        long pfn = (s >>> g.pageShift()) & (Long.highestOneBit(max) - 1);
        if (!largest && rnd.nextBoolean()) pfn += 1;
        if (pages - 1 > max) return -1;
        if (pfn > max - (pages - 1)) pfn = 0;
        return pfn;
    }

    static Geometry geometry(SplittableRandom rnd) {
        if (rnd.nextInt(3) == 0) {
            List<Geometry> c = Geometries.catalog();
            return c.get(rnd.nextInt(c.size()));
        }
        while (true) {
            Geometry g = Geometries.random(rnd);
            if (splitBits(g) <= MAX_SPLIT_BITS) return g;
        }
    }

    /** Index bits of the tables one split may build, at worst, in this geometry. */
    static int splitBits(Geometry g) {
        int worst = 0;
        for (int lvl = 1; lvl <= g.rootLevel(); lvl++) {
            if (!g.leafAllowed(lvl)) continue;
            int bits = 0;
            for (int l = lvl - 1; l >= g.leafLevelAtOrBelow(lvl - 1); l--) bits += g.bits(l);
            worst = Math.max(worst, bits);
        }
        return worst;
    }
}

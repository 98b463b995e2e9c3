package org.ptarena.equivalence;

import java.util.List;
import java.util.SplittableRandom;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;

/**
 * Which layout a generated sequence runs on: a catalog layout or a random one in the generic
 * format (1–6 levels, 1–13 index bits a level, random leaf and contiguous patterns, at most 63
 * virtual-address bits, sometimes exactly 63 so that ranges end at {@code 2^63}). Random layouts
 * are named by {@link Geometries#genericName}, so a written trace replays them.
 */
public final class Layouts {
    /**
     * The most entries one split may create. A leaf above levels that may not hold leaves splits
     * into tables all the way down (ARCHITECTURE "Partial coverage"); with 13-bit levels that is
     * tens of millions of entries, which would make a single statement cost seconds.
     */
    static final long MAX_SPLIT_ENTRIES = 1L << 15;

    private Layouts() { }

    /** A catalog layout two times in three, a random one otherwise. */
    public static Geometry pick(SplittableRandom rnd) {
        List<Geometry> catalog = Geometries.catalog();
        if (rnd.nextInt(3) > 0) return catalog.get(rnd.nextInt(catalog.size()));
        return random(rnd);
    }

    /** A random generic layout whose every split stays within {@link #MAX_SPLIT_ENTRIES}. */
    public static Geometry random(SplittableRandom rnd) {
        while (true) {
            Geometry g = candidate(rnd);
            if (affordable(g)) return g;
        }
    }

    private static Geometry candidate(SplittableRandom rnd) {
        int[] pageShifts = {12, 12, 12, 14, 16};
        int pageShift = pageShifts[rnd.nextInt(pageShifts.length)];
        int levels = 1 + rnd.nextInt(6);
        boolean fill63 = rnd.nextInt(5) == 0;
        int[] bits = new int[levels];
        boolean[] leaf = new boolean[levels];
        int[] contig = new int[levels];
        int va = pageShift;
        for (int i = 0; i < levels; i++) {
            int room = 63 - va - (levels - 1 - i);             // leave one bit for each level left
            int max = Math.max(1, Math.min(13, room));
            bits[i] = 1 + rnd.nextInt(max);
            if (fill63 && i == levels - 1) bits[i] = Math.max(1, Math.min(13, 63 - va));
            va += bits[i];
            boolean last = i == levels - 1;
            leaf[i] = last || rnd.nextInt(3) > 0;
            contig[i] = 1;
            if (leaf[i] && bits[i] > 1 && rnd.nextInt(3) == 0) {
                contig[i] = 1 << (1 + rnd.nextInt(Math.min(bits[i], 5)));
            }
        }
        if (fill63 && va < 63) {
            // the last level could not take all the bits: give the rest to the root
            int extra = 63 - va;
            bits[0] = Math.min(13, bits[0] + extra);
        }
        return Geometries.parseGeneric(Geometries.genericName(pageShift, bits, leaf, contig));
    }

    /** Whether no split of a leaf of this layout creates more than {@link #MAX_SPLIT_ENTRIES}. */
    static boolean affordable(Geometry g) {
        for (int level = 1; level <= g.rootLevel(); level++) {
            if (!g.leafAllowed(level)) continue;
            long created = 0;
            long tables = 1;
            for (int below = level - 1; below >= 0; below--) {
                created += tables * g.entries(below);
                if (g.leafAllowed(below)) break;
                tables *= g.entries(below);
            }
            if (created > MAX_SPLIT_ENTRIES) return false;
        }
        return true;
    }
}

package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

/**
 * The generator's own bookkeeping of one address space — never the oracle. It steers the
 * generator toward ranges that hit mapped units, and it decides which statements are certainly
 * refused (and so are written under {@code fail}) and which are certainly accepted (written
 * plain), because a trace may hold no statement whose refusal is a matter of chance.
 *
 * <p>It keeps three things: extents <em>known</em> to be mapped (with the pfn at their start,
 * prot and policy); ranges that <em>may</em> be mapped, after a statement that an injected
 * allocation failure may or may not have cut short; and the <em>footprint</em>, every range that
 * may have allocated a table since the space was new or dropped (a copy is refused by a table
 * lying wholly inside its destination range). Addresses are inclusive last bytes, so an extent
 * ending at {@code 2^63} needs no unsigned arithmetic.
 */
final class Model {

    /** A mapped extent {@code [first, last]}: {@code pfn} backs {@code first}. */
    record Extent(long first, long last, long pfn, int prot, MapPolicy policy) {
        long end() { return last + 1; }
    }

    private final int pageShift;
    private final TreeMap<Long, Extent> known = new TreeMap<>();
    private final List<long[]> maybe = new ArrayList<>();
    private final List<long[]> footprint = new ArrayList<>();

    Model(int pageShift) {
        this.pageShift = pageShift;
    }

    boolean isEmpty() { return known.isEmpty(); }

    /** No table below the root can exist: new, or dropped since. */
    boolean pristine() { return footprint.isEmpty() && maybe.isEmpty(); }

    List<Extent> extents() { return new ArrayList<>(known.values()); }

    /** Whether a byte of {@code [first, last]} is known to be mapped. */
    boolean overlapsKnown(long first, long last) {
        Map.Entry<Long, Extent> below = known.floorEntry(last);
        return below != null && below.getValue().last() >= first;
    }

    /** Whether a byte of {@code [first, last]} may be mapped without the model knowing. */
    boolean overlapsMaybe(long first, long last) {
        return meets(maybe, first, last);
    }

    /** Whether a table may exist whose span meets {@code [first, last]}. */
    boolean overlapsFootprint(long first, long last) {
        return meets(footprint, first, last) || meets(maybe, first, last);
    }

    private static boolean meets(List<long[]> ranges, long first, long last) {
        for (long[] r : ranges) if (r[0] <= last && r[1] >= first) return true;
        return false;
    }

    /** The lowest known-mapped address in {@code [first, last]}, or -1. */
    long firstMapped(long first, long last) {
        Map.Entry<Long, Extent> below = known.floorEntry(first);
        if (below != null && below.getValue().last() >= first) return first;
        Map.Entry<Long, Extent> above = known.ceilingEntry(first);
        return above != null && above.getKey() <= last ? above.getKey() : -1;
    }

    /** A map that certainly happened. */
    void map(long first, long last, long pfn, int prot, MapPolicy policy) {
        known.put(first, new Extent(first, last, pfn, prot, policy));
        footprint.add(new long[] {first, last});
    }

    /** A map that an injected failure may have undone (its tables stay either way). */
    void mapMaybe(long first, long last) {
        maybe.add(new long[] {first, last});
        footprint.add(new long[] {first, last});
    }

    /** An unmap that certainly ran to its end: nothing is left in the range. */
    void unmap(long first, long last) {
        for (Extent x : cut(first, last)) known.remove(x.first());
        List<long[]> kept = new ArrayList<>();
        for (long[] r : maybe) {
            if (r[1] < first || r[0] > last) {
                kept.add(r);
                continue;
            }
            if (r[0] < first) kept.add(new long[] {r[0], first - 1});
            if (r[1] > last) kept.add(new long[] {last + 1, r[1]});
        }
        maybe.clear();
        maybe.addAll(kept);
    }

    /** An unmap that an injected failure may have stopped part-way: the range may be mapped. */
    void unmapMaybe(long first, long last) {
        for (Extent x : cut(first, last)) {
            known.remove(x.first());
            maybe.add(new long[] {x.first(), x.last()});
        }
    }

    /** Gives {@code [first, last]} a new prot. */
    void protect(long first, long last, int prot) {
        for (Extent x : cut(first, last)) {
            known.put(x.first(), new Extent(x.first(), x.last(), x.pfn(), prot, x.policy()));
        }
    }

    /** Removes w from {@code [first, last]} (a cow copy's source and destination). */
    void wrprotect(long first, long last) {
        for (Extent x : cut(first, last)) {
            known.put(x.first(), new Extent(x.first(), x.last(), x.pfn(), x.prot() & ~Prot.W,
                    x.policy()));
        }
    }

    /**
     * Copies what {@code src} holds in {@code [first, last]} into this space; with
     * {@code surely} false (an injected failure may have undone it) the copies are only maybe.
     */
    void copyFrom(Model src, long first, long last, boolean surely) {
        footprint.add(new long[] {first, last});
        for (Extent x : src.known.values()) {
            if (x.last() < first || x.first() > last) continue;
            long a = Math.max(first, x.first());
            long b = Math.min(last, x.last());
            if (surely) {
                known.put(a, new Extent(a, b, x.pfn() + pages(x.first(), a), x.prot(), x.policy()));
            } else {
                maybe.add(new long[] {a, b});
            }
        }
        for (long[] r : src.maybe) {
            if (r[1] < first || r[0] > last) continue;
            maybe.add(new long[] {Math.max(first, r[0]), Math.min(last, r[1])});
        }
    }

    /**
     * A move ({@code mremap}) of {@code [first, last]} to {@code dst}: what was there is now
     * there; with {@code surely} false (an injected failure may have stopped it part-way) both
     * ranges may hold any of it.
     */
    void move(long first, long last, long dst, boolean surely) {
        long delta = dst - first;
        footprint.add(new long[] {dst, dst + (last - first)});
        List<Extent> moved = cut(first, last);
        List<long[]> maybeMoved = new ArrayList<>();
        for (long[] r : maybe) {
            if (r[1] < first || r[0] > last) continue;
            long a = Math.max(first, r[0]) + delta;
            maybeMoved.add(new long[] {a, Math.min(last, r[1]) + delta});
        }
        maybe.addAll(maybeMoved);
        for (Extent x : moved) {
            if (surely) {
                known.remove(x.first());
                long a = x.first() + delta;
                known.put(a, new Extent(a, x.last() + delta, x.pfn(), x.prot(), x.policy()));
            } else {
                known.remove(x.first());
                maybe.add(new long[] {x.first(), x.last()});
                maybe.add(new long[] {x.first() + delta, x.last() + delta});
            }
        }
        if (surely) unmapMaybeRanges(first, last);
    }

    /** Forgets the maybe-ranges inside {@code [first, last]} (a move emptied it for sure). */
    private void unmapMaybeRanges(long first, long last) {
        List<long[]> kept = new ArrayList<>();
        for (long[] r : maybe) {
            if (r[1] < first || r[0] > last) {
                kept.add(r);
                continue;
            }
            if (r[0] < first) kept.add(new long[] {r[0], first - 1});
            if (r[1] > last) kept.add(new long[] {last + 1, r[1]});
        }
        maybe.clear();
        maybe.addAll(kept);
    }

    /** {@code drop}: nothing mapped, no table but the root. */
    void clear() {
        known.clear();
        maybe.clear();
        footprint.clear();
    }

    /** Splits extents at {@code first} and {@code last + 1}; returns those now inside. */
    private List<Extent> cut(long first, long last) {
        split(first);
        if (last != Long.MAX_VALUE) split(last + 1);
        return new ArrayList<>(known.subMap(first, true, last, true).values());
    }

    private void split(long at) {
        Map.Entry<Long, Extent> e = known.lowerEntry(at);
        if (e == null || e.getValue().last() < at) return;
        Extent x = e.getValue();
        known.put(x.first(), new Extent(x.first(), at - 1, x.pfn(), x.prot(), x.policy()));
        known.put(at, new Extent(at, x.last(), x.pfn() + pages(x.first(), at), x.prot(),
                x.policy()));
    }

    /** Base pages between two addresses. */
    private long pages(long from, long to) {
        return (to - from) >>> pageShift;
    }
}

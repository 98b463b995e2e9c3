package org.ptarena.core.oracle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ptarena.core.Geometry;

/**
 * An address space of the oracle: a sorted map of units keyed by their start, and per level the set
 * of non-root tables that exist, each keyed by the start of the span it covers (a table of level
 * {@code l} covers the span of one level-{@code l+1} entry). The root always exists and is in no
 * set. RSS is the sum of the units' pages; tables and bytes are counted from the sets. Created by
 * {@link Oracle#newMm}; changed only by {@link Oracle}'s operations.
 */
public final class OracleMm {
    private final Geometry geometry;
    private final TreeMap<Long, Unit> units = new TreeMap<>();
    private final List<TreeSet<Long>> tables = new ArrayList<>();
    private long rss;

    OracleMm(Geometry geometry) {
        this.geometry = geometry;
        for (int level = 0; level < geometry.rootLevel(); level++) tables.add(new TreeSet<>());
    }

    public Geometry geometry() {
        return geometry;
    }

    /** Resident base pages: the pages of every unit. */
    public long rss() {
        return rss;
    }

    /** Tables of {@code level}; the root counts as the one table of the root level. */
    public long tables(int level) {
        return level == geometry.rootLevel() ? 1 : tables.get(level).size();
    }

    /** Bytes of all tables, root included. */
    public long tableBytes() {
        long bytes = geometry.tableBytes(geometry.rootLevel());
        for (int level = 0; level < geometry.rootLevel(); level++) {
            bytes += tables.get(level).size() * geometry.tableBytes(level);
        }
        return bytes;
    }

    /** Every unit, in address order (a read-only view). */
    public Collection<Unit> units() {
        return Collections.unmodifiableCollection(units.values());
    }

    /**
     * The starts of the spans covered by the non-root tables of {@code level}, ascending
     * (read-only).
     */
    public NavigableSet<Long> tableStarts(int level) {
        return Collections.unmodifiableNavigableSet(tables.get(level));
    }

    /** Whether a table of {@code level} covering the span that starts at {@code start} exists. */
    public boolean hasTable(int level, long start) {
        return level == geometry.rootLevel() ? start == 0 : tables.get(level).contains(start);
    }

    /** The unit holding {@code va}, or null. */
    public Unit unitAt(long va) {
        Map.Entry<Long, Unit> e = units.floorEntry(va);
        if (e == null) return null;
        Unit u = e.getValue();
        return Long.compareUnsigned(va - u.start(), u.size(geometry.pageShift())) < 0 ? u : null;
    }

    /** The lowest unit that meets {@code [from, end)} ({@code end} unsigned), or null. */
    Unit firstUnitMeeting(long from, long end) {
        Unit u = unitAt(from);
        if (u != null) return u;
        Map.Entry<Long, Unit> next = units.higherEntry(from);
        return next != null && Long.compareUnsigned(next.getKey(), end) < 0
                ? next.getValue()
                : null;
    }

    /** The lowest start above {@code from} of a unit or of a table of any level, or -1 for none. */
    long nextStartAbove(long from) {
        long best = -1;
        Long u = units.higherKey(from);
        if (u != null) best = u;
        for (TreeSet<Long> set : tables) {
            Long t = set.higher(from);
            if (t != null && (best < 0 || t < best)) best = t;
        }
        return best;
    }

    /**
     * Whether the table of {@code level} at {@code start} holds nothing: no unit and no table below
     * it.
     */
    boolean tableEmpty(int level, long start) {
        long end = start + geometry.span(level + 1);
        if (firstUnitMeeting(start, end) != null) return false;
        if (level == 0) return true;
        Long child = tables.get(level - 1).ceiling(start);
        return child == null || Long.compareUnsigned(child, end) >= 0;
    }

    /** The tables of {@code level} whose span meets {@code [start, end)}, ascending (a copy). */
    List<Long> tablesMeeting(int level, long start, long end) {
        List<Long> meeting = new ArrayList<>();
        for (long t : tables.get(level).tailSet(geometry.entryStart(level + 1, start), true)) {
            if (Long.compareUnsigned(t, end) >= 0) break;
            meeting.add(t);
        }
        return meeting;
    }

    /** The units that start in {@code [start, end)} ({@code end} unsigned), ascending (a copy). */
    List<Unit> unitsIn(long start, long end) {
        List<Unit> in = new ArrayList<>();
        for (Unit u : units.tailMap(start, true).values()) {
            if (Long.compareUnsigned(u.start(), end) >= 0) break;
            in.add(u);
        }
        return in;
    }

    void put(Unit u) {
        units.put(u.start(), u);
        rss += u.pages();
    }

    void remove(Unit u) {
        units.remove(u.start());
        rss -= u.pages();
    }

    void addTable(int level, long start) {
        if (!tables.get(level).add(start))
            throw new IllegalStateException(
                    "table L" + level + " 0x" + Long.toHexString(start) + " exists");
    }

    void removeTable(int level, long start) {
        if (!tables.get(level).remove(start))
            throw new IllegalStateException("no table L" + level + " 0x" + Long.toHexString(start));
    }
}

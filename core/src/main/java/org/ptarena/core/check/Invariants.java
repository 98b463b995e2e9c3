package org.ptarena.core.check;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * What must hold of real address spaces after every operation, whatever the design: the arena's
 * audit (no leaked or doubly linked table); every contiguous run aligned, complete, with
 * consecutive pfns and one prot; leaves only at levels the geometry allows; every leaf the format's
 * canonical word for its fields; RSS equal to the pages the leaves hold; the table and byte
 * counters equal to what is reachable; and, after an unmap with {@code freeTables}, no empty
 * non-root table whose span meets the range ({@link #checkFreed}). Problems come back in words,
 * each naming the address space; an empty list means all is well.
 */
public final class Invariants {
    private Invariants() {}

    /** Checks spaces named by their position ({@code #0}, {@code #1}, …). */
    public static List<String> check(Mm... spaces) {
        return check(List.of(spaces));
    }

    /** Checks spaces named by their position ({@code #0}, {@code #1}, …). */
    public static List<String> check(List<Mm> spaces) {
        Map<String, Mm> named = new LinkedHashMap<>();
        for (int i = 0; i < spaces.size(); i++) named.put("#" + i, spaces.get(i));
        return check(named);
    }

    /**
     * Checks every space of {@code spaces} (name → space). The arena audit runs once per arena over
     * the spaces given on it, so give every live space of an arena, or its tables read as leaked.
     */
    public static List<String> check(Map<String, Mm> spaces) {
        List<String> problems = new ArrayList<>();
        Map<Arena, List<Mm>> byArena = new IdentityHashMap<>();
        for (Mm mm : spaces.values())
            byArena.computeIfAbsent(mm.arena(), a -> new ArrayList<>()).add(mm);
        for (Map.Entry<Arena, List<Mm>> e : byArena.entrySet()) {
            for (String p : e.getKey().audit(e.getValue())) problems.add("arena: " + p);
        }
        for (Map.Entry<String, Mm> e : spaces.entrySet())
            new SpaceCheck(e.getKey(), e.getValue(), problems).run();
        return problems;
    }

    /**
     * After {@code unmap(mm, start, end, true, …)}: every non-root table whose span meets {@code
     * [start, end)} must hold something.
     */
    public static List<String> checkFreed(String name, Mm mm, long start, long end) {
        List<String> problems = new ArrayList<>();
        Geometry g = mm.geometry();
        emptyTablesMeeting(name, mm, mm.root(), g.rootLevel(), 0, start, end, problems);
        return problems;
    }

    private static void emptyTablesMeeting(
            String name,
            Mm mm,
            int ptr,
            int level,
            long base,
            long start,
            long end,
            List<String> problems) {
        Geometry g = mm.geometry();
        EntryFormat f = g.format();
        if (level == 0) return;
        for (int i = 0; i < g.entries(level); i++) {
            long e = mm.get(ptr + i);
            long at = base + ((long) i << g.spanShift(level));
            boolean meets =
                    Long.compareUnsigned(at, end) < 0
                            && Long.compareUnsigned(at + g.span(level) - 1, start) >= 0;
            if (!meets || !f.table(level, e)) continue;
            int child = f.tablePtr(level, e);
            if (mm.arena().levelOf(child) != level - 1) continue; // reported by the audit
            boolean empty = true;
            for (int j = 0; j < g.entries(level - 1) && empty; j++) empty = mm.get(child + j) == 0;
            if (empty) {
                problems.add(
                        name
                                + ": empty L"
                                + (level - 1)
                                + " table for 0x"
                                + Long.toHexString(at)
                                + " left after unmap with free of [0x"
                                + Long.toHexString(start)
                                + ", 0x"
                                + Long.toHexString(end)
                                + ")");
            }
            emptyTablesMeeting(name, mm, child, level - 1, at, start, end, problems);
        }
    }

    /** One space's walk: counts what is reachable and checks every leaf and run on the way. */
    private static final class SpaceCheck {
        private final String name;
        private final Mm mm;
        private final Geometry g;
        private final EntryFormat f;
        private final List<String> problems;
        private final long[] tables;
        private long bytes;
        private long pages;

        SpaceCheck(String name, Mm mm, List<String> problems) {
            this.name = name;
            this.mm = mm;
            this.g = mm.geometry();
            this.f = g.format();
            this.problems = problems;
            this.tables = new long[g.levels()];
        }

        void run() {
            table(mm.root(), g.rootLevel(), 0);
            if (mm.rss() != pages)
                problems.add(
                        name + ": RSS " + mm.rss() + " but the leaves hold " + pages + " pages");
            for (int level = 0; level < g.levels(); level++) {
                if (mm.tables(level) != tables[level]) {
                    problems.add(
                            name
                                    + ": "
                                    + mm.tables(level)
                                    + " tables counted at L"
                                    + level
                                    + " but "
                                    + tables[level]
                                    + " reachable");
                }
            }
            if (mm.tableBytes() != bytes) {
                problems.add(
                        name
                                + ": table bytes "
                                + mm.tableBytes()
                                + " counted but "
                                + bytes
                                + " reachable");
            }
        }

        private void table(int ptr, int level, long base) {
            tables[level]++;
            bytes += g.tableBytes(level);
            int n = g.contig(level);
            for (int i = 0; i < g.entries(level); i++) {
                long e = mm.get(ptr + i);
                long start = base + ((long) i << g.spanShift(level));
                if (n > 1 && i % n == 0) run(ptr, level, i, start);
                if (e == 0) continue;
                if (f.table(level, e)) {
                    int child = f.tablePtr(level, e);
                    if (mm.arena().levelOf(child) == level - 1
                            && mm.arena().entriesOf(child) == g.entries(level - 1)) {
                        table(child, level - 1, start);
                    }
                } else if (f.leaf(level, e)) {
                    leaf(level, start, e);
                } else {
                    problems.add(
                            name
                                    + ": entry at L"
                                    + level
                                    + " 0x"
                                    + Long.toHexString(start)
                                    + " is neither none, table nor leaf: 0x"
                                    + Long.toHexString(e));
                }
            }
        }

        private void leaf(int level, long start, long e) {
            pages += 1L << g.order(level);
            if (!g.leafAllowed(level))
                problems.add(name + ": leaf" + at(level, start) + ", a level that may not hold leaves");
            boolean contig = f.contig(level, e);
            if (contig && g.contig(level) == 1)
                problems.add(name + ": contiguous leaf" + at(level, start) + ", a level without runs");
            long canonical =
                    f.makeLeaf(
                            level,
                            f.pfn(level, e),
                            f.prot(level, e),
                            contig && f.hasContig(),
                            f.young(level, e),
                            f.dirty(level, e));
            if (canonical != e) {
                problems.add(
                        name
                                + ": leaf"
                                + at(level, start)
                                + " is not canonical: 0x"
                                + Long.toHexString(e)
                                + ", the format builds 0x"
                                + Long.toHexString(canonical)
                                + " for its fields");
            }
        }

        /** Where a leaf is, in words; built only when there is a problem to report. */
        private static String at(int level, long start) {
            return " at L" + level + " 0x" + Long.toHexString(start);
        }

        /**
         * The run slot {@code first} starts: all or none of its entries contiguous, and then a
         * whole run.
         */
        private void run(int ptr, int level, int first, long start) {
            int n = g.contig(level);
            int members = 0;
            for (int j = 0; j < n; j++) {
                long e = mm.get(ptr + first + j);
                if (f.leaf(level, e) && f.contig(level, e)) members++;
            }
            if (members == 0) return;
            String at = name + ": contiguous run at L" + level + " 0x" + Long.toHexString(start);
            if (members != n) {
                problems.add(at + " has " + members + " of " + n + " entries contiguous");
                return;
            }
            long e0 = mm.get(ptr + first);
            long pfn0 = f.pfn(level, e0);
            int prot0 = f.prot(level, e0);
            long step = 1L << g.order(level);
            if ((pfn0 & (step * n - 1)) != 0)
                problems.add(
                        at
                                + ": first pfn 0x"
                                + Long.toHexString(pfn0)
                                + " is not aligned to the run");
            for (int j = 1; j < n; j++) {
                long e = mm.get(ptr + first + j);
                if (f.pfn(level, e) != pfn0 + j * step) {
                    problems.add(
                            at
                                    + ": entry "
                                    + j
                                    + " has pfn 0x"
                                    + Long.toHexString(f.pfn(level, e))
                                    + ", expected 0x"
                                    + Long.toHexString(pfn0 + j * step));
                    return;
                }
                if (f.prot(level, e) != prot0) {
                    problems.add(
                            at
                                    + ": entry "
                                    + j
                                    + " has prot "
                                    + Prot.toString(f.prot(level, e))
                                    + ", the run "
                                    + Prot.toString(prot0));
                    return;
                }
            }
        }
    }
}

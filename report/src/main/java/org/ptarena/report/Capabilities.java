package org.ptarena.report;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The capability matrix, probed by running each implementation rather than typed in: which
 * layouts it supports (the catalog and seeded random layouts, through {@code supports}), whether
 * it works on six levels and on folded ones, which huge leaves and contiguous runs a
 * {@code largest} map actually produces on every catalog layout (seen through {@code walk}),
 * whether the two-tree copy and {@code move} work, its deepest recursion (when it exposes
 * {@code maxDepth()}), and what a steady-state operation allocates. A probe that throws is
 * reported as failing with its exception, never hidden.
 */
public final class Capabilities {
    /** Random layouts probed with {@code supports}. */
    static final int RANDOM_LAYOUTS = 100;
    /** Seed of the random layouts. */
    static final long SEED = 0x5eed_2018L;
    /** Rounds of each operation in the allocation probe (after as many to warm up). */
    static final int ALLOC_ROUNDS = 400;
    /**
     * Tables one probe may allocate before the arena fails the allocation: a correct
     * implementation needs a handful, one that maps a 256T leaf as base pages would need
     * millions, and is stopped and reported instead of running for hours.
     */
    static final long TABLE_BUDGET = 10_000;
    private static final int RW = Prot.R | Prot.W | Prot.U;

    /** One cell: short text, and whether it is a yes. */
    public record Cell(String text, boolean ok) { }

    /** One capability: its name, how it was probed, and a cell per implementation. */
    public record Feature(String name, String probe, List<Cell> cells) { }

    private final List<String> apis;
    private final List<Feature> features;
    private final List<String> details;
    private final Map<String, Map<String, String>> unsupported;
    private final String absent;

    private Capabilities(List<String> apis, List<Feature> features, List<String> details,
            Map<String, Map<String, String>> unsupported, String absent) {
        this.apis = apis;
        this.features = features;
        this.details = details;
        this.unsupported = unsupported;
        this.absent = absent;
    }

    /** No matrix; {@code why} says why. */
    public static Capabilities none(String why) {
        return new Capabilities(List.of(), List.of(), List.of(), Map.of(), why);
    }

    /** A matrix given cell by cell (for tests and for results probed elsewhere). */
    public static Capabilities of(List<String> apis, List<Feature> features, List<String> details) {
        return new Capabilities(List.copyOf(apis), List.copyOf(features), List.copyOf(details),
                Map.of(), null);
    }

    /** Why there is no matrix, or null. */
    public String absent() { return absent; }
    public List<String> apis() { return apis; }
    public List<Feature> features() { return features; }

    /** What a cell cannot say: each unsupported layout with its reason, each failing probe. */
    public List<String> details() { return details; }

    /** Why {@code api} does not support the catalog layout {@code geometry}, or null. */
    public String unsupportedReason(String api, String geometry) {
        Map<String, String> m = unsupported.get(api);
        return m == null ? null : m.get(geometry);
    }

    /** Probes every implementation (each a fresh instance, as {@code Apis.all()} gives). */
    public static Capabilities probe(List<PageTableOps> impls) {
        if (impls.isEmpty()) return none("no implementation on the class path (run ptarena.jar)");
        List<String> apis = new ArrayList<>();
        for (PageTableOps ops : impls) apis.add(ops.name());
        List<String> details = new ArrayList<>();
        Map<String, Map<String, String>> unsupported = new LinkedHashMap<>();
        String[] names = {"layouts supported", "six levels", "folded levels",
            "huge leaves per level", "contiguous runs", "two-tree copy", "move",
            "max recursion depth", "steady-state allocation"};
        String[] how = {
            "supports() on the " + Geometries.catalog().size() + " catalog layouts and "
                    + RANDOM_LAYOUTS + " seeded random ones (1-6 levels)",
            "map, walk, lookup, unmap on future/6level",
            "map, walk, lookup, unmap on every supported catalog layout of 2-4 levels",
            "a largest-policy map of one leaf at each leaf level of each supported catalog layout, "
                    + "seen by walk",
            "a largest-policy map of one whole run at each run level of each supported catalog "
                    + "layout, seen by walk",
            "copy of a 2M leaf and 16 base pages with cow, then both trees walked",
            "move of 16 mapped pages",
            "maxDepth() after every probe, when the implementation has one",
            "bytes allocated per walk, lookup, touch and protect after warm-up (interpreted or C1 "
                    + "code; the B/op of the benchmarks is JMH's, after C2)"};
        List<List<Cell>> cells = new ArrayList<>();
        for (int f = 0; f < names.length; f++) cells.add(new ArrayList<>());
        for (PageTableOps ops : impls) {
            resetDepth(ops);
            Map<String, String> reasons = new LinkedHashMap<>();
            unsupported.put(ops.name(), reasons);
            cells.get(0).add(guard(ops, details, "layouts", () -> layouts(ops, reasons, details)));
            cells.get(1).add(guard(ops, details, "six levels", () -> sixLevels(ops)));
            cells.get(2).add(guard(ops, details, "folded levels", () -> folded(ops, details)));
            cells.get(3).add(guard(ops, details, "huge leaves", () -> hugeLeaves(ops, details)));
            cells.get(4).add(guard(ops, details, "contiguous runs", () -> runs(ops, details)));
            cells.get(5).add(guard(ops, details, "two-tree copy", () -> copy(ops, details)));
            cells.get(6).add(guard(ops, details, "move", () -> move(ops, details)));
            cells.get(7).add(guard(ops, details, "max recursion depth", () -> depth(ops)));
            cells.get(8).add(guard(ops, details, "allocation", () -> allocation(ops)));
        }
        List<Feature> features = new ArrayList<>();
        for (int f = 0; f < names.length; f++) {
            features.add(new Feature(names[f], how[f], List.copyOf(cells.get(f))));
        }
        return new Capabilities(List.copyOf(apis), List.copyOf(features), List.copyOf(details),
                java.util.Collections.unmodifiableMap(unsupported), null);
    }

    private interface Probe {
        Cell run() throws Exception;
    }

    /** Runs a probe; whatever it throws (stack overflow too) is a failing cell and a detail. */
    private static Cell guard(PageTableOps ops, List<String> details, String what, Probe p) {
        try {
            return p.run();
        } catch (Exception | StackOverflowError | AssertionError e) {
            details.add(ops.name() + ": " + what + " probe failed: " + describe(e));
            return new Cell("fails", false);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Cell layouts(PageTableOps ops, Map<String, String> reasons,
            List<String> details) {
        List<Geometry> catalog = Geometries.catalog();
        int yes = 0;
        for (Geometry g : catalog) {
            Support s = ops.supports(g);
            if (s.supported()) {
                yes++;
            } else {
                reasons.put(g.name(), s.reason());
                details.add(ops.name() + ": does not support " + g.name() + ": " + s.reason());
            }
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        int random = 0;
        Map<Integer, Integer> noByLevels = new java.util.TreeMap<>();
        String example = null;
        for (int i = 0; i < RANDOM_LAYOUTS; i++) {
            Geometry g = Geometries.random(rnd);
            Support s = ops.supports(g);
            if (s.supported()) {
                random++;
            } else {
                noByLevels.merge(g.levels(), 1, Integer::sum);
                if (example == null) example = g.name() + ": " + s.reason();
            }
        }
        if (example != null) {
            StringBuilder sb = new StringBuilder();
            noByLevels.forEach((lv, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                    .append(n).append(" of ").append(lv).append(lv == 1 ? " level" : " levels"));
            details.add(ops.name() + ": does not support " + (RANDOM_LAYOUTS - random) + " of "
                    + RANDOM_LAYOUTS + " random layouts (" + sb + "), e.g. " + example);
        }
        boolean all = yes == catalog.size() && random == RANDOM_LAYOUTS;
        return new Cell(yes + "/" + catalog.size() + " catalog, " + random + "/" + RANDOM_LAYOUTS
                + " random", all);
    }

    private static Cell sixLevels(PageTableOps ops) {
        Geometry g = Geometries.FUTURE_6LEVEL;
        Support s = ops.supports(g);
        if (!s.supported()) return new Cell("no: unsupported", false);
        String problem = roundTrip(ops, g);
        return problem == null ? new Cell("yes", true) : new Cell("fails: " + problem, false);
    }

    private static Cell folded(PageTableOps ops, List<String> details) {
        int tried = 0;
        int ok = 0;
        for (Geometry g : Geometries.catalog()) {
            if (g.levels() >= 5 || !ops.supports(g).supported()) continue;
            tried++;
            String problem = roundTrip(ops, g);
            if (problem == null) ok++;
            else details.add(ops.name() + ": folded levels: " + g.name() + ": " + problem);
        }
        if (tried == 0) return new Cell("no layout of 2-4 levels supported", false);
        return new Cell(ok + "/" + tried + " layouts", ok == tried);
    }

    /**
     * Maps 16 base pages and a largest-policy range, then checks walk, lookup and unmap; returns
     * what went wrong, or null.
     */
    static String roundTrip(PageTableOps ops, Geometry g) {
        Mm mm = space(g);
        long page = g.pageSize();
        long start = 16 * page;
        long pages = ops.map(mm, start, start + 16 * page, 0x100, RW, MapPolicy.BASE);
        if (pages != 16) return "map returned " + pages + " pages, expected 16";
        long[] visits = {0, 0};
        ops.walk(mm, 0, g.vaEnd(), (addr, order, level, entry) -> {
            visits[0]++;
            visits[1] += 1L << order;
        });
        if (visits[1] != 16) {
            return "walk saw " + visits[1] + " pages in " + visits[0] + " units, expected 16";
        }
        Translation t = new Translation();
        if (!ops.lookup(mm, start + 3 * page + 5, t) || t.pfn != 0x103) {
            return "lookup of the 4th page did not find pfn 0x103";
        }
        long gone = ops.unmap(mm, start, start + 16 * page, true, new TlbGather());
        if (gone != 16 || mm.rss() != 0) return "unmap returned " + gone + ", rss " + mm.rss();
        return null;
    }

    private static Cell hugeLeaves(PageTableOps ops, List<String> details) {
        int tried = 0;
        int ok = 0;
        for (Geometry g : Geometries.catalog()) {
            if (!ops.supports(g).supported()) continue;
            for (int lvl = 1; lvl <= g.rootLevel(); lvl++) {
                if (!g.leafAllowed(lvl)) continue;
                tried++;
                String problem = oneUnit(ops, g, g.span(lvl), lvl, g.order(lvl));
                if (problem == null) {
                    ok++;
                } else {
                    details.add(ops.name() + ": huge leaf at level " + lvl + " of " + g + ": "
                            + problem);
                }
            }
        }
        return count(ok, tried);
    }

    private static Cell runs(PageTableOps ops, List<String> details) {
        int tried = 0;
        int ok = 0;
        for (Geometry g : Geometries.catalog()) {
            if (!ops.supports(g).supported()) continue;
            for (int lvl = 0; lvl <= g.rootLevel(); lvl++) {
                if (g.contig(lvl) <= 1) continue;
                tried++;
                String problem = oneUnit(ops, g, g.span(lvl) * g.contig(lvl), lvl, g.runOrder(lvl));
                if (problem == null) {
                    ok++;
                } else {
                    details.add(ops.name() + ": contiguous run at level " + lvl + " of " + g + ": "
                            + problem);
                }
            }
        }
        return count(ok, tried);
    }

    private static Cell count(int ok, int tried) {
        if (tried == 0) return new Cell("none tried", false);
        return new Cell(ok + "/" + tried + " levels", ok == tried);
    }

    /**
     * Maps {@code [0, bytes)} with the largest policy and expects walk to see one unit of that
     * level and order.
     */
    private static String oneUnit(PageTableOps ops, Geometry g, long bytes, int level, int order) {
        try {
            return oneUnitOrThrow(ops, g, bytes, level, order);
        } catch (RuntimeException | StackOverflowError e) {
            return describe(e);
        }
    }

    private static String oneUnitOrThrow(PageTableOps ops, Geometry g, long bytes, int level,
            int order) {
        Mm mm = space(g);
        ops.map(mm, 0, bytes, 0, RW, MapPolicy.LARGEST);
        List<String> seen = new ArrayList<>();
        ops.walk(mm, 0, bytes, (addr, o, l, e) -> {
            if (seen.size() < 3) seen.add("level " + l + " order " + o);
            else if (seen.size() == 3) seen.add("…");
        });
        String want = "level " + level + " order " + order;
        if (seen.size() == 1 && seen.get(0).equals(want)) return null;
        return "walk saw " + (seen.isEmpty() ? "nothing" : String.join(", ", seen))
                + ", expected one unit of " + want;
    }

    private static Cell copy(PageTableOps ops, List<String> details) {
        Geometry g = firstSupported(ops);
        if (g == null) return new Cell("no layout", false);
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        arena.failAfter(TABLE_BUDGET);
        long leaf = g.span(g.leafLevelAtOrBelow(1));
        long base = 4 * leaf;
        ops.map(src, base, base + leaf, 0, RW, MapPolicy.LARGEST);
        ops.map(src, base + leaf, base + leaf + 16 * g.pageSize(), leaf / g.pageSize(), RW,
                MapPolicy.BASE);
        long want = leaf / g.pageSize() + 16;
        long copied = ops.copy(dst, src, base, base + 2 * leaf, true, new TlbGather());
        String a = units(ops, src, g);
        String b = units(ops, dst, g);
        if (copied != want || !a.equals(b)) {
            details.add(ops.name() + ": two-tree copy on " + g + " copied " + copied
                    + " pages (expected " + want + "); source units " + a + ", destination " + b);
            return new Cell("wrong result", false);
        }
        return new Cell("yes", true);
    }

    private static String units(PageTableOps ops, Mm mm, Geometry g) {
        StringBuilder sb = new StringBuilder();
        ops.walk(mm, 0, g.vaEnd(), (addr, order, level, e) ->
                sb.append(Long.toHexString(addr)).append('/').append(order).append(' '));
        return sb.toString().strip();
    }

    private static Cell move(PageTableOps ops, List<String> details) {
        Geometry g = firstSupported(ops);
        if (g == null) return new Cell("no layout", false);
        Mm mm = space(g);
        long page = g.pageSize();
        ops.map(mm, 16 * page, 32 * page, 0x100, RW, MapPolicy.BASE);
        try {
            ops.move(mm, 16 * page, 32 * page, 1024 * page, new TlbGather());
        } catch (UnsupportedOperationException e) {
            return new Cell("not yet", false);
        }
        Translation t = new Translation();
        boolean moved = ops.lookup(mm, 1024 * page, t) && t.pfn == 0x100;
        if (moved && !ops.lookup(mm, 16 * page, new Translation())) {
            return new Cell("yes", true);
        }
        details.add(ops.name() + ": move of 16 pages did not leave pfn 0x100 at the new address");
        return new Cell("wrong result", false);
    }

    private static void resetDepth(PageTableOps ops) {
        try {
            Method m = ops.getClass().getMethod("resetMaxDepth");
            m.invoke(ops);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no such method: nothing to reset
        }
    }

    private static Cell depth(PageTableOps ops) throws ReflectiveOperationException {
        Method m;
        try {
            m = ops.getClass().getMethod("maxDepth");
        } catch (NoSuchMethodException e) {
            return new Cell("n/a (no recursion)", true);
        }
        Object v = m.invoke(ops);
        int levels = Geometries.FUTURE_6LEVEL.levels();
        return new Cell(v + " (deepest probe: " + levels + " levels)", true);
    }

    /** Bytes per call of walk, lookup, touch and protect on a populated 2M range, after warm-up. */
    private static Cell allocation(PageTableOps ops) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun)
                || !sun.isThreadAllocatedMemorySupported()) {
            return new Cell("n/a (no allocation counter in this JVM)", true);
        }
        sun.setThreadAllocatedMemoryEnabled(true);
        Geometry g = firstSupported(ops);
        if (g == null) return new Cell("no layout", false);
        Mm mm = space(g);
        long page = g.pageSize();
        long end = 512 * page;
        ops.map(mm, 0, end, 0x1000, RW, MapPolicy.BASE);
        long[] sink = {0};
        WalkVisitor visitor = (addr, order, level, e) -> sink[0] += order;
        Translation t = new Translation();
        TlbGather tlb = new TlbGather();
        Runnable[] probes = {
            () -> ops.walk(mm, 0, end, visitor),
            () -> {
                for (int i = 0; i < 16; i++) if (ops.lookup(mm, i * 31 * page, t)) sink[0] += t.pfn;
            },
            () -> {
                for (int i = 0; i < 16; i++) {
                    if (ops.touch(mm, i * 31 * page, (i & 1) == 0)) sink[0]++;
                }
            },
            () -> {
                tlb.reset();
                sink[0] += ops.protect(mm, 0, end, Prot.R | Prot.U, tlb);
                tlb.reset();
                sink[0] += ops.protect(mm, 0, end, RW, tlb);
            }};
        int[] callsPerRound = {1, 16, 16, 2};
        String[] names = {"walk", "lookup", "touch", "protect"};
        long threadId = Thread.currentThread().getId();
        long calibrate = sun.getThreadAllocatedBytes(threadId);
        long overhead = sun.getThreadAllocatedBytes(threadId) - calibrate;
        StringBuilder sb = new StringBuilder();
        double worst = 0;
        for (int p = 0; p < probes.length; p++) {
            for (int i = 0; i < ALLOC_ROUNDS; i++) probes[p].run();
            long before = sun.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < ALLOC_ROUNDS; i++) probes[p].run();
            long bytes = Math.max(0, sun.getThreadAllocatedBytes(threadId) - before - overhead);
            double perCall = (double) bytes / ((long) ALLOC_ROUNDS * callsPerRound[p]);
            worst = Math.max(worst, perCall);
            if (perCall >= 1) {
                sb.append(sb.length() == 0 ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.0f B/op", names[p], perCall));
            }
        }
        return worst < 1 ? new Cell("0 B/op", true) : new Cell(sb.toString(), false);
    }

    /** A fresh address space on its own arena, with the table budget armed. */
    private static Mm space(Geometry g) {
        Arena arena = new Arena();
        Mm mm = new Mm(g, arena);
        arena.failAfter(TABLE_BUDGET);
        return mm;
    }

    private static Geometry firstSupported(PageTableOps ops) {
        if (ops.supports(Geometries.X86_64_4LEVEL).supported()) return Geometries.X86_64_4LEVEL;
        for (Geometry g : Geometries.catalog()) if (ops.supports(g).supported()) return g;
        return null;
    }
}

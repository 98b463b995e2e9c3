package org.ptarena.bench;

import java.util.Locale;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;

/**
 * The shape of a populated range. Every scenario maps {@code size} bytes starting near the middle
 * of the address space ({@link #region}) with {@code rw-u}, using the implementation under
 * test's own {@code map} (the floor uses any implementation that supports the layout), from pfns
 * that move with the address ({@link Region#pfnAt}), so huge leaves and runs line up.
 *
 * <ul>
 * <li>{@link #DENSE}: base pages only (one {@code map} with policy base).</li>
 * <li>{@link #LARGEST}: one {@code map} with policy largest, starting one smallest unit above an
 *     aligned address, so every unit size the layout has appears: contiguous runs and huge
 *     leaves on arm64, 2M and 1G leaves on x86-64.</li>
 * <li>{@link #SPARSE}: one base page at the start of every base-page table's span: traversal cost
 *     with almost no leaf work.</li>
 * <li>{@link #HUGEMIX}: the range cut in spans of the smallest huge leaf, alternately one huge
 *     leaf and base pages.</li>
 * </ul>
 * Snapshot scenarios ({@code snap:NAME}) arrive with the workloads issue.
 */
public enum Scenario {
    DENSE, LARGEST, SPARSE, HUGEMIX;

    /** The prot every scenario maps with; protect toggles w off and on. */
    public static final int PROT = Prot.R | Prot.W | Prot.U;
    /**
     * Base pages a scenario may map: 128G of 4K pages, 256 MiB of leaf entries, so that a fork's
     * two address spaces and its gather fit the race's 4 GiB heap.
     */
    static final long MAX_PAGES = 1L << 25;
    /** First pfn (at most): 1 TiB into physical memory on 4K pages, aligned to any unit used. */
    static final int PFN_SHIFT = 28;

    /** The scenario's name in the matrix: {@code dense}, {@code largest}, … */
    public String word() { return name().toLowerCase(Locale.ROOT); }

    /** A scenario by its name in the matrix; fails naming the known ones. */
    public static Scenario parse(String word) {
        for (Scenario s : values()) if (s.word().equals(word)) return s;
        if (word.startsWith("snap:")) {
            throw new IllegalArgumentException("scenario '" + word + "': snapshot scenarios are"
                    + " not available yet (they arrive with the workloads issue)");
        }
        throw new IllegalArgumentException("unknown scenario '" + word
                + "' — expected dense, largest, sparse or hugemix");
    }

    /**
     * Where this scenario maps {@code bytes} on {@code g}: {@code [start, start + bytes)} with
     * {@code base = 2^(vaBits-1)}, aligned to every unit below it.
     */
    public Region region(Geometry g, long bytes) {
        long base = 1L << (g.vaBits() - 1);
        long start = base + (this == LARGEST ? smallestUnit(g) : 0);
        long pages = bytes >>> g.pageShift();
        int pfnShift = Math.min(PFN_SHIFT, g.format().pfnBits() - 1);
        return new Region(g, base, start, start + bytes, 1L << pfnShift, pages);
    }

    /**
     * Why this scenario cannot be built with {@code bytes} on {@code g}, or {@code null} when it
     * can: the race lists such a combination as a gap instead of running it.
     */
    public String gap(Geometry g, long bytes) {
        String sz = Geometries.size(bytes);
        if (bytes <= 0 || (bytes & (g.pageSize() - 1)) != 0) {
            return "size " + sz + " is not a whole number of pages of " + g.name();
        }
        long room = (1L << (g.vaBits() - 1)) - (this == LARGEST ? smallestUnit(g) : 0);
        if (bytes > room) {
            return "size " + sz + " does not fit the upper half of the " + g.vaBits()
                    + "-bit address space of " + g.name();
        }
        if ((bytes >>> g.pageShift()) > MAX_PAGES) {
            return "size " + sz + " is more than " + MAX_PAGES
                    + " base pages, too large for the benchmark heap";
        }
        Region r = region(g, bytes);
        if (r.pfnBase() + r.pages() - 1 > g.format().maxPfn()) {
            return "size " + sz + " needs more frames than the " + g.format().pfnBits()
                    + "-bit frame field of " + g.name();
        }
        if (this == HUGEMIX) {
            int lvl = hugeLevel(g);
            if (lvl < 0) return "hugemix: " + g.name() + " has no huge leaves";
            long h = g.span(lvl);
            if (bytes < 2 * h || bytes % h != 0) {
                return "hugemix needs a whole number, at least two, of " + Geometries.size(h)
                        + " leaf spans; size is " + sz;
            }
        }
        return null;
    }

    /**
     * Maps this scenario's leaves into {@code mm} with {@code ops}, as the scenario always does it
     * (the same calls every time, so {@code map} benchmarks can repeat it).
     *
     * @return base pages mapped
     */
    public long populate(PageTableOps ops, Mm mm, Region r) {
        Geometry g = r.geometry();
        switch (this) {
            case DENSE:
                return ops.map(mm, r.start(), r.end(), r.pfnAt(r.start()), PROT, MapPolicy.BASE);
            case LARGEST:
                return ops.map(mm, r.start(), r.end(), r.pfnAt(r.start()), PROT, MapPolicy.LARGEST);
            case SPARSE: {
                long step = 1L << g.tableSpanShift(0);
                long mapped = 0;
                for (long a = r.start(); a < r.end(); a += step) {
                    mapped += ops.map(mm, a, a + g.pageSize(), r.pfnAt(a), PROT, MapPolicy.BASE);
                }
                return mapped;
            }
            case HUGEMIX: {
                long h = g.span(hugeLevel(g));
                long mapped = 0;
                boolean huge = true;
                for (long a = r.start(); a < r.end(); a += h, huge = !huge) {
                    MapPolicy policy = huge ? MapPolicy.LARGEST : MapPolicy.BASE;
                    mapped += ops.map(mm, a, a + h, r.pfnAt(a), PROT, policy);
                }
                return mapped;
            }
            default:
                throw new AssertionError(this);
        }
    }

    /** Base pages {@link #populate} maps in {@code r}. */
    public long pages(Region r) {
        if (this != SPARSE) return r.pages();
        long step = 1L << r.geometry().tableSpanShift(0);
        return (r.end() - r.start() + step - 1) / step;
    }

    /**
     * Builds this scenario on a new address space on {@code arena}, checks that {@code map}
     * mapped what it should, and finds its leaf slices.
     *
     * @throws IllegalStateException when the implementation mapped another number of pages
     */
    public Populated build(PageTableOps ops, Geometry g, long bytes, Arena arena) {
        String why = gap(g, bytes);
        if (why != null) throw new IllegalArgumentException("gap: " + why);
        Region r = region(g, bytes);
        Mm mm = new Mm(g, arena);
        long mapped = populate(ops, mm, r);
        if (mapped != pages(r) || mm.rss() != mapped) {
            throw new IllegalStateException(ops.name() + " mapped " + mapped + " pages (rss "
                    + mm.rss() + ") of " + word() + " " + Geometries.size(bytes) + " on " + g.name()
                    + ", expected " + pages(r));
        }
        Slices slices = Slices.scan(mm, r.start(), r.end());
        if (slices.pages() != mapped) {
            throw new IllegalStateException(ops.name() + " " + word() + " on " + g.name()
                    + ": the tables hold " + slices.pages() + " pages, map said " + mapped);
        }
        return new Populated(this, r, mm, slices);
    }

    /** Arena entries (with slack) for {@code spaces} spaces of {@code bytes} on {@code g}. */
    public static int arenaEntries(Geometry g, long bytes, int spaces) {
        long entries = 0;
        for (int lvl = 0; lvl < g.levels(); lvl++) {
            long tables = (bytes >>> g.tableSpanShift(lvl)) + 2;
            long most = 1L << Math.min(30, g.vaBits() - g.tableSpanShift(lvl));
            entries += Math.min(tables, most) * g.entries(lvl);
        }
        long total = entries * spaces + (entries >>> 3) + 4096;
        return (int) Math.min(total, Integer.MAX_VALUE - 16);
    }

    /** Bytes of the smallest unit above a base page: a level-0 run, or the lowest huge leaf. */
    static long smallestUnit(Geometry g) {
        if (g.contig(0) > 1) return g.span(0) * g.contig(0);
        int lvl = hugeLevel(g);
        return lvl < 0 ? g.pageSize() : g.span(lvl);
    }

    /** The lowest level above 0 that may hold a leaf, or -1. */
    static int hugeLevel(Geometry g) {
        for (int lvl = 1; lvl < g.levels(); lvl++) if (g.leafAllowed(lvl)) return lvl;
        return -1;
    }

    /**
     * The range a scenario maps: {@code [start, end)} above {@code base}, with the pfn of
     * {@code base} being {@code pfnBase}; {@code pages} is the range's length in base pages.
     */
    public record Region(Geometry geometry, long base, long start, long end, long pfnBase,
            long pages) {
        /** The pfn mapped at {@code addr}: aligned with the address to every unit size. */
        public long pfnAt(long addr) {
            return pfnBase + ((addr - base) >>> geometry.pageShift());
        }
    }
}

package org.ptarena.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.SnapshotReplay;
import org.ptarena.core.snap.Workloads;

/**
 * The shape of a populated address space. The four synthetic scenarios map {@code size} bytes
 * starting near the middle of the address space ({@link #region}) with {@code rw-u}, using the
 * implementation under test's own {@code map} (the floor uses any implementation that supports
 * the layout), from pfns that move with the address ({@link Region#pfnAt}), so huge leaves and
 * runs line up.
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
 * <li>{@code snap:NAME}: a real process's address space, the committed snapshot {@code
 *     workloads/snapshots/NAME.snap} ({@link Workloads}) built as {@link SnapshotReplay} builds
 *     it: every VMA with its own prot, every run of present pages with its real pfns, THPs as huge
 *     leaves. Its size is the snapshot's own ({@link Sizes#REAL}); the ops act on the whole
 *     address space, VMA by VMA where the kernel does (fork copies each VMA, cow for the private
 *     writable ones; protect makes each writable VMA read-only and back).</li>
 * </ul>
 *
 * <p>Every built scenario is a list of {@link Populated.Part parts}: one for a synthetic
 * scenario, one per VMA for a snapshot, so that each benchmark treats both alike.
 */
public final class Scenario {
    /** What a scenario is made of. */
    public enum Kind { DENSE, LARGEST, SPARSE, HUGEMIX, SNAPSHOT }

    public static final Scenario DENSE = new Scenario(Kind.DENSE, "dense");
    public static final Scenario LARGEST = new Scenario(Kind.LARGEST, "largest");
    public static final Scenario SPARSE = new Scenario(Kind.SPARSE, "sparse");
    public static final Scenario HUGEMIX = new Scenario(Kind.HUGEMIX, "hugemix");
    /** The prefix of a snapshot scenario's name. */
    public static final String SNAP_PREFIX = "snap:";

    /** The prot every synthetic scenario maps with; protect toggles w off and on. */
    public static final int PROT = Prot.R | Prot.W | Prot.U;
    /**
     * Base pages a scenario may map: 128G of 4K pages, 256 MiB of leaf entries, so that a fork's
     * two address spaces and its gather fit the race's 4 GiB heap.
     */
    static final long MAX_PAGES = 1L << 25;
    /** First pfn (at most): 1 TiB into physical memory on 4K pages, aligned to any unit used. */
    static final int PFN_SHIFT = 28;

    private final Kind kind;
    private final String word;
    private Snapshot snapshot;          // read on first use, snapshot scenarios only

    private Scenario(Kind kind, String word) {
        this.kind = kind;
        this.word = word;
    }

    /** The four synthetic scenarios, in matrix order. */
    public static List<Scenario> synthetic() {
        return List.of(DENSE, LARGEST, SPARSE, HUGEMIX);
    }

    /**
     * A {@code snap:NAME} scenario for every committed snapshot, by name; none when no workloads
     * directory is found (a benchmark jar used outside a checkout).
     */
    public static List<Scenario> snapshots() {
        List<Scenario> out = new ArrayList<>();
        try {
            for (String name : Workloads.snapshots().keySet()) {
                out.add(new Scenario(Kind.SNAPSHOT, SNAP_PREFIX + name));
            }
        } catch (IllegalStateException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + Workloads.dir() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The synthetic scenarios, then the snapshot ones: a race's default. */
    public static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>(synthetic());
        out.addAll(snapshots());
        return out;
    }

    public Kind kind() { return kind; }

    /** Whether this is a {@code snap:NAME} scenario. */
    public boolean isSnapshot() { return kind == Kind.SNAPSHOT; }

    /** The scenario's name in the matrix: {@code dense}, {@code largest}, …, {@code snap:java}. */
    public String word() { return word; }

    @Override public String toString() { return word; }

    @Override public boolean equals(Object o) {
        return o instanceof Scenario s && s.word.equals(word);
    }

    @Override public int hashCode() { return word.hashCode(); }

    /**
     * A scenario by its name in the matrix; fails naming the known ones. A {@code snap:NAME}
     * must name a committed snapshot.
     */
    public static Scenario parse(String word) {
        for (Scenario s : synthetic()) if (s.word.equals(word)) return s;
        if (word.startsWith(SNAP_PREFIX)) {
            String name = word.substring(SNAP_PREFIX.length());
            Map<String, ?> known;
            try {
                known = Workloads.snapshots();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("scenario '" + word + "': " + e.getMessage());
            }
            if (!known.containsKey(name)) {
                throw new IllegalArgumentException("scenario '" + word + "': no snapshot '" + name
                        + "' in " + Workloads.dir().resolve("snapshots") + " — known: "
                        + (known.isEmpty() ? "none" : SNAP_PREFIX
                                + String.join(", " + SNAP_PREFIX, known.keySet())));
            }
            return new Scenario(Kind.SNAPSHOT, word);
        }
        throw new IllegalArgumentException("unknown scenario '" + word
                + "' — expected dense, largest, sparse, hugemix or snap:NAME");
    }

    /**
     * The snapshot of a {@code snap:NAME} scenario, read once.
     *
     * @throws IllegalStateException for a synthetic scenario
     * @throws UncheckedIOException when the file cannot be read or parsed
     */
    public synchronized Snapshot snapshot() {
        if (!isSnapshot()) throw new IllegalStateException(word + " is not a snapshot scenario");
        if (snapshot == null) {
            try {
                snapshot = Workloads.snapshot(word.substring(SNAP_PREFIX.length()));
            } catch (IOException e) {
                throw new UncheckedIOException(word + ": " + e.getMessage(), e);
            }
        }
        return snapshot;
    }

    /**
     * Where this scenario maps {@code bytes} on {@code g}: {@code [start, start + bytes)} with
     * {@code base = 2^(vaBits-1)}, aligned to every unit below it. A snapshot occupies the whole
     * address space, {@code [0, vaEnd)}, with its own pfns ({@code bytes} is ignored).
     */
    public Region region(Geometry g, long bytes) {
        if (isSnapshot()) return new Region(g, 0, 0, g.vaEnd(), 0, snapshot().pages());
        long base = 1L << (g.vaBits() - 1);
        long start = base + (this == LARGEST ? smallestUnit(g) : 0);
        long pages = bytes >>> g.pageShift();
        int pfnShift = Math.min(PFN_SHIFT, g.format().pfnBits() - 1);
        return new Region(g, base, start, start + bytes, 1L << pfnShift, pages);
    }

    /**
     * Why this scenario cannot be built at {@code size} on {@code g}, or {@code null} when it can:
     * the race lists such a combination as a gap instead of running it. A snapshot runs at size
     * {@link Sizes#REAL} only, on a layout it fits ({@link Snapshot#misfit}); a synthetic scenario
     * at any other size.
     */
    public String gap(Geometry g, String size) {
        if (isSnapshot()) {
            if (!Sizes.REAL.equals(size)) {
                return word + " runs at size " + Sizes.REAL + " (the snapshot's own address space),"
                        + " not " + size;
            }
            String misfit = snapshot().misfit(g);
            return misfit == null ? null : word + ": " + misfit;
        }
        if (Sizes.REAL.equals(size)) {
            return "size " + Sizes.REAL + " is a snapshot's own size; " + word + " needs bytes";
        }
        return gap(g, Sizes.bytes(size, g));
    }

    /**
     * Why this synthetic scenario cannot be built with {@code bytes} on {@code g}, or {@code
     * null} when it can.
     */
    public String gap(Geometry g, long bytes) {
        if (isSnapshot()) throw new IllegalStateException(word + " has no size in bytes");
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
        switch (kind) {
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
            case SNAPSHOT:
                return SnapshotReplay.populate(ops, mm, snapshot());
            default:
                throw new AssertionError(kind);
        }
    }

    /** Base pages {@link #populate} maps in {@code r}. */
    public long pages(Region r) {
        if (kind == Kind.SNAPSHOT) return snapshot().pages();
        if (kind != Kind.SPARSE) return r.pages();
        long step = 1L << r.geometry().tableSpanShift(0);
        return (r.end() - r.start() + step - 1) / step;
    }

    /**
     * Builds this scenario on a new address space on {@code arena}, checks that {@code map}
     * mapped what it should, and finds its leaf slices, whole and per part.
     *
     * @param bytes the size of a synthetic scenario; ignored for a snapshot
     * @throws IllegalStateException when the implementation mapped another number of pages
     */
    public Populated build(PageTableOps ops, Geometry g, long bytes, Arena arena) {
        String why = isSnapshot() ? gap(g, Sizes.REAL) : gap(g, bytes);
        if (why != null) throw new IllegalArgumentException("gap: " + why);
        Region r = region(g, bytes);
        Mm mm = new Mm(g, arena);
        long mapped = populate(ops, mm, r);
        String what = ops.name() + " " + word + (isSnapshot() ? "" : " " + Geometries.size(bytes))
                + " on " + g.name();
        if (mapped != pages(r) || mm.rss() != mapped) {
            throw new IllegalStateException(ops.name() + " mapped " + mapped + " pages (rss "
                    + mm.rss() + ") of " + what + ", expected " + pages(r));
        }
        Slices slices = Slices.scan(mm, r.start(), r.end());
        if (slices.pages() != mapped) {
            throw new IllegalStateException(what + ": the tables hold " + slices.pages()
                    + " pages, map said " + mapped);
        }
        List<Populated.Part> parts = new ArrayList<>();
        if (isSnapshot()) {
            for (Snapshot.Vma v : snapshot().vmas()) {
                parts.add(new Populated.Part(v.start(), v.end(), v.cow(), v.prot(),
                        Slices.scan(mm, v.start(), v.end())));
            }
        } else {
            parts.add(new Populated.Part(r.start(), r.end(), true, PROT, slices));
        }
        return new Populated(this, r, mm, slices, parts);
    }

    /**
     * Arena entries (with slack) for {@code spaces} spaces of this scenario with {@code bytes} on
     * {@code g}; a snapshot's are estimated from its VMAs (each may need its own tables at every
     * level). The arena grows if this is short.
     */
    public int entriesFor(Geometry g, long bytes, int spaces) {
        if (!isSnapshot()) return arenaEntries(g, bytes, spaces);
        long entries = 0;
        for (int lvl = 0; lvl < g.levels(); lvl++) entries += g.entries(lvl);
        long vmas = snapshot().vmas().size();
        long total = entries * (vmas + 1) * spaces + 4096;
        return (int) Math.min(total, 1 << 26);
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

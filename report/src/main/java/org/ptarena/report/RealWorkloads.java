package org.ptarena.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ptarena.core.snap.SnapStat;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.SnapshotFormatException;
import org.ptarena.core.snap.Workloads;

/**
 * The "Real workloads" section: how the present pages of the snapshots the results raced
 * ({@code scenario=snap:NAME}) lie, computed with {@link SnapStat} over the committed snapshots
 * ({@link Workloads}), and one finding computed from those numbers. Absent when no result has a
 * snapshot scenario; when a snapshot cannot be found or read, the section says so in one line and
 * shows the others.
 */
public final class RealWorkloads {
    /** The parameter that names the scenario. */
    public static final String SCENARIO = "scenario";
    /** What a snapshot scenario starts with: {@code snap:java}. */
    public static final String PREFIX = "snap:";
    /** The name of the total row. */
    public static final String TOTAL = "all";

    /** Reads the snapshot called {@code name}. */
    @FunctionalInterface
    public interface Finder {
        /**
         * @throws IOException when it cannot be read
         * @throws IllegalArgumentException naming what was looked for when there is none
         * @throws IllegalStateException naming what was looked for when there is no directory
         */
        Snapshot find(String name) throws IOException;
    }

    private final List<String> names;
    private final List<SnapStat> stats;
    private final Map<String, Integer> pageShifts;
    private final int pageShift;
    private final boolean mixed;
    private final String missing;

    private RealWorkloads(List<String> names, List<SnapStat> stats, Map<String, Integer> pageShifts,
            int pageShift, boolean mixed, String missing) {
        this.names = names;
        this.stats = stats;
        this.pageShifts = pageShifts;
        this.pageShift = pageShift;
        this.mixed = mixed;
        this.missing = missing;
    }

    /** No snapshot scenario: no section. */
    public static RealWorkloads none() {
        return new RealWorkloads(List.of(), List.of(), Map.of(), 0, false, null);
    }

    /** The snapshots the results name in their {@value #SCENARIO} parameter, sorted. */
    public static List<String> names(JmhResults results) {
        Set<String> names = new TreeSet<>();
        for (JmhResults.Result r : results.results()) {
            String name = snapshotOf(r.params().get(SCENARIO));
            if (name != null) names.add(name);
        }
        return List.copyOf(names);
    }

    /** The snapshot a scenario names ({@code snap:java} → {@code java}), or null. */
    static String snapshotOf(String scenario) {
        if (scenario == null || !scenario.startsWith(PREFIX)) return null;
        return scenario.substring(PREFIX.length());
    }

    /**
     * The section for {@code results}: each snapshot by {@link Workloads#snapshot}, else from the
     * {@code workloads} directory of {@code checkout} (may be null) or of the benchmark's own
     * {@code -Dptarena.workloads}.
     */
    public static RealWorkloads load(JmhResults results, Path checkout) {
        List<String> names = names(results);
        if (names.isEmpty()) return none();
        Set<Path> fallback = new LinkedHashSet<>();
        if (checkout != null) fallback.add(checkout.resolve("workloads"));
        String flag = "-D" + Workloads.PROPERTY + "=";
        for (JmhResults.Result r : results.results()) {
            for (String a : r.jvm().args()) {
                if (a.startsWith(flag)) fallback.add(Path.of(a.substring(flag.length())));
            }
        }
        return of(names, committed(List.copyOf(fallback)));
    }

    /**
     * Finds a snapshot by {@link Workloads#snapshot}, else, when there is no workloads directory,
     * in {@code snapshots/} of the first of {@code fallback} that holds it; the messages say what
     * was looked for, with no path of this machine.
     */
    public static Finder committed(List<Path> fallback) {
        return name -> find(name, fallback);
    }

    private static Snapshot find(String name, List<Path> fallback) throws IOException {
        try {
            return Workloads.snapshot(name);
        } catch (SnapshotFormatException e) {
            throw e;
        } catch (IllegalArgumentException noSnapshot) {
            throw new IllegalArgumentException(noSnapshot.getMessage().replace("'" + name + "'",
                    "'" + name + "' in workloads/snapshots"), noSnapshot);
        } catch (IllegalStateException noDirectory) {
            for (Path dir : fallback) {
                Path file = dir.resolve("snapshots").resolve(name + Workloads.SNAPSHOT_SUFFIX);
                if (Files.isRegularFile(file)) return Snapshot.read(file);
            }
            throw new IllegalStateException("no workloads/snapshots/" + name
                    + Workloads.SNAPSHOT_SUFFIX + " was found (looked from the working directory "
                    + "upwards, in the checkout and where the benchmark read it; set -D"
                    + Workloads.PROPERTY + "=DIR)");
        }
    }

    /** The section for the snapshots {@code names}, read by {@code finder}. */
    public static RealWorkloads of(List<String> names, Finder finder) {
        if (names.isEmpty()) return none();
        List<SnapStat> stats = new ArrayList<>();
        Map<String, Integer> shifts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int shift = -1;
        boolean mixed = false;
        for (String name : names) {
            Snapshot s;
            try {
                s = finder.find(name);
            } catch (SnapshotFormatException e) {
                problems.add("snapshots/" + name + Workloads.SNAPSHOT_SUFFIX + " is malformed: "
                        + e.getMessage().replace(e.source(), name + Workloads.SNAPSHOT_SUFFIX));
                continue;
            } catch (IOException e) {
                problems.add("snapshots/" + name + Workloads.SNAPSHOT_SUFFIX
                        + " could not be read (" + e.getClass().getSimpleName() + ")");
                continue;
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add(e.getMessage());
                continue;
            }
            mixed |= shift >= 0 && shift != s.pageShift();
            shift = s.pageShift();
            stats.add(SnapStat.of(name, s));
            shifts.put(name, s.pageShift());
        }
        String missing = problems.isEmpty() ? null : "Snapshot" + (problems.size() == 1 ? "" : "s")
                + " not shown: " + String.join("; ", problems) + ".";
        return new RealWorkloads(List.copyOf(names), List.copyOf(stats), Map.copyOf(shifts),
                Math.max(shift, 0), mixed, missing);
    }

    /** Whether the results raced any snapshot: whether the section appears. */
    public boolean present() { return !names.isEmpty(); }

    /** The snapshots the results raced, sorted. */
    public List<String> names() { return names; }

    /** The statistics of the snapshots found, by name. */
    public List<SnapStat> stats() { return stats; }

    /** The statistics of {@code name}, or null when it was not raced or not found. */
    public SnapStat stat(String name) {
        for (SnapStat s : stats) if (s.name().equals(name)) return s;
        return null;
    }

    /** Log2 of the base page of snapshot {@code name} (found), for its block sizes in bytes. */
    public int pageShift(String name) {
        Integer shift = pageShifts.get(name);
        if (shift == null) throw new IllegalArgumentException("no snapshot " + name + " was read");
        return shift;
    }

    /** What could not be found or read, in one line, or null when every snapshot was. */
    public String missing() { return missing; }

    /**
     * The sum of the snapshots found, or null with fewer than two or with different page sizes
     * (a block's size in pages would differ from row to row).
     */
    public SnapStat total() {
        return stats.size() < 2 || mixed ? null : SnapStat.total(TOTAL, stats);
    }

    /** The rows of the table: every snapshot found, then the total when there is one. */
    public List<SnapStat> rows() {
        List<SnapStat> rows = new ArrayList<>(stats);
        if (total() != null) rows.add(total());
        return rows;
    }

    /** The table's headings ({@link SnapStat#headings}): "64K present", "2M foldable" … */
    public List<String> headings() {
        if (stats.isEmpty()) return List.of();
        SnapStat first = stats.get(0);
        List<String> h = SnapStat.headings(first.contigOrder(), first.pmdOrder(), pageShift);
        if (!mixed) return h;
        List<String> out = new ArrayList<>(h.subList(0, 6));
        out.addAll(List.of("64K present", "64K foldable", "PMD present", "PMD foldable"));
        return out;
    }

    /**
     * The headings cut short for 80 columns: "THP%", "64K%", "64Kf%" — the block size and
     * {@code f} for foldable; the cells of {@link #textRow} carry no {@code %}.
     */
    public List<String> shortHeadings() {
        List<String> h = headings();
        if (h.isEmpty()) return h;
        List<String> out = new ArrayList<>(h.subList(0, 5));
        out.add(h.get(5) + "%");
        for (int i = 6; i < h.size(); i++) out.add(block(i) + (h.get(i).endsWith("foldable")
                ? "f%" : "%"));
        return out;
    }

    /** What the short headings mean, for below the table in plain text. */
    public String legend() {
        List<String> s = shortHeadings();
        return s.get(5) + ": share of present pages in THPs. " + s.get(6) + ", " + s.get(8)
                + ": share of present pages in fully present, aligned blocks of that size inside "
                + "one VMA; " + s.get(7) + ", " + s.get(9) + ": in such blocks whose pfns are "
                + "consecutive and aligned too (foldable today). The " + block(6) + " columns "
                + "leave out pages THPs map.";
    }

    /** What the full headings' shares mean, for below the table in Markdown and HTML. */
    public String note() {
        return "Shares of present pages. present: pages in fully present, aligned blocks of "
                + "that size inside one VMA \u2014 what the kernel could map with one TLB entry "
                + "if it also chose the frames (large folios). foldable: of those, the blocks "
                + "whose pfns are consecutive and aligned too \u2014 what contpte_try_fold (or a "
                + "PMD collapse in place) could use today; n/a with synthetic pfns. The "
                + block(6) + " columns leave out pages THPs map.";
    }

    /** The block size of heading {@code i} of {@link #headings}: "64K" of "64K present". */
    private String block(int i) {
        String h = headings().get(i);
        return h.substring(0, h.indexOf(' '));
    }

    /** {@code s}'s cells for plain text: shares without {@code %}, "synth" for synthetic. */
    public static List<String> textRow(SnapStat s) {
        List<String> out = new ArrayList<>();
        for (String cell : s.row()) {
            out.add(cell.equals("synthetic") ? "synth" : cell.endsWith("%")
                    ? cell.substring(0, cell.length() - 1) : cell);
        }
        return out;
    }

    /**
     * The finding, computed from the total (or the one snapshot): "Of N present pages in java,
     * X% lie in fully present, aligned 64K blocks, but only Y% could be folded …"; null when no
     * snapshot was found.
     */
    public String finding() {
        SnapStat t = stats.size() == 1 ? stats.get(0) : total();
        if (t == null) return null;
        List<String> row = t.row();
        String contig = block(6);
        String pmd = block(8);
        String which = stats.size() == 1 ? stats.get(0).name() : stats.size() + " snapshots ("
                + String.join(", ", stats.stream().map(SnapStat::name).toList()) + ")";
        String head = "Of " + t.pages() + " present pages in " + which + ", " + row.get(6)
                + " lie in fully present, aligned " + contig + " blocks";
        if (!t.realPfns()) {
            return head + "; how many could be folded with today's frames is unknown (synthetic "
                    + "pfns). " + pmd + " blocks: " + row.get(8) + " fully present, "
                    + row.get(5) + " mapped by THPs.";
        }
        return head + ", but only " + row.get(7) + " could be folded into contiguous runs with "
                + "today's frames. " + pmd + " leaves: " + row.get(8) + " lie in fully present "
                + pmd + " blocks and " + row.get(9) + " in foldable ones (THPs map "
                + row.get(5) + ").";
    }
}

package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.oracle.OracleEvents;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * What a suite exercised, counted by class rather than by line: operation × unit kind and order ×
 * split kind × contiguous unfold × accessed/dirty rule × refusal × geometry. The oracle reports
 * its behaviour through {@link OracleEvents}; statements are counted from the trace. A class that
 * the suite must hit and never did makes {@link #missing} non-empty, and the suite fails.
 *
 * <p>One instance per run ({@link #forRun}), merged into a total with {@link #add}, so runs may
 * proceed in parallel.
 */
public final class Coverage implements OracleEvents {
    /** The accessed/dirty rules the oracle names (see {@link OracleEvents#accessRule}). */
    public static final List<String> ACCESS_RULES = List.of("touch-in-run", "or-over-run",
            "or-on-unfold", "inherit-on-split", "copy-mkold", "copy-keep-dirty", "copy-mkclean",
            "touch-fault");

    private final Map<String, Long> counts = new TreeMap<>();
    private Geometry geometry;
    private String layout = "-";

    /** A counter for one run on {@code g}. */
    public static Coverage forRun(Geometry g) {
        Coverage c = new Coverage();
        c.geometry = g;
        c.layout = isCatalog(g) ? g.name() : "random";
        c.count("geometry " + c.layout);
        return c;
    }

    private static boolean isCatalog(Geometry g) {
        return Geometries.catalog().stream().anyMatch(c -> c.name().equals(g.name()));
    }

    /** Adds another counter's counts to this one. */
    public synchronized void add(Coverage other) {
        synchronized (other) {
            other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        }
    }

    /** The count of one class (0 when never hit). */
    public synchronized long get(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** Every counted class with its count, in name order. */
    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    private synchronized void count(String key) {
        counts.merge(key, 1L, Long::sum);
    }

    /** Counts the statements of a trace that ran ({@code ran} of them, from the start). */
    public void statements(Trace trace, int ran) {
        List<Trace.Line> lines = trace.lines();
        for (int i = 0; i < Math.min(ran,
                lines.size()); i++) count("statement " + keyword(lines.get(i).op()));
    }

    /** An implementation that does not support a geometry (a capability, never a skip). */
    public void unsupported(String impl) {
        count("unsupported " + impl + " " + layout);
    }

    /** The trace keyword of a statement; {@code fail map}, {@code fail copy}, … for refusals. */
    public static String keyword(Op op) {
        if (op instanceof Op.FailOp f) return "fail " + keyword(f.op());
        String name = op.getClass().getSimpleName();            // MapOp, ExpectNoneOp, …
        String base = name.substring(0, name.length() - 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (Character.isUpperCase(c) && i > 0) sb.append('-');
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    // --- oracle events --------------------------------------------------------------------------

    @Override public void unit(String op, int level, int order, boolean contiguous) {
        String kind = contiguous ? (level == 0 ? "run@0" : "run@huge") : (level == 0 ? "base"
                : "huge");
        count("unit " + op + " " + kind);
        count("order " + op + " " + order);
        if (op.equals("map")) count("layout " + layout + " map L" + level + (contiguous ? " run"
                : " leaf"));
    }

    @Override public void split(String op, int level) {
        boolean through = geometry != null && level > 0 && !geometry.leafAllowed(level - 1);
        count("split " + op + (through ? " through-tables" : " to-leaves"));
        count("layout " + layout + " split L" + level);
    }

    @Override public void unfold(String op, int level) {
        count("unfold " + op + (level == 0 ? " @0" : " @huge"));
        count("layout " + layout + " unfold L" + level);
    }

    @Override public void accessRule(String op, String rule) {
        count("a/d " + rule);
        count("a/d " + rule + " by " + op);
    }

    @Override public void tableFreed(String op, int level) {
        count("table-freed " + op);
    }

    @Override public void tableAllocated(String op, int level) {
        count("table-alloc " + op);
    }

    @Override public void refused(String op, Class<? extends RuntimeException> exception) {
        count("refused " + op + " " + exception.getSimpleName());
    }

    @Override public void tableMoved(String op, int level) {
        count("table-moved " + op + " L" + level);
        count("layout " + layout + " table-moved L" + level);
    }

    // --- what must be hit -----------------------------------------------------------------------

    /**
     * The classes a full run must hit: every operation and refusal, every unit kind per operation
     * that acts on units, splits and unfolds by every operation that changes entries, every
     * accessed/dirty rule, and per catalog layout every level that may hold a leaf or a run
     * mapped, every huge level split and every run level unfolded.
     */
    public static Set<String> required() {
        Set<String> r = new LinkedHashSet<>();
        for (String s : List.of("mm", "map", "unmap", "protect", "copy", "walk", "lookup",
                "touch", "drop", "fault", "fail map", "fail unmap", "fail protect", "fail copy",
                "fail walk", "fail lookup", "fail touch")) {
            r.add("statement " + s);
        }
        if (Generators.moves()) {
            r.add("statement move");
            r.add("statement fail move");
            for (String kind : List.of("base", "huge", "run@0", "run@huge")) {
                r.add("unit move " + kind);
            }
            r.add("split move to-leaves");
            r.add("unfold move @0");
            r.add("unfold move @huge");
            // the kernel's shortcuts: move_normal_pmd moves a PTE table (level 0),
            // move_normal_pud a PMD table (level 1)
            r.add("table-moved move L0");
            r.add("table-moved move L1");
            r.add("table-freed move");
            for (String ex : List.of(IllegalArgumentException.class, OverlapException.class,
                    OutOfTablesException.class).stream().map(Class::getSimpleName).toList()) {
                r.add("refused move " + ex);
            }
        }
        for (String op : List.of("map", "unmap", "protect", "copy", "walk", "lookup")) {
            for (String kind : List.of("base", "huge", "run@0",
                    "run@huge")) r.add("unit " + op + " " + kind);
        }
        for (String op : List.of("unmap", "protect", "copy")) {
            r.add("split " + op + " to-leaves");
            r.add("unfold " + op + " @0");
            r.add("unfold " + op + " @huge");
        }
        r.add("split unmap through-tables");
        for (String rule : ACCESS_RULES) r.add("a/d " + rule);
        r.add("table-alloc map");
        r.add("table-alloc copy");
        r.add("table-freed unmap");
        String iae = IllegalArgumentException.class.getSimpleName();
        String oot = OutOfTablesException.class.getSimpleName();
        String ovl = OverlapException.class.getSimpleName();
        for (String op : List.of("map", "unmap", "protect", "copy", "walk", "lookup", "touch")) {
            r.add("refused " + op + " " + iae);
        }
        for (String op : List.of("map", "copy", "unmap",
                "protect")) r.add("refused " + op + " " + oot);
        r.add("refused map " + ovl);
        r.add("refused copy " + ovl);
        r.add("geometry random");
        for (Geometry g : Geometries.catalog()) {
            r.add("geometry " + g.name());
            for (int level = 0; level <= g.rootLevel(); level++) {
                if (g.leafAllowed(level)) r.add("layout " + g.name() + " map L" + level + " leaf");
                if (g.contig(level) > 1) {
                    r.add("layout " + g.name() + " map L" + level + " run");
                    r.add("layout " + g.name() + " unfold L" + level);
                }
                if (level > 0
                        && g.leafAllowed(level)) r.add("layout " + g.name() + " split L" + level);
            }
        }
        return r;
    }

    /** Required classes never hit. */
    public synchronized List<String> missing() {
        List<String> out = new ArrayList<>();
        for (String k : required()) if (counts.getOrDefault(k, 0L) == 0) out.add(k);
        return out;
    }

    /** The table: every class with its count, required ones never hit marked {@code MISSING}. */
    public synchronized String table() {
        Map<String, Long> all = new TreeMap<>(counts);
        for (String k : required()) all.putIfAbsent(k, 0L);
        Set<String> req = required();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-58s %12s%n", "class", "count"));
        String group = "";
        for (Map.Entry<String, Long> e : all.entrySet()) {
            String g = e.getKey().substring(0,
                    e.getKey().indexOf(' ') < 0 ? e.getKey().length() : e.getKey().indexOf(' '));
            if (!g.equals(group)) {
                sb.append(String.format(Locale.ROOT, "-- %s%n", g));
                group = g;
            }
            String mark = e.getValue() == 0 && req.contains(e.getKey()) ? "  MISSING" : "";
            sb.append(String.format(Locale.ROOT, "  %-56s %12d%s%n", e.getKey(), e.getValue(),
                    mark));
        }
        return sb.toString();
    }
}

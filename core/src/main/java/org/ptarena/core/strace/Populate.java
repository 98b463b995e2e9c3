package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How much of each mapping gets pages ({@code --populate}). strace sees system calls, never page
 * faults, so which pages a program touched is unknown; this policy stands in for it.
 *
 * <ul>
 * <li>{@code all}: every page of every accessible mapping.</li>
 * <li>{@code none}: no page; the trace then holds only the structure (forks copy nothing).</li>
 * <li>{@code PCT} (1–99, optionally with {@code %}): about that share of the pages, in clusters
 *     as faults come (a program touches neighbouring pages): populated stretches with a mean of
 *     {@value #CLUSTER} pages alternate with holes whose mean makes the share come out, both of
 *     geometric length, drawn from the importer's seeded generator.</li>
 * </ul>
 *
 * <p>A mapping with {@code PROT_NONE} gets no pages whatever the policy (nothing can fault
 * there); its pages come when {@code mprotect} makes it accessible. {@code MAP_POPULATE} makes a
 * mapping get all its pages unless the policy is {@code none}. Only the first {@value #MAX_PAGES}
 * pages of a mapping (or of a range {@code mprotect} makes accessible) are considered: anything
 * larger is a reservation no program touches whole (a 64 TiB {@code MAP_NORESERVE} region, a
 * sanitizer's shadow), and populating it would make a trace of billions of statements.
 *
 * @param percent 0 (none) to 100 (all)
 */
public record Populate(int percent) {
    /** Mean length in pages of a populated stretch under a percentage. */
    public static final int CLUSTER = 8;
    /** Pages of one mapping considered at most. */
    public static final long MAX_PAGES = 1 << 16;
    public static final Populate ALL = new Populate(100);
    public static final Populate NONE = new Populate(0);

    public Populate {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("populate " + percent + "% — expected 0 to 100");
        }
    }

    /**
     * {@code all}, {@code none}, or a percentage {@code 1}–{@code 99} (a trailing {@code %} is
     * allowed).
     */
    public static Populate parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all")) return ALL;
        if (t.equals("none")) return NONE;
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1);
        if (t.matches("\\d{1,3}")) {
            int p = Integer.parseInt(t);
            if (p >= 0 && p <= 100) return new Populate(p);
        }
        throw new IllegalArgumentException("populate '" + s + "' — expected all, none or a"
                + " percentage such as 30");
    }

    /** {@code all}, {@code none} or {@code 30%}. */
    public String word() {
        return percent == 100 ? "all" : percent == 0 ? "none" : percent + "%";
    }

    /**
     * The populated stretches of {@code pages} pages, as {@code {first, count}} pairs relative to
     * the first page, ascending.
     */
    List<long[]> choose(long pages, SplittableRandom rnd) {
        List<long[]> out = new ArrayList<>();
        if (percent == 0 || pages <= 0) return out;
        if (percent == 100) {
            out.add(new long[] {0, pages});
            return out;
        }
        double p = percent / 100.0;
        double holeMean = CLUSTER * (1 - p) / p;
        boolean populated = rnd.nextDouble() < p;
        for (long at = 0; at < pages; ) {
            long len = Math.min(pages - at, geometric(rnd, populated ? CLUSTER : holeMean));
            if (populated) out.add(new long[] {at, len});
            at += len;
            populated = !populated;
        }
        return out;
    }

    /** A length of at least 1 with the given mean (geometric distribution). */
    static long geometric(SplittableRandom rnd, double mean) {
        if (mean <= 1) return 1;
        double q = 1 - 1 / mean;
        return 1 + (long) Math.floor(Math.log(1 - rnd.nextDouble()) / Math.log(q));
    }
}

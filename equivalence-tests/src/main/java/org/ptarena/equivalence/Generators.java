package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * The seeded generator of operation sequences. One seed fixes everything: the layout, the
 * address spaces, every statement. Numbers are biased toward the edges that break walkers:
 * table boundaries at every level, unit and contiguous-run boundaries, one base page, a whole
 * table, ranges that end at the very top of the address space, ranges that straddle a huge leaf,
 * pfns aligned for large units or deliberately not, prots that toggle write. The generator keeps
 * its own {@link Model} of what it mapped so that ranges hit mapped units; a share of statements
 * is deliberately bad, wrapped in {@code fail} only when the refusal is certain, and a share is
 * preceded by an injected table-allocation failure ({@code fault K}).
 */
public final class Generators {
    /** Most units (leaves or runs) one generated {@code map} may install into empty tables. */
    static final int MAX_UNITS = 1024;
    /** Most address spaces in one sequence. */
    static final int MAX_SPACES = 4;

    private Generators() { }

    /**
     * The sequence for {@code seed}: a layout from {@link Layouts#pick}; seven in ten sequences
     * are short (6 to 15 statements, cheap, so the budget buys many layouts and seeds), the rest
     * long (20 to 45 statements: build, split, unfold, copy, free and rebuild).
     */
    public static Trace sequence(long seed) {
        return sequence(seed, moves());
    }

    /**
     * The sequence for {@code seed} with an injected allocation failure ({@code fault K}) before
     * six in ten of the statements that may allocate, for the fault-injection suite.
     */
    public static Trace faulty(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Geometry g = Layouts.pick(rnd);
        Sequence s = new Sequence(g, rnd);
        s.faultPercent = 60;
        return s.build(10 + rnd.nextInt(30), source(seed) + " faulty");
    }

    /**
     * Whether sequences hold {@code move} statements (default yes; {@code -Dptarena.move=false}
     * leaves them out, e.g. while a design's move is being rewritten).
     */
    public static boolean moves() {
        return Boolean.parseBoolean(System.getProperty("ptarena.move", "true"));
    }

    /** The sequence for {@code seed}, with {@code move} statements or without. */
    public static Trace sequence(long seed, boolean moves) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Geometry g = Layouts.pick(rnd);
        int statements = rnd.nextInt(10) < 7 ? 6 + rnd.nextInt(10) : 20 + rnd.nextInt(26);
        Sequence s = new Sequence(g, rnd);
        s.moves = moves;
        return s.build(statements, source(seed));
    }

    /** A sequence of {@code statements} statements on a given layout. */
    public static Trace sequence(long seed, Geometry g, int statements) {
        return new Sequence(g, new SplittableRandom(seed)).build(statements, source(seed));
    }

    /** The trace source of a generated sequence, which names its seed. */
    public static String source(long seed) {
        return "seed " + Seeds.hex(seed);
    }
}

package org.ptarena.equivalence;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * The seeds a property run uses, from system properties: {@code -Dptarena.seed=N} reruns one
 * sequence exactly (decimal or {@code 0x} hex, as printed); {@code -Dptarena.cases=N} sets the
 * budget (default {@link #DEFAULT_CASES}; the {@code exhaustive} profile sets ten times more);
 * {@code -Dptarena.baseSeed=N} moves the whole run to other seeds (default fixed, so that a build
 * is reproducible).
 */
public final class Seeds {
    /** Sequences a default {@code mvn -B verify} runs. */
    public static final int DEFAULT_CASES = 10_000;
    /** The base seed of the default run. */
    public static final long DEFAULT_BASE = 0x5eed_0f_97a2e4aL;

    private Seeds() { }

    /** The one seed given with {@code -Dptarena.seed}, or null. */
    public static Long single() {
        String s = System.getProperty("ptarena.seed");
        return s == null || s.isBlank() ? null : parse(s.trim());
    }

    /** The budget: {@code -Dptarena.cases}, or the default. */
    public static int cases() {
        String s = System.getProperty("ptarena.cases");
        return s == null || s.isBlank() ? DEFAULT_CASES : Integer.parseInt(s.trim());
    }

    /** The seeds of this run: the single one if given, else {@code count} from the base seed. */
    public static LongStream stream(int count) {
        Long one = single();
        if (one != null) return LongStream.of(one);
        String b = System.getProperty("ptarena.baseSeed");
        long base = b == null || b.isBlank() ? DEFAULT_BASE : parse(b.trim());
        SplittableRandom rnd = new SplittableRandom(base);
        return LongStream.generate(rnd::nextLong).limit(count);
    }

    /** Parses {@code 0x…} hex (unsigned) or decimal. */
    public static long parse(String s) {
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        if (hex) return Long.parseUnsignedLong(s.substring(2), 16);
        return Long.parseLong(s);
    }

    /** A seed as printed everywhere: {@code 0x} and 16 hex digits. */
    public static String hex(long seed) {
        return String.format(Locale.ROOT, "0x%016x", seed);
    }
}

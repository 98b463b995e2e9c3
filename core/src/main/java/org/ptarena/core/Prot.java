package org.ptarena.core;

/**
 * Protection bits as an {@code int}: {@link #R}, {@link #W}, {@link #X}, {@link #U}. Written as
 * four letters from {@code r w x u} with {@code -} as filler, e.g. {@code rw-u}. A prot with none
 * of r, w, x is {@code PROT_NONE}: the page stays mapped (present) but any access faults.
 */
public final class Prot {
    public static final int R = 1;
    public static final int W = 2;
    public static final int X = 4;

    /** User accessible (x86 U/S, arm64 AP[1], riscv U, power not-privileged). */
    public static final int U = 8;

    public static final int NONE = 0;
    public static final int ALL = R | W | X | U;

    private Prot() {}

    /** Whether {@code p} grants no access at all. */
    public static boolean isNone(int p) {
        return (p & (R | W | X)) == 0;
    }

    public static boolean writable(int p) {
        return (p & W) != 0;
    }

    /** Parses {@code rw-u}-style text; letters in the order r, w, x, u, {@code -} as filler. */
    public static int parse(String s) {
        if (s.length() != 4)
            throw new IllegalArgumentException(
                    "prot '" + s + "' — expected four letters like rw-u");
        String letters = "rwxu";
        int p = 0;
        for (int i = 0; i < 4; i++) {
            char c = s.charAt(i);
            if (c == letters.charAt(i)) p |= 1 << i;
            else if (c != '-')
                throw new IllegalArgumentException(
                        "prot '"
                                + s
                                + "': '"
                                + c
                                + "' at position "
                                + (i + 1)
                                + " — expected '"
                                + letters.charAt(i)
                                + "' or '-'");
        }
        return p;
    }

    public static String toString(int p) {
        char[] c = {'-', '-', '-', '-'};
        String letters = "rwxu";
        for (int i = 0; i < 4; i++) if ((p & (1 << i)) != 0) c[i] = letters.charAt(i);
        return new String(c);
    }
}

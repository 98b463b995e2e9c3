package org.ptarena.core;

/**
 * Argument checks every implementation and the oracle make first, so that bad input fails the same
 * way everywhere: {@link IllegalArgumentException} naming the value, nothing changed. Checks only
 * arguments; nothing here looks at a table.
 */
public final class Args {
    private Args() {}

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** {@code [start, end)} page-aligned, non-empty, not reversed, inside {@code [0, 2^vaBits)}. */
    public static void range(Geometry g, String op, long start, long end) {
        if (!g.contains(start))
            throw new IllegalArgumentException(
                    op
                            + ": start "
                            + hex(start)
                            + " is outside the "
                            + g.vaBits()
                            + "-bit address space of "
                            + g.name());
        if (end != g.vaEnd() && !g.contains(end))
            throw new IllegalArgumentException(
                    op
                            + ": end "
                            + hex(end)
                            + " is beyond the top of the address space "
                            + hex(g.vaEnd()));
        if ((start & (g.pageSize() - 1)) != 0)
            throw new IllegalArgumentException(
                    op
                            + ": start "
                            + hex(start)
                            + " is not aligned to the "
                            + Geometries.size(g.pageSize())
                            + " page");
        if ((end & (g.pageSize() - 1)) != 0)
            throw new IllegalArgumentException(
                    op
                            + ": end "
                            + hex(end)
                            + " is not aligned to the "
                            + Geometries.size(g.pageSize())
                            + " page");
        if (start == end) throw new IllegalArgumentException(op + ": empty range at " + hex(start));
        if (Long.compareUnsigned(end, start) < 0)
            throw new IllegalArgumentException(
                    op + ": end " + hex(end) + " is below start " + hex(start));
    }

    /** A virtual address inside the space (need not be aligned). */
    public static void va(Geometry g, String op, long va) {
        if (!g.contains(va))
            throw new IllegalArgumentException(
                    op
                            + ": address "
                            + hex(va)
                            + " is outside the "
                            + g.vaBits()
                            + "-bit address space of "
                            + g.name());
    }

    /** A prot of r, w, x, u only; returns it normalised by the geometry's format. */
    public static int prot(Geometry g, String op, int prot) {
        if ((prot & ~Prot.ALL) != 0)
            throw new IllegalArgumentException(
                    op + ": prot " + prot + " has bits other than r, w, x, u");
        return g.format().normalise(prot);
    }

    /** Frames {@code pfn .. pfn + pages - 1} fit the format's frame field. */
    public static void pfns(Geometry g, String op, long pfn, long pages) {
        long max = g.format().maxPfn();
        if (pfn < 0 || pfn > max || pages - 1 > max - pfn) {
            throw new IllegalArgumentException(
                    op
                            + ": pfn "
                            + hex(pfn)
                            + " + "
                            + pages
                            + " pages does not fit the "
                            + g.format().pfnBits()
                            + "-bit frame field of "
                            + g.format().name());
        }
    }

    /** Two distinct address spaces of one geometry. */
    public static void pair(String op, Mm dst, Mm src) {
        if (dst == src)
            throw new IllegalArgumentException(
                    op + ": source and destination are the same address space");
        if (!dst.geometry().equals(src.geometry()))
            throw new IllegalArgumentException(
                    op
                            + ": destination geometry "
                            + dst.geometry()
                            + " differs from source "
                            + src.geometry());
    }

    /** Pages in {@code [start, end)}. */
    public static long pages(Geometry g, long start, long end) {
        return (end - start) >>> g.pageShift();
    }
}

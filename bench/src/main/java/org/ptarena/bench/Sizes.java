package org.ptarena.bench;

import java.util.List;
import java.util.Locale;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;

/**
 * Range sizes of the benchmark matrix: {@code table} (the span of one base-page table of the
 * geometry: 2M on x86-64), or bytes with a K, M, G or T suffix ({@code 1G}, {@code 8G},
 * {@code 64G}, or any other such as {@code 4M}). A size names bytes of address space; how many
 * pages are mapped in it depends on the scenario. A snapshot scenario has its own size, named
 * {@link #REAL}.
 */
public final class Sizes {
    /** The size of a snapshot scenario: the snapshot's own address space. */
    public static final String REAL = "real";
    /** The one-table size. */
    public static final String TABLE = "table";
    /** Sizes of a quick race. */
    public static final List<String> QUICK = List.of(TABLE, "1G", "8G");
    /** Sizes of a full race ({@code 64G} where the layout allows it). */
    public static final List<String> FULL = List.of(TABLE, "1G", "8G", "64G");

    private Sizes() { }

    /**
     * The bytes {@code size} names on {@code geometry}.
     *
     * @throws IllegalArgumentException naming the value when it is not a size or not a whole
     *     number of the geometry's base pages
     */
    public static long bytes(String size, Geometry geometry) {
        if (REAL.equals(size)) {
            throw new IllegalArgumentException("size " + REAL
                    + " is a snapshot's own address space, not a number of bytes");
        }
        long bytes = TABLE.equals(size) ? 1L << geometry.tableSpanShift(0) : parse(size);
        if ((bytes & (geometry.pageSize() - 1)) != 0) {
            throw new IllegalArgumentException("size " + size + " is not a whole number of "
                    + Geometries.size(geometry.pageSize()) + " pages of " + geometry.name());
        }
        return bytes;
    }

    /** Bytes of {@code 1G}-style text (K, M, G or T, powers of 1024; no suffix: bytes). */
    public static long parse(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = -1;
            }
        }
        String digits = shift < 0 ? s : s.substring(0, s.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + size
                    + "' — expected table, or a number with K, M, G or T such as 1G");
        }
        shift = Math.max(shift, 0);
        if (n <= 0 || n > (Long.MAX_VALUE >>> shift)) {
            throw new IllegalArgumentException("size '" + size + "' is out of range");
        }
        return n << shift;
    }
}

package org.ptarena.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A paging layout: base page shift, the levels (level 0 = the base-page table, the root has the
 * highest number) with their index bits, whether each may hold a leaf and its contiguous run
 * length, and the entry format. Immutable; all arithmetic used by every walker lives here.
 *
 * <p>Virtual addresses run over {@code [0, 2^vaBits)}; {@code vaBits <= 63}, so an address is a
 * non-negative {@code long} and an end may be {@code 2^63}, which reads as {@link Long#MIN_VALUE}:
 * compare ends with {@link Long#compareUnsigned}.
 */
public final class Geometry {
    private final String name;
    private final EntryFormat format;
    private final int pageShift;
    private final int[] bits; // per level, bottom-up
    private final int[] shift; // span shift of one entry at each level
    private final boolean[] leaf; // may hold a leaf at this level
    private final int[] contig; // contiguous run length (1 = none), a power of two
    private final String[] levelNames;
    private final int vaBits;

    private Geometry(Builder b) {
        this.name = b.name;
        this.format = b.format;
        this.pageShift = b.pageShift;
        int n = b.bits.size();
        bits = new int[n];
        shift = new int[n];
        leaf = new boolean[n];
        contig = new int[n];
        levelNames = new String[n];
        int s = pageShift;
        for (int lvl = 0; lvl < n; lvl++) {
            int i = n - 1 - lvl; // the builder lists levels root first
            bits[lvl] = b.bits.get(i);
            leaf[lvl] = lvl == 0 || b.leaf.get(i);
            contig[lvl] = b.contig.get(i);
            levelNames[lvl] = b.names.get(i);
            shift[lvl] = s;
            s += bits[lvl];
        }
        vaBits = s;
    }

    /** Starts a layout; add levels root first with {@link Builder#level}. */
    public static Builder named(String name, EntryFormat format) {
        return new Builder(name, format);
    }

    public String name() {
        return name;
    }

    public EntryFormat format() {
        return format;
    }

    public int pageShift() {
        return pageShift;
    }

    public long pageSize() {
        return 1L << pageShift;
    }

    /** Number of levels; the root is level {@code levels() - 1}. */
    public int levels() {
        return bits.length;
    }

    public int rootLevel() {
        return bits.length - 1;
    }

    public int vaBits() {
        return vaBits;
    }

    /** End of the address space, {@code 2^vaBits} (may be {@code 2^63}, i.e. negative). */
    public long vaEnd() {
        return 1L << vaBits;
    }

    public int bits(int level) {
        return bits[level];
    }

    /** Entries in one table of this level. */
    public int entries(int level) {
        return 1 << bits[level];
    }

    /** log2 of the bytes one entry of this level covers. */
    public int spanShift(int level) {
        return shift[level];
    }

    /** Bytes one entry of this level covers. */
    public long span(int level) {
        return 1L << shift[level];
    }

    /** log2 in base pages of a single leaf at this level. */
    public int order(int level) {
        return shift[level] - pageShift;
    }

    /** Whether an entry of this level may be a leaf (level 0 always may). */
    public boolean leafAllowed(int level) {
        return leaf[level];
    }

    /** Contiguous run length in entries at this level; 1 when the level has none. */
    public int contig(int level) {
        return contig[level];
    }

    /** log2 of {@link #contig}. */
    public int contigShift(int level) {
        return Integer.numberOfTrailingZeros(contig[level]);
    }

    /** Order (log2 base pages) of a whole contiguous run at this level. */
    public int runOrder(int level) {
        return order(level) + contigShift(level);
    }

    public String levelName(int level) {
        return levelNames[level];
    }

    /** log2 of the bytes a whole table of this level spans. */
    public int tableSpanShift(int level) {
        return shift[level] + bits[level];
    }

    /** Index of the entry of a table of this level that covers {@code addr}. */
    public int index(int level, long addr) {
        return (int) ((addr >>> shift[level]) & ((1L << bits[level]) - 1));
    }

    /** Start of the span of the level-{@code level} entry covering {@code addr}. */
    public long entryStart(int level, long addr) {
        return addr & -(1L << shift[level]);
    }

    /**
     * The kernel's {@code pXd_addr_end}: the next boundary of a level-{@code level} entry after
     * {@code addr}, or {@code end} if that comes first. Correct when {@code end} is {@code 2^63}
     * and the rounded-up boundary wraps.
     */
    public long addrEnd(int level, long addr, long end) {
        return addrEnd(addr, end, shift[level]);
    }

    /** {@code addrEnd} for an arbitrary span shift. */
    public static long addrEnd(long addr, long end, int spanShift) {
        long boundary = (addr + (1L << spanShift)) & -(1L << spanShift);
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }

    /** Whether {@code addr} is aligned to a unit of the given order (log2 base pages). */
    public boolean aligned(long addr, int order) {
        return (addr & ((1L << (order + pageShift)) - 1)) == 0;
    }

    /** Bytes in a unit of the given order. */
    public long unitSize(int order) {
        return 1L << (order + pageShift);
    }

    /** Whether {@code addr} lies in {@code [0, 2^vaBits)}. */
    public boolean contains(long addr) {
        return addr >= 0 && (vaBits == 63 || addr < (1L << vaBits));
    }

    /** Size in bytes of a table of this level. */
    public long tableBytes(int level) {
        return 8L << bits[level];
    }

    /** The lowest level that may hold a leaf at or below {@code level}. */
    public int leafLevelAtOrBelow(int level) {
        while (!leaf[level]) level--;
        return level;
    }

    /** Levels root first, e.g. {@code 9,9,9,9}. */
    public String bitsString() {
        StringBuilder sb = new StringBuilder();
        for (int lvl = rootLevel(); lvl >= 0; lvl--) {
            sb.append(bits[lvl]).append(lvl == 0 ? "" : ",");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Geometry g)) return false;
        return name.equals(g.name)
                && format == g.format
                && pageShift == g.pageShift
                && java.util.Arrays.equals(bits, g.bits)
                && java.util.Arrays.equals(leaf, g.leaf)
                && java.util.Arrays.equals(contig, g.contig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, pageShift, java.util.Arrays.hashCode(bits));
    }

    /** Builds a layout; levels are added root first, as manuals list them. */
    public static final class Builder {
        private final String name;
        private final EntryFormat format;
        private int pageShift = 12;
        private final List<Integer> bits = new ArrayList<>();
        private final List<Boolean> leaf = new ArrayList<>();
        private final List<Integer> contig = new ArrayList<>();
        private final List<String> names = new ArrayList<>();

        private Builder(String name, EntryFormat format) {
            this.name = Objects.requireNonNull(name);
            this.format = Objects.requireNonNull(format);
        }

        public Builder pageShift(int shift) {
            this.pageShift = shift;
            return this;
        }

        /** Adds the next level down, with its index bits. */
        public Builder level(String levelName, int indexBits) {
            bits.add(indexBits);
            leaf.add(false);
            contig.add(1);
            names.add(levelName);
            return this;
        }

        /** The level just added may hold a leaf (a huge page or block). */
        public Builder leaf() {
            leaf.set(leaf.size() - 1, true);
            return this;
        }

        /** The level just added may hold contiguous runs of {@code n} entries (implies leaf). */
        public Builder contig(int n) {
            leaf.set(leaf.size() - 1, true);
            contig.set(contig.size() - 1, n);
            return this;
        }

        public Geometry build() {
            if (bits.isEmpty() || bits.size() > 7)
                throw new IllegalArgumentException(
                        name + ": " + bits.size() + " levels, expected 1..7");
            if (pageShift < 1 || pageShift > 30)
                throw new IllegalArgumentException(
                        name + ": page shift " + pageShift + " out of range 1..30");
            int va = pageShift;
            for (int i = 0; i < bits.size(); i++) {
                int b = bits.get(i);
                if (b < 1 || b > 16)
                    throw new IllegalArgumentException(
                            name
                                    + ": level "
                                    + names.get(i)
                                    + " has "
                                    + b
                                    + " index bits, expected 1..16");
                int c = contig.get(i);
                if (c < 1 || Integer.bitCount(c) != 1 || c > (1 << b)) {
                    throw new IllegalArgumentException(
                            name
                                    + ": contiguous run "
                                    + c
                                    + " at level "
                                    + names.get(i)
                                    + " must be a power of two no larger than the table");
                }
                va += b;
            }
            if (va > 63)
                throw new IllegalArgumentException(
                        name + ": " + va + " virtual-address bits, at most 63");
            return new Geometry(this);
        }
    }
}

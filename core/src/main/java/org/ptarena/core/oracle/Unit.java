package org.ptarena.core.oracle;

import java.util.Arrays;

/**
 * One unit of the oracle: a base leaf, a huge leaf, or a whole contiguous run — one TLB
 * translation. It remembers its level, order, start, first pfn, normalised prot, whether it is a
 * contiguous run, and young and dirty <em>per entry</em> (a run has {@code contig(level)} entries,
 * anything else one), because hardware sets the accessed and dirty bits on the one entry it used,
 * and the OR over a run is only what walk and lookup report.
 */
public final class Unit {
    private final int level;
    private final int order;
    private final int entryOrder;
    private final long start;
    private final long pfn;
    private int prot;
    private final boolean contiguous;
    private final boolean[] young;
    private final boolean[] dirty;

    Unit(
            int level,
            int order,
            int entryOrder,
            long start,
            long pfn,
            int prot,
            boolean contiguous,
            boolean[] young,
            boolean[] dirty) {
        this.level = level;
        this.order = order;
        this.entryOrder = entryOrder;
        this.start = start;
        this.pfn = pfn;
        this.prot = prot;
        this.contiguous = contiguous;
        this.young = young;
        this.dirty = dirty;
    }

    /** Level of the unit's entries. */
    public int level() {
        return level;
    }

    /** log2 of the unit's size in base pages. */
    public int order() {
        return order;
    }

    /** Address of the unit's first byte. */
    public long start() {
        return start;
    }

    /** Bytes the unit covers, {@code 2^(order + pageShift)}. */
    public long size(int pageShift) {
        return 1L << (order + pageShift);
    }

    /** End of the unit (unsigned: {@code 2^63} reads negative). */
    public long end(int pageShift) {
        return start + size(pageShift);
    }

    /** Base pages the unit covers. */
    public long pages() {
        return 1L << order;
    }

    /** The pfn backing the unit's first base page; the rest follow consecutively. */
    public long pfn() {
        return pfn;
    }

    /** Normalised prot of every entry. */
    public int prot() {
        return prot;
    }

    public boolean contiguous() {
        return contiguous;
    }

    /** Entries in the unit: the run length for a run, otherwise 1. */
    public int entries() {
        return young.length;
    }

    /** Base pages one entry covers. */
    public long entryPages() {
        return 1L << entryOrder;
    }

    public boolean young(int entry) {
        return young[entry];
    }

    public boolean dirty(int entry) {
        return dirty[entry];
    }

    /** Young ORed over the unit's entries, as walk and lookup report it. */
    public boolean youngAny() {
        return any(young);
    }

    /** Dirty ORed over the unit's entries, as walk and lookup report it. */
    public boolean dirtyAny() {
        return any(dirty);
    }

    void setProt(int prot) {
        this.prot = prot;
    }

    void setYoung(int entry) {
        young[entry] = true;
    }

    void setDirty(int entry) {
        dirty[entry] = true;
    }

    private static boolean any(boolean[] bits) {
        for (boolean b : bits) if (b) return true;
        return false;
    }

    /** The same bit for every entry of a unit of {@code n} entries. */
    static boolean[] all(int n, boolean bit) {
        boolean[] bits = new boolean[n];
        Arrays.fill(bits, bit);
        return bits;
    }

    @Override
    public String toString() {
        return "unit L"
                + level
                + " 0x"
                + Long.toHexString(start)
                + " order="
                + order
                + " pfn=0x"
                + Long.toHexString(pfn)
                + " prot="
                + org.ptarena.core.Prot.toString(prot)
                + (contiguous ? " contiguous" : "")
                + " young="
                + Arrays.toString(young)
                + " dirty="
                + Arrays.toString(dirty);
    }
}

package org.ptarena.core;

/**
 * The result of {@code lookup}: a mutable holder the caller owns and reuses, so a lookup does not
 * allocate. Valid after {@code lookup} returned true.
 */
public final class Translation {
    /**
     * Physical address of the looked-up byte: the pfn backing its base page, shifted, plus the
     * offset.
     */
    public long phys;

    /** Frame backing the address's own base page. */
    public long pfn;

    public int prot;

    /** Order of the unit that holds the address. */
    public int order;

    /** Level of the unit's entries. */
    public int level;

    /** Young and dirty as {@code walk} reports them: ORed over a contiguous run. */
    public boolean young;

    public boolean dirty;

    public void set(
            long phys, long pfn, int prot, int order, int level, boolean young, boolean dirty) {
        this.phys = phys;
        this.pfn = pfn;
        this.prot = prot;
        this.order = order;
        this.level = level;
        this.young = young;
        this.dirty = dirty;
    }

    @Override
    public String toString() {
        return "pa=0x"
                + Long.toHexString(phys)
                + " pfn=0x"
                + Long.toHexString(pfn)
                + " prot="
                + Prot.toString(prot)
                + " order="
                + order
                + " level="
                + level
                + " young="
                + (young ? 1 : 0)
                + " dirty="
                + (dirty ? 1 : 0);
    }
}

package org.ptarena.ptptr;

/**
 * The faults planted in test-only copies of the ptptr design's operation classes, one change each,
 * to prove the equivalence suite catches them. Each names the kernel bug class it imitates.
 */
public enum PlantedBug {
    /**
     * {@code addr_end} comparing {@code boundary - 1 < end} without the kernel's {@code (end) - 1}
     * (signed): off by one exactly where {@code end} is {@code 2^63}, the top of a 63-bit space,
     * so the walk takes the rest of the range as one entry (pgtable.h: "rounded up __boundary may
     * wrap to 0"). In unmap.
     */
    ADDR_END_OFF_BY_ONE("unmap"),
    /** A run covered in part by protect is changed without {@code contpte_convert} first. */
    RUN_NOT_UNFOLDED("protect"),
    /** A split whose fill loop stops one short: the new table's last child is lost. In unmap. */
    SPLIT_DROPS_LAST_CHILD("unmap"),
    /** walk reports a contiguous run with its first entry's young and dirty, not their OR. */
    AD_NOT_ORED("walk"),
    /**
     * walk descends into any present entry above level 0, taking a huge leaf for a table (the
     * {@code apply_to_pmd_range} bug).
     */
    HUGE_LEAF_AS_TABLE("walk"),
    /**
     * {@code free_pgtables} deciding emptiness from the entries inside the range only, so it frees
     * a table that still holds entries outside the range.
     */
    TABLE_FREED_NOT_EMPTY("unmap"),
    /** cow copy that write-protects the child's entries but forgets the parent's. */
    COW_SOURCE_WRITABLE("copy");

    private final String op;

    PlantedBug(String op) {
        this.op = op;
    }

    /** The operation whose copy carries the fault. */
    public String op() {
        return op;
    }
}

package org.ptarena.bench;

import org.ptarena.core.Mm;

/**
 * A scenario built into an address space: its region, the address space, and the leaf slices
 * the floor loops over. Holds no traversal.
 */
public record Populated(Scenario scenario, Scenario.Region region, Mm mm, Slices slices) {
    public long start() { return region.start(); }
    public long end() { return region.end(); }
    /** Base pages mapped. */
    public long pages() { return slices.pages(); }
    /** Units (TLB translations) mapped. */
    public long units() { return slices.units(); }
}

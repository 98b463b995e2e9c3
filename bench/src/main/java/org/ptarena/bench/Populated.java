package org.ptarena.bench;

import java.util.List;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * A scenario built into an address space: its region, the address space, the leaf slices the
 * floor loops over, and its parts (one for a synthetic scenario, one per VMA for a snapshot).
 * Holds no traversal.
 */
public record Populated(Scenario scenario, Scenario.Region region, Mm mm, Slices slices,
        List<Part> parts) {
    public Populated {
        parts = List.copyOf(parts);
    }

    /**
     * One range the per-VMA operations act on: {@code [start, end)} with the prot its pages were
     * mapped with, whether fork copies it cow (private and writable), and its leaf slices.
     */
    public record Part(long start, long end, boolean cow, int prot, Slices slices) {
        public boolean writable() { return Prot.writable(prot); }
        /** The prot protect gives it: w taken away. */
        public int readOnly() { return prot & ~Prot.W; }
    }

    public long start() { return region.start(); }
    public long end() { return region.end(); }
    /** Base pages mapped. */
    public long pages() { return slices.pages(); }
    /** Units (TLB translations) mapped. */
    public long units() { return slices.units(); }

    /** Base pages in writable parts: what a protect toggle changes, twice. */
    public long writablePages() {
        long n = 0;
        for (Part p : parts) if (p.writable()) n += p.slices().pages();
        return n;
    }
}

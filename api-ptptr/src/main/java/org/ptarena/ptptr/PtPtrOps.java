package org.ptarena.ptptr;

import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * Shutemov's recursive pt_ptr design ({@code ptptr}): each operation is one function over a
 * (ptr, lvl) pair that calls itself to go down a level, so any number of levels works with the
 * same code and no folding. Each operation object belongs to this instance and is reused, so a
 * steady-state operation allocates nothing. Not thread-safe: one instance per thread.
 */
public final class PtPtrOps implements PageTableOps {
    private final UnmapRange unmap = new UnmapRange();
    private final MapRange map = new MapRange(unmap);
    private final ProtectRange protect = new ProtectRange();
    private final CopyRange copy = new CopyRange(unmap);
    private final WalkRange walk = new WalkRange();
    private final Lookup lookup = new Lookup();
    private final Touch touch = new Touch();
    private final MoveRange move = new MoveRange(unmap);
    private final PtPtr.Recursion[] all = {map, unmap, protect, copy, walk, lookup, touch, move};

    @Override public String name() { return "ptptr"; }

    /** Every geometry: levels are data, not code, so 1 to 7 levels, random ones included. */
    @Override public Support supports(Geometry geometry) { return Support.YES; }

    @Override public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        return map.map(mm, start, end, pfn, prot, policy);
    }

    @Override public long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        return unmap.unmap(mm, start, end, freeTables, tlb);
    }

    @Override public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        return protect.protect(mm, start, end, prot, tlb);
    }

    @Override public long copy(Mm dst, Mm src, long start, long end, boolean cow,
                               TlbGather srcTlb) {
        return copy.copy(dst, src, start, end, cow, srcTlb);
    }

    @Override public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        return walk.walk(mm, start, end, visitor);
    }

    @Override public boolean lookup(Mm mm, long va, Translation out) {
        return lookup.lookup(mm, va, out);
    }

    @Override public boolean touch(Mm mm, long va, boolean write) {
        return touch.touch(mm, va, write);
    }

    @Override public long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        return move.move(mm, oldStart, oldEnd, newStart, tlb);
    }

    /**
     * The deepest nesting any operation's recursion reached since construction or the last
     * {@link #resetMaxDepth}: one per level visited, so never more than the geometry's levels.
     */
    public int maxDepth() {
        int max = 0;
        for (PtPtr.Recursion r : all) max = Math.max(max, r.maxDepth());
        return max;
    }

    /** Starts a new measurement of {@link #maxDepth}. */
    public void resetMaxDepth() {
        for (PtPtr.Recursion r : all) r.resetMaxDepth();
    }
}

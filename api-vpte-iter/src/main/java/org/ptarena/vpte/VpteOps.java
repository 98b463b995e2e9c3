package org.ptarena.vpte;

import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The {@code vpte} design: every operation is one flat loop over a {@link VpteIter} (copy over
 * the two-tree {@link DualIter}). The iterators belong to this instance and are reset for each
 * call, so no operation allocates; an instance is therefore not for concurrent use, and a walk
 * visitor must not call back into the same instance.
 */
public final class VpteOps implements PageTableOps {
    private final VpteIter it = new VpteIter();
    private final DualIter two = new DualIter();
    private final TlbGather scratch = new TlbGather();
    private final MoveRange move = new MoveRange();

    @Override public String name() { return "vpte"; }

    /** Any layout: only the levels a geometry has exist, so nothing is folded. */
    @Override public Support supports(Geometry geometry) {
        return geometry.levels() <= VpteIter.MAX_LEVELS ? Support.YES
                : Support.no(geometry.levels() + " levels; the iterator keeps at most "
                        + VpteIter.MAX_LEVELS);
    }

    @Override public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        return MapRange.map(it, scratch, mm, start, end, pfn, prot, policy);
    }

    @Override public long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        return UnmapRange.unmap(it, mm, start, end, freeTables, tlb);
    }

    @Override public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        return ProtectRange.protect(it, mm, start, end, prot, tlb);
    }

    @Override public long copy(Mm dst, Mm src, long start, long end, boolean cow,
            TlbGather srcTlb) {
        return CopyRange.copy(it, two, scratch, dst, src, start, end, cow, srcTlb);
    }

    @Override public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        return WalkRange.walk(it, mm, start, end, visitor);
    }

    @Override public boolean lookup(Mm mm, long va, Translation out) {
        return Lookup.lookup(it, mm, va, out);
    }

    @Override public boolean touch(Mm mm, long va, boolean write) {
        return Touch.touch(it, mm, va, write);
    }

    @Override public long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        return move.move(it, mm, oldStart, oldEnd, newStart, tlb);
    }
}

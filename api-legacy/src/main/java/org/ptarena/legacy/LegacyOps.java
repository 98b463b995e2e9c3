package org.ptarena.legacy;

import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The Linux per-level cascade ({@code legacy}): five named levels, PGD, P4D, PUD, PMD and PTE,
 * with one function per level per operation, and missing levels folded as the kernel's
 * {@code pgtable-nop*d.h} headers do. Each operation lives in its own class; this one only
 * checks that the geometry fits the cascade and holds the scratch gather that map and copy use
 * to undo their work after a failed allocation.
 */
public final class LegacyOps implements PageTableOps {
    private final TlbGather scratch = new TlbGather();

    @Override public String name() { return "legacy"; }

    @Override public Support supports(Geometry geometry) {
        if (geometry.levels() > Levels.PGD + 1) {
            return Support.no("the cascade has five named levels; "
                    + "a sixth needs a new layer of functions");
        }
        if (geometry.levels() < 2) {
            return Support.no("the cascade needs at least a PGD and a PTE level");
        }
        return Support.YES;
    }

    @Override public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        check(mm);
        return MapRange.remapPfnRange(mm, start, end, pfn, prot, policy, scratch);
    }

    @Override public long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        check(mm);
        return UnmapRange.unmap(mm, start, end, freeTables, tlb);
    }

    @Override public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        check(mm);
        return ProtectRange.changeProtection(mm, start, end, prot, tlb);
    }

    @Override public long copy(Mm dst, Mm src, long start, long end, boolean cow,
                               TlbGather srcTlb) {
        check(src);
        return CopyRange.copyPageRange(dst, src, start, end, cow, srcTlb, scratch);
    }

    @Override public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        check(mm);
        return WalkRange.walkPageRange(mm, start, end, visitor);
    }

    @Override public boolean lookup(Mm mm, long va, Translation out) {
        check(mm);
        return Lookup.followPage(mm, va, out);
    }

    @Override public boolean touch(Mm mm, long va, boolean write) {
        check(mm);
        return Touch.touch(mm, va, write);
    }

    @Override public long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        check(mm);
        return MoveRange.move(mm, oldStart, oldEnd, newStart, tlb);
    }

    /** Refuses a geometry the cascade cannot express, with the reason {@link #supports} gives. */
    private void check(Mm mm) {
        int levels = mm.geometry().levels();
        if (levels < 2 || levels > Levels.PGD + 1) {
            throw new UnsupportedOperationException("legacy cannot run on " + mm.geometry().name()
                    + ": " + supports(mm.geometry()).reason());
        }
    }
}

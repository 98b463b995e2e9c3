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
 * The ptptr design with one planted fault: every operation is the real one except the one the
 * {@link PlantedBug} lives in, which runs a test-only copy of that operation's class with one
 * change. With {@code bug == null} the copies run unchanged, which shows that they are faithful.
 */
public final class PlantedOps implements PageTableOps {
    private final PtPtrOps real = new PtPtrOps();
    private final PlantedBug bug;
    private final PlantedUnmapRange unmap;
    private final PlantedProtectRange protect;
    private final PlantedWalkRange walk;
    private final PlantedCopyRange copy;

    public PlantedOps(PlantedBug bug) {
        this.bug = bug;
        this.unmap = new PlantedUnmapRange(bug);
        this.protect = new PlantedProtectRange(bug);
        this.walk = new PlantedWalkRange(bug);
        this.copy = new PlantedCopyRange(bug, new UnmapRange());
    }

    @Override public String name() {
        return "ptptr-planted-" + (bug == null ? "none"
                : bug.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override public Support supports(Geometry geometry) { return real.supports(geometry); }

    @Override public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        return real.map(mm, start, end, pfn, prot, policy);
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

    @Override public long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        return real.move(mm, oldStart, oldEnd, newStart, tlb);
    }

    @Override public boolean lookup(Mm mm, long va, Translation out) {
        return real.lookup(mm, va, out);
    }

    @Override public boolean touch(Mm mm, long va, boolean write) {
        return real.touch(mm, va, write);
    }
}

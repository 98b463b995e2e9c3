package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * map: {@code remap_pfn_range}/{@code set_ptes} as one recursive function over (ptr, lvl) that
 * places a leaf, a run or a table at any level. Differs from Linux: no VMA; huge leaves and runs
 * at every level the geometry allows, and on allocation failure the leaves are removed again.
 */
final class MapRange extends PtPtr.Recursion {
    private final UnmapRange undo;
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private long start;
    private long pfn;
    private int prot;
    private boolean largest;

    MapRange(UnmapRange undo) {
        this.undo = undo;
    }

    long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        Geometry g = mm.geometry();
        Args.range(g, "map", start, end);
        int p = Args.prot(g, "map", prot);
        Args.pfns(g, "map", pfn, Args.pages(g, start, end));
        this.mm = mm;
        this.f = mm.format();
        this.g = g;
        this.start = start;
        this.pfn = pfn;
        this.prot = p;
        this.largest = policy == MapPolicy.LARGEST;
        begin();
        try {
            long used = firstMapped(PtPtr.root(mm, start), g.rootLevel(), start, end);
            if (used != PtPtr.NOT_FOUND) throw OverlapException.mapped("map", used);
            try {
                return range(PtPtr.root(mm, start), g.rootLevel(), start, end);
            } catch (OutOfTablesException ex) {
                undo.unmap(mm, start, end, false, new TlbGather()); // the range was empty before
                throw ex;
            }
        } finally {
            this.mm = null;
        }
    }

    /** Installs {@code [addr, end)} below the entry {@code (ptr, lvl)}; returns base pages. */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        Geometry g = this.g;
        long pages = 0;
        for (long next; addr != end; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            // A leaf goes only into a none slot: an existing table, even empty, is descended into.
            if (mm.get(ptr) == PtPtr.NONE && (lvl == 0 || largest && g.leafAllowed(lvl))) {
                int n = unitEntries(ptr, lvl, addr, end);
                if (n > 0) {
                    pages += install(ptr, lvl, addr, n);
                    next = addr + ((long) n << g.spanShift(lvl));
                    ptr += n - 1;
                    continue;
                }
            }
            pages += range(PtPtr.walkAlloc(mm, ptr, lvl, addr), lvl - 1, addr, next);
        }
        leave();
        return pages;
    }

    /** Entries of the largest unit that fits at {@code (ptr, lvl)}: a run, one leaf, or 0. */
    private int unitEntries(int ptr, int lvl, long addr, long end) {
        long pfnAt = pfn + ((addr - start) >>> g.pageShift());
        long left = end - addr;
        int n = g.contig(lvl);
        if (largest && n > 1 && fits(addr, pfnAt, left, g.runOrder(lvl))
                && PtPtr.allNone(mm, ptr, n)) {
            return n;
        }
        return fits(addr, pfnAt, left, g.order(lvl)) ? 1 : 0;
    }

    /** Address and pfn aligned to a unit of {@code order}, and {@code left} bytes hold it. */
    private boolean fits(long addr, long pfnAt, long left, int order) {
        return g.aligned(addr, order) && (pfnAt & ((1L << order) - 1)) == 0
                && Long.compareUnsigned(left, g.unitSize(order)) >= 0;
    }

    /** Sets {@code n} young, clean leaves from {@code ptr} (a run when {@code n > 1}). */
    private long install(int ptr, int lvl, long addr, int n) {
        long pfnAt = pfn + ((addr - start) >>> g.pageShift());
        int order = g.order(lvl);
        for (int i = 0; i < n; i++) {
            mm.set(ptr + i, f.makeLeaf(lvl, pfnAt + ((long) i << order), prot, n > 1, true, false));
        }
        long pages = (long) n << order;
        mm.addRss(pages);
        return pages;
    }

    /** The first address of {@code [addr, end)} below {@code (ptr, lvl)} that is mapped. */
    private long firstMapped(int ptr, int lvl, long addr, long end) {
        enter();
        long found = PtPtr.NOT_FOUND;
        for (long next; addr != end && found == PtPtr.NOT_FOUND; addr = next, ptr++) {
            next = PtPtr.addrEnd(g, lvl, addr, end);
            long e = mm.get(ptr);
            if (PtPtr.leaf(f, lvl, e)) {
                found = addr;
            } else if (f.table(lvl, e)) {
                found = firstMapped(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        }
        leave();
        return found;
    }
}

package org.ptarena.report;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptarena.core.Args;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * A small implementation for the capability probes' tests: it keeps units in a sorted map per
 * address space instead of tables (as an oracle would), so its answers are known. Knobs make it
 * refuse layouts by level count, never produce huge leaves or runs, or break a copy — the cases a
 * probe must report.
 */
class UnitOps implements PageTableOps {
    private record Unit(long start, int order, int level, long pfn, int prot) { }

    private final String name;
    private final int maxLevels;
    private final boolean huge;
    private final boolean copyWorks;
    private final Map<Mm, TreeMap<Long, Unit>> spaces = new IdentityHashMap<>();

    UnitOps(String name, int maxLevels, boolean huge, boolean copyWorks) {
        this.name = name;
        this.maxLevels = maxLevels;
        this.huge = huge;
        this.copyWorks = copyWorks;
    }

    /** Fully capable up to {@code maxLevels} levels. */
    UnitOps(String name, int maxLevels) {
        this(name, maxLevels, true, true);
    }

    /** A variant that says how deep its (pretend) recursion went. */
    static final class Recursive extends UnitOps {
        private int deepest;

        Recursive(String name) { super(name, 7); }

        public int maxDepth() { return deepest; }

        public void resetMaxDepth() { deepest = 0; }

        @Override public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
            deepest = Math.max(deepest, mm.geometry().levels());
            return super.walk(mm, start, end, visitor);
        }
    }

    private TreeMap<Long, Unit> units(Mm mm) {
        return spaces.computeIfAbsent(mm, k -> new TreeMap<>());
    }

    @Override public String name() { return name; }

    @Override public Support supports(Geometry g) {
        return g.levels() <= maxLevels ? Support.YES : Support.no(g.levels() + " levels: at most "
                + maxLevels);
    }

    @Override public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        Geometry g = mm.geometry();
        Args.range(g, "map", start, end);
        TreeMap<Long, Unit> u = units(mm);
        for (Unit x : u.values()) {
            long xEnd = x.start() + g.unitSize(x.order());
            if (Long.compareUnsigned(x.start(), end - 1) <= 0 && Long.compareUnsigned(xEnd - 1,
                    start) >= 0) {
                throw OverlapException.mapped("map", Math.max(start, x.start()));
            }
        }
        if ((!huge || policy == MapPolicy.BASE) && Args.pages(g, start, end) > (1 << 16)) {
            throw new OutOfTablesException("test implementation: too many tables for "
                    + Args.pages(g, start, end) + " pages");
        }
        long addr = start;
        while (addr != end) {
            long left = end - addr;
            long p = pfn + ((addr - start) >>> g.pageShift());
            Unit unit = new Unit(addr, 0, 0, p, prot);
            for (int lvl = g.rootLevel(); huge && policy == MapPolicy.LARGEST && lvl >= 0; lvl--) {
                if (!g.leafAllowed(lvl)) continue;
                int run = g.runOrder(lvl);
                if (g.contig(lvl) > 1 && g.aligned(addr, run) && (p & ((1L << run) - 1)) == 0
                        && Long.compareUnsigned(left, g.unitSize(run)) >= 0) {
                    unit = new Unit(addr, run, lvl, p, prot);
                    break;
                }
                int o = g.order(lvl);
                if (g.aligned(addr, o) && (p & ((1L << o) - 1)) == 0 && Long.compareUnsigned(left,
                        g.unitSize(o)) >= 0) {
                    unit = new Unit(addr, o, lvl, p, prot);
                    break;
                }
            }
            u.put(addr, unit);
            addr += g.unitSize(unit.order());
        }
        long pages = Args.pages(g, start, end);
        mm.addRss(pages);
        return pages;
    }

    @Override public long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        Geometry g = mm.geometry();
        long pages = 0;
        for (Unit x : new ArrayList<>(inRange(mm, start, end))) {
            units(mm).remove(x.start());
            pages += 1L << x.order();
            tlb.leafRemoved(x.start(), g.unitSize(x.order()), x.level(), x.pfn(), x.order());
        }
        mm.addRss(-pages);
        return pages;
    }

    @Override public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        long pages = 0;
        for (Unit x : inRange(mm, start, end)) {
            if (x.prot() == prot) continue;
            units(mm).put(x.start(), new Unit(x.start(), x.order(), x.level(), x.pfn(), prot));
            pages += 1L << x.order();
        }
        return pages;
    }

    @Override public long copy(Mm dst, Mm src, long start, long end, boolean cow,
            TlbGather srcTlb) {
        long pages = 0;
        for (Unit x : inRange(src, start, end)) {
            if (!copyWorks && x.order() > 0) continue;
            units(dst).put(x.start(), x);
            pages += 1L << x.order();
        }
        dst.addRss(pages);
        return pages;
    }

    @Override public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        List<Unit> in = inRange(mm, start, end);
        for (Unit x : in) visitor.visit(x.start(), x.order(), x.level(), x.pfn());
        return in.size();
    }

    @Override public boolean lookup(Mm mm, long va, Translation out) {
        Geometry g = mm.geometry();
        Map.Entry<Long, Unit> e = units(mm).floorEntry(va);
        if (e == null || Long.compareUnsigned(va - e.getKey(), g.unitSize(e.getValue()
                .order())) >= 0) return false;
        Unit x = e.getValue();
        long pfn = x.pfn() + ((va - x.start()) >>> g.pageShift());
        out.set((pfn << g.pageShift()) | (va & (g.pageSize() - 1)), pfn, x.prot(), x.order(),
                x.level(), true, false);
        return true;
    }

    @Override public boolean touch(Mm mm, long va, boolean write) {
        return lookup(mm, va, new Translation());
    }

    private List<Unit> inRange(Mm mm, long start, long end) {
        Geometry g = mm.geometry();
        List<Unit> out = new ArrayList<>();
        for (Unit x : units(mm).values()) {
            long xEnd = x.start() + g.unitSize(x.order());
            if (Long.compareUnsigned(x.start(), end - 1) <= 0 && Long.compareUnsigned(xEnd - 1,
                    start) >= 0) out.add(x);
        }
        return out;
    }
}

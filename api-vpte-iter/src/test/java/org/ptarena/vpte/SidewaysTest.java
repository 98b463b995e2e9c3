package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * The iterator's sideways fast path ({@code VpteCursor.sideways}) against a plain recursive scan:
 * walks over many sub-ranges of a space that mixes base pages, contiguous runs, huge leaves,
 * holes and PROT_NONE pages, so ranges start inside runs and huge leaves, end one slot short of
 * a table's end or inside a run, and cross none entries the fast path steps over. Then protect
 * over the same ranges, whose visits after the change must match the scan too.
 */
class SidewaysTest {

    @Test
    void walkOfEverySubRangeMatchesAPlainScan() {
        for (Geometry g : new Geometry[] {Geometries.ARM64_4K_48, Geometries.X86_64_4LEVEL}) {
            Mm mm = populated(g);
            VpteOps ops = new VpteOps();
            SplittableRandom rnd = new SplittableRandom(7);
            long page = g.pageSize();
            long lo = base(g);
            long hi = lo + (64L << 20);
            for (int i = 0; i < 300; i++) {
                long a = lo + page * rnd.nextLong((hi - lo) / page);
                long b = a + page * (1 + rnd.nextLong(i % 3 == 0 ? 40 : (hi - a) / page));
                assertEquals(scan(mm, a, b), Fixture.walk(ops, mm, a, b),
                        g + String.format(Locale.ROOT, " walk 0x%x-0x%x", a, b));
            }
        }
    }

    @Test
    void protectOfSubRangesLeavesWhatAPlainScanSees() {
        for (Geometry g : new Geometry[] {Geometries.ARM64_4K_48, Geometries.X86_64_4LEVEL}) {
            Mm mm = populated(g);
            VpteOps ops = new VpteOps();
            SplittableRandom rnd = new SplittableRandom(11);
            long page = g.pageSize();
            long lo = base(g);
            long hi = lo + (64L << 20);
            TlbGather tlb = new TlbGather();
            for (int i = 0; i < 60; i++) {
                long a = lo + page * rnd.nextLong((hi - lo) / page);
                long b = a + page * (1 + rnd.nextLong(i % 2 == 0 ? 600 : (hi - a) / page));
                int prot = i % 2 == 0 ? Prot.R | Prot.U : Prot.R | Prot.W | Prot.U;
                tlb.reset();
                long changed = ops.protect(mm, a, b, prot, tlb);
                String what = g + String.format(Locale.ROOT, " protect 0x%x-0x%x", a, b);
                long pages = 0;
                for (String v : scan(mm, a, b)) {
                    String[] f = v.split("/");
                    String p = f[4];
                    // every unit in the range now has the prot (PROT_NONE pages get it too)
                    assertEquals(Prot.toString(mm.format().normalise(prot)), p, what + " " + v);
                    pages += 1L << Integer.parseInt(f[1]);
                }
                assertTrue(changed <= pages, what);
                if (changed > 0) {                  // the flush meets the range
                    assertTrue(tlb.levels() != 0 && Long.compareUnsigned(tlb.start(), b) < 0
                            && Long.compareUnsigned(tlb.end(), a) > 0, what + " " + tlb);
                }
                Fixture.audit(mm);
            }
        }
    }

    /**
     * Holes stepped over where the walk settles (after a descent, or at a range start in a
     * hole): sparse pages in the last tables of the space, so that ranges end one slot short of
     * a page, at a table's end and at the very top of the address space; a copy of each range
     * holds what a plain scan of the source sees (old, clean, not write-protected: shared).
     */
    @Test
    void holesStepOverStopsAtTheRangeEndAndTheTopOfTheSpace() {
        for (Geometry g : new Geometry[] {Geometries.X86_64_4LEVEL, Geometries.ARM64_4K_39}) {
            Mm mm = Fixture.mm(g);
            VpteOps ops = new VpteOps();
            long page = g.pageSize();
            long top = g.vaEnd();
            long table = 1L << g.tableSpanShift(0);
            int prot = Prot.R | Prot.W | Prot.U;
            // pages 3, 200 and the last of the top table; page 7 of the table below it
            for (long a : new long[] {top - table + 3 * page, top - table + 200 * page,
                top - page, top - 2 * table + 7 * page}) {
                ops.map(mm, a, a + page, 0x1000 + ((a >>> g.pageShift()) & 0xffff), prot,
                        MapPolicy.BASE);
            }
            Mm child = new Mm(g, mm.arena());
            SplittableRandom rnd = new SplittableRandom(3);
            long lo = top - 3 * table;
            for (int i = 0; i < 200; i++) {
                long a = lo + page * rnd.nextLong((top - lo) / page);
                long b = i % 4 == 0 ? top : a + page * (1 + rnd.nextLong((top - a) / page));
                String what = g + String.format(Locale.ROOT, " 0x%x-0x%x", a, b);
                List<String> want = scan(mm, a, b);
                assertEquals(want, Fixture.walk(ops, mm, a, b), what + " walk");
                long pages = ops.copy(child, mm, a, b, false, new TlbGather());
                assertEquals(want.size(), pages, what + " copy");
                List<String> old = new ArrayList<>();
                for (String v : want) old.add(v.substring(0, v.length() - 2) + "00");
                assertEquals(old, scan(child, a, b), what + " child");
                assertEquals(pages, ops.unmap(child, a, b, true, new TlbGather()), what);
                assertEquals(0, child.rss(), what);
            }
            Fixture.audit(mm, child);
        }
    }

    private static long base(Geometry g) {
        return 1L << (g.vaBits() - 2);
    }

    /** Base pages, runs, huge leaves, PROT_NONE pages and holes over 64 MiB. */
    private static Mm populated(Geometry g) {
        Mm mm = Fixture.mm(g);
        VpteOps ops = new VpteOps();
        long lo = base(g);
        long pfn = 1L << 20;
        int prot = Prot.R | Prot.W | Prot.U;
        long m = 1L << 20;
        // 0-3M: base pages with holes every 5th page and a PROT_NONE stretch
        for (long a = lo; a < lo + 3 * m; a += 4 * g.pageSize()) {
            ops.map(mm, a, a + 3 * g.pageSize(), pfn + ((a - lo) >>> g.pageShift()),
                    a % (5 * g.pageSize()) == 0 ? Prot.NONE : prot, MapPolicy.BASE);
        }
        // 3M+64K-30M: the largest units that fit (runs, 2M leaves, runs of 2M leaves on arm64)
        ops.map(mm, lo + 3 * m + 0x10000, lo + 30 * m, pfn + ((3 * m + 0x10000) >>> 12), prot,
                MapPolicy.LARGEST);
        // 34M-40M: base pages, dense
        ops.map(mm, lo + 34 * m, lo + 40 * m, pfn + (34 * m >>> 12), prot, MapPolicy.BASE);
        // 40M-64M: one page at the start of every 2M, then one in the middle
        for (long a = lo + 40 * m; a < lo + 64 * m; a += 2 * m) {
            ops.map(mm, a, a + g.pageSize(), pfn + ((a - lo) >>> 12), prot, MapPolicy.BASE);
            ops.map(mm, a + m, a + m + g.pageSize(), pfn + ((a + m - lo) >>> 12), prot,
                    MapPolicy.BASE);
        }
        // touch some run members so that young and dirty differ inside runs
        for (long a = lo + 3 * m + 0x10000; a < lo + 30 * m; a += 0x23000) {
            ops.touch(mm, a, true);
        }
        return mm;
    }

    /** The units meeting {@code [a, b)} in Fixture.walk's format, by recursion over tables. */
    private static List<String> scan(Mm mm, long a, long b) {
        List<String> out = new ArrayList<>();
        scan(mm, mm.root(), mm.geometry().rootLevel(), 0, a, b, out);
        return out;
    }

    private static void scan(Mm mm, int table, int lvl, long base, long a, long b,
            List<String> out) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        for (int i = 0; i < g.entries(lvl); i++) {
            long e = mm.get(table + i);
            long at = base + ((long) i << g.spanShift(lvl));
            long atEnd = at + g.span(lvl);
            if (Long.compareUnsigned(atEnd, a) <= 0 || Long.compareUnsigned(at, b) >= 0) continue;
            if (f.table(lvl, e)) {
                scan(mm, f.tablePtr(lvl, e), lvl - 1, at, a, b, out);
            } else if (f.leaf(lvl, e)) {
                int order = g.order(lvl);
                long unit = at;
                boolean young = f.young(lvl, e);
                boolean dirty = f.dirty(lvl, e);
                long first = e;
                if (g.contig(lvl) > 1 && f.contig(lvl, e)) {
                    int c = g.contig(lvl);
                    int i0 = i & -c;
                    unit = base + ((long) i0 << g.spanShift(lvl));
                    first = mm.get(table + i0);
                    young = false;
                    dirty = false;
                    for (int k = 0; k < c; k++) {
                        young |= f.young(lvl, mm.get(table + i0 + k));
                        dirty |= f.dirty(lvl, mm.get(table + i0 + k));
                    }
                    order = g.runOrder(lvl);
                    i = i0 + c - 1;
                }
                out.add(String.format(Locale.ROOT, "0x%x/%d/%d/0x%x/%s/%d%d", unit, order, lvl,
                        f.pfn(lvl, first), Prot.toString(f.prot(lvl, first)), young ? 1 : 0,
                        dirty ? 1 : 0));
            }
        }
    }
}

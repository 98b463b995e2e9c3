package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * The iterator's moves — down, sideways, up — at every level boundary, on a layout of three
 * levels of four entries (64 pages) where every boundary is a few pages away, and at the top of
 * a 63-bit space.
 */
class VpteIterTest {
    /** Root G2, then G1, then G0: 4 entries each; 64 pages of 4K; vaEnd = 0x40000. */
    private static final Geometry TINY = Geometries.byName("generic/12/2,2,2");
    private static final long PAGE = 0x1000;
    private final VpteOps ops = new VpteOps();

    private List<Long> leafAddrs(Mm mm, long start, long end) {
        List<Long> out = new ArrayList<>();
        VpteIter it = new VpteIter();
        for (it.init(mm, start, end, VpteIter.LEAVES); it.next(); ) out.add(it.addr());
        return out;
    }

    @Test
    void everySubrangeOfAFullTreeVisitsEachPageOnceInOrder() {
        Mm mm = Fixture.mm(TINY);
        ops.map(mm, 0, TINY.vaEnd(), 0x100, Prot.R | Prot.U, MapPolicy.BASE);
        assertEquals(64, mm.rss());
        assertEquals(1 + 4 + 16, mm.tables(0) + mm.tables(1) + mm.tables(2));
        for (int s = 0; s < 64; s++) {
            for (int e = s + 1; e <= 64; e++) {
                List<Long> want = new ArrayList<>();
                for (int p = s; p < e; p++) want.add(p * PAGE);
                assertEquals(want, leafAddrs(mm, s * PAGE, e * PAGE), "range " + s + ".." + e);
            }
        }
    }

    @Test
    void holesAtEveryLevelAreSteppedOverUpBeforeSideways() {
        // pages mapped: 0 (first of everything), 3 (last of the first PT), 4 (first of the second
        // PT), 15 (last of the first PD), 16 (first of the second PD), 47, 63 (last of the last)
        int[] pages = {0, 3, 4, 15, 16, 47, 63};
        Mm mm = Fixture.mm(TINY);
        for (int p : pages) {
            ops.map(mm, p * PAGE, (p + 1) * PAGE, p, Prot.R | Prot.U, MapPolicy.BASE);
        }
        for (int s = 0; s < 64; s++) {
            for (int e = s + 1; e <= 64; e++) {
                List<Long> want = new ArrayList<>();
                for (int p : pages) if (p >= s && p < e) want.add(p * PAGE);
                assertEquals(want, leafAddrs(mm, s * PAGE, e * PAGE), "range " + s + ".." + e);
            }
        }
    }

    @Test
    void holesAreVisitedAtTheLevelWhereTheWalkMeetsThem() {
        Mm mm = Fixture.mm(TINY);
        ops.map(mm, 0x15000, 0x16000, 1, Prot.R | Prot.U, MapPolicy.BASE);  // page 21
        List<String> seen = new ArrayList<>();
        VpteIter it = new VpteIter();
        for (it.init(mm, 0x3000, 0x3a000, VpteIter.HOLES | VpteIter.LEAVES); it.next(); ) {
            seen.add(String.format(Locale.ROOT, "%s L%d 0x%x o%d pos=0x%x",
                    it.kind() == VpteIter.HOLE ? "hole" : "leaf", it.level(), it.addr(), it.order(),
                    it.pos()));
        }
        assertEquals(List.of(
                "hole L2 0x0 o4 pos=0x3000",          // root slot 0, 16 pages, starts below
                "hole L1 0x10000 o2 pos=0x10000",      // root slot 1 → PD slot 0
                "hole L0 0x14000 o0 pos=0x14000",      // PD slot 1 → PT slots 0, 1(leaf), 2, 3
                "leaf L0 0x15000 o0 pos=0x15000",
                "hole L0 0x16000 o0 pos=0x16000",
                "hole L0 0x17000 o0 pos=0x17000",
                "hole L1 0x18000 o2 pos=0x18000",      // up, sideways in the PD
                "hole L1 0x1c000 o2 pos=0x1c000",      // last PD slot
                "hole L2 0x20000 o4 pos=0x20000",      // up to the root
                "hole L2 0x30000 o4 pos=0x30000"), seen); // ends inside it
    }

    @Test
    void tablesAreVisitedBeforeAndAfterTheirChildren() {
        Mm mm = Fixture.mm(TINY);
        ops.map(mm, 0x15000, 0x16000, 1, Prot.R | Prot.U, MapPolicy.BASE);
        ops.map(mm, 0x3f000, 0x40000, 2, Prot.R | Prot.U, MapPolicy.BASE);
        List<String> seen = new ArrayList<>();
        VpteIter it = new VpteIter();
        int flags = VpteIter.LEAVES | VpteIter.TABLES | VpteIter.TABLES_POST;
        for (it.init(mm, 0, TINY.vaEnd(), flags); it.next(); ) {
            String k = switch (it.kind()) {
                case VpteIter.TABLE -> "pre";
                case VpteIter.TABLE_DONE -> "post";
                default -> "leaf";
            };
            seen.add(String.format(Locale.ROOT, "%s L%d 0x%x", k, it.level(), it.addr()));
        }
        assertEquals(List.of("pre L2 0x10000", "pre L1 0x14000", "leaf L0 0x15000",
                "post L1 0x14000", "post L2 0x10000", "pre L2 0x30000", "pre L1 0x3c000",
                "leaf L0 0x3f000", "post L1 0x3c000", "post L2 0x30000"), seen);
    }

    @Test
    void aRangeEndingInsideATableStillClosesEveryLevelOnTheWayUp() {
        Mm mm = Fixture.mm(TINY);
        ops.map(mm, 0, TINY.vaEnd(), 0, Prot.R | Prot.U, MapPolicy.BASE);
        List<String> seen = new ArrayList<>();
        VpteIter it = new VpteIter();
        for (it.init(mm, 0x13000, 0x15000, VpteIter.LEAVES | VpteIter.TABLES_POST); it.next(); ) {
            seen.add(it.kind() + "@L" + it.level() + ":0x" + Long.toHexString(it.addr()));
        }
        assertEquals(List.of("0@L0:0x13000", "3@L1:0x10000", "0@L0:0x14000", "3@L1:0x14000",
                "3@L2:0x10000"), seen);
    }

    @Test
    void allocOnTheWayDownStopsAtTheStopOrder() {
        Mm mm = Fixture.mm(TINY);
        List<String> seen = new ArrayList<>();
        VpteIter it = new VpteIter();
        // stop at order 2 (level 1): PD tables are allocated, PT tables are not
        for (it.reset(mm, 0x8000, 0x24000, VpteIter.ALLOC | VpteIter.HOLES, 2, null);
                it.next(); ) {
            seen.add("L" + it.level() + ":0x" + Long.toHexString(it.addr()));
        }
        assertEquals(List.of("L1:0x8000", "L1:0xc000", "L1:0x10000", "L1:0x14000", "L1:0x18000",
                "L1:0x1c000", "L1:0x20000"), seen);
        assertEquals(3, mm.tables(1));                // root slots 0, 1 and 2
        assertEquals(0, mm.tables(0));
        Fixture.audit(mm);
    }

    @Test
    void tableEntriesAtTheStopLevelAreVisitedNotEntered() {
        Mm mm = Fixture.mm(TINY);
        ops.map(mm, 0x15000, 0x16000, 1, Prot.R | Prot.U, MapPolicy.BASE);
        VpteIter it = new VpteIter();
        List<String> seen = new ArrayList<>();
        for (it.reset(mm, 0, TINY.vaEnd(), VpteIter.LEAVES | VpteIter.TABLES, 2, null);
                it.next(); ) {
            seen.add(it.kind() + "@L" + it.level() + ":0x" + Long.toHexString(it.addr()));
        }
        assertEquals(List.of("2@L2:0x10000", "2@L1:0x14000"), seen);
    }

    @Test
    void theLastEntryOfTheLastTableOfASixtyThreeBitSpace() {
        Geometry g = Geometries.FUTURE_6LEVEL;
        assertEquals(63, g.vaBits());
        Mm mm = Fixture.mm(g);
        long top = g.vaEnd();                       // 2^63, negative as a long
        assertTrue(top < 0);
        ops.map(mm, top - PAGE, top, 7, Prot.R | Prot.U, MapPolicy.BASE);
        ops.map(mm, 0, PAGE, 8, Prot.R | Prot.U, MapPolicy.BASE);
        assertEquals(List.of(0L, top - PAGE), leafAddrs(mm, 0, top));
        assertEquals(List.of(top - PAGE), leafAddrs(mm, top - PAGE, top));
        assertEquals(List.of(top - PAGE), leafAddrs(mm, PAGE, top));
        assertEquals(List.of(), leafAddrs(mm, top - 2 * PAGE, top - PAGE));
        VpteIter it = new VpteIter();
        it.init(mm, top - PAGE, top, VpteIter.LEAVES);
        assertTrue(it.next());
        assertEquals(0, it.level());
        assertFalse(it.next());
        assertFalse(it.next(), "a finished iterator stays finished");
        TlbGather tlb = new TlbGather();
        assertEquals(2, ops.unmap(mm, 0, top, true, tlb));
        assertEquals(top, tlb.end());
        assertEquals(10, tlb.tablesFreed());
        assertEquals(1, mm.tables(g.rootLevel()));
        Fixture.audit(mm);
    }

    @Test
    void aOneLevelLayoutIsJustItsRoot() {
        Geometry g = Geometries.byName("generic/12/5");
        Mm mm = Fixture.mm(g);
        ops.map(mm, 0x3000, 0x6000, 3, Prot.R | Prot.U, MapPolicy.LARGEST);
        ops.map(mm, 0x1f000, 0x20000, 9, Prot.R | Prot.U, MapPolicy.LARGEST);
        assertEquals(List.of(0x3000L, 0x4000L, 0x5000L, 0x1f000L), leafAddrs(mm, 0, g.vaEnd()));
        assertEquals(List.of(0x1f000L), leafAddrs(mm, 0x1f000, g.vaEnd()));
        assertEquals(4, ops.unmap(mm, 0, g.vaEnd(), true, new TlbGather()));
        assertEquals(1, mm.tables(0));
    }

    @Test
    void theIteratorIsReusedAcrossAddressSpacesAndGeometries() {
        VpteIter it = new VpteIter();
        Mm a = Fixture.mm(TINY);
        Mm b = Fixture.mm(Geometries.X86_64_5LEVEL);
        ops.map(a, 0x5000, 0x6000, 1, Prot.R, MapPolicy.BASE);
        ops.map(b, 0x200000, 0x400000, 0x200, Prot.R, MapPolicy.LARGEST);
        for (int round = 0; round < 3; round++) {
            it.init(a, 0, TINY.vaEnd(), VpteIter.LEAVES);
            assertTrue(it.next());
            assertEquals(0x5000, it.addr());
            assertFalse(it.next());
            it.init(b, 0, 1L << 30, VpteIter.LEAVES);
            assertTrue(it.next());
            assertEquals(9, it.order());
            assertEquals(1, it.level());
            assertFalse(it.next());
        }
    }

    @Test
    void aContiguousRunIsOneVpteOfTheRunsOrderWithAccessAndDirtyOredOverIt() {
        Geometry g = Geometries.ARM64_4K_48;
        Mm mm = Fixture.mm(g);
        ops.map(mm, 0x10000, 0x20000, 0x100, Prot.R | Prot.W | Prot.U, MapPolicy.LARGEST);
        ops.touch(mm, 0x1d000, true);                 // dirty on the 14th entry alone
        VpteIter it = new VpteIter();
        it.init(mm, 0x1c000, 0x1e000, VpteIter.LEAVES);   // starts and ends inside the run
        assertTrue(it.next());
        assertEquals(VpteIter.LEAF, it.kind());
        assertEquals(4, it.order());
        assertEquals(0, it.level());
        assertEquals(0x10000, it.addr());
        assertEquals(0x1c000, it.pos());
        var f = mm.format();
        assertEquals(0x100, f.pfn(0, it.vpte()));
        assertTrue(f.contig(0, it.vpte()));
        assertTrue(f.dirty(0, it.vpte()), "dirty ORed over the run");
        assertFalse(f.dirty(0, it.rawVpte()), "the first entry itself is clean");
        assertEquals(0x10c, f.pfn(0, it.entry()), "the entry the cursor falls in");
        assertFalse(it.next(), "one visit for the whole run");
        // asked to split what it covers in part, the iterator unfolds the run and goes on
        TlbGather tlb = new TlbGather();
        List<String> seen = new ArrayList<>();
        for (it.reset(mm, 0x1c000, 0x1e000, VpteIter.LEAVES | VpteIter.SPLIT_PARTIAL, tlb);
                it.next(); ) {
            seen.add(it.order() + "@0x" + Long.toHexString(it.addr()) + ":"
                    + (f.dirty(0, it.vpte()) ? "d" : "-"));
        }
        assertEquals(List.of("0@0x1c000:d", "0@0x1d000:d"), seen);
        assertEquals(1, tlb.levels());
        assertEquals(0x10000, tlb.start());
        assertEquals(0x20000, tlb.end());
    }
}

package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/** {@code set_vpte_at} at every order: allocating down, writing runs whole, splitting. */
class SetVpteAtTest {
    private static final Geometry ARM = Geometries.ARM64_4K_39;
    private static final int RW = Prot.R | Prot.W | Prot.U;
    private final VpteOps ops = new VpteOps();

    /** Writes one unit of {@code order} at {@code addr} of an empty space from the root hole. */
    private static Mm writeOne(Geometry g, long addr, long pfn, int order) {
        Mm mm = Fixture.mm(g);
        VpteIter it = new VpteIter();
        it.reset(mm, addr, addr + g.unitSize(order), VpteIter.HOLES, new TlbGather());
        assertTrue(it.next());
        assertEquals(VpteIter.HOLE, it.kind());
        assertEquals(g.rootLevel(), it.level());
        int lvl = it.levelFor(order);
        it.setVpteAt(mm.format().makeLeaf(lvl, pfn, RW), order);
        assertEquals(VpteIter.LEAF, it.kind());
        assertEquals(order, it.order());
        assertEquals(lvl, it.level());
        assertEquals(addr, it.addr());
        assertFalse(it.next(), "the unit filled the range");
        return mm;
    }

    @Test
    void everyOrderOfArm64FourKThirtyNine() {
        long at = 2L << 30;
        // order → level, entries written, tables allocated below the root
        int[][] cases = {{0, 0, 1, 2}, {4, 0, 16, 2}, {9, 1, 1, 1}, {13, 1, 16, 1}, {18, 2, 1, 0}};
        for (int[] c : cases) {
            int order = c[0];
            Mm mm = writeOne(ARM, at, 1L << 20, order);
            List<String> dump = Fixture.dump(mm);
            long leaves = dump.stream().filter(s -> s.contains(" leaf ")).count();
            assertEquals(c[2], leaves, "entries written for order " + order + ": " + dump);
            String contig = c[2] > 1 ? " c1 " : " c0 ";
            assertTrue(dump.stream().filter(s -> s.contains(" leaf ")).allMatch(
                    s -> s.startsWith("L" + c[1]) && s.contains(contig)), dump.toString());
            assertEquals(c[3], mm.tables(0) + mm.tables(1), "tables for order " + order);
            List<String> walk = Fixture.walk(ops, mm, 0, ARM.vaEnd());
            assertEquals(1, walk.size(), walk.toString());
            assertTrue(walk.get(0).startsWith("0x80000000/" + order + "/" + c[1] + "/0x100000/"),
                    walk.toString());
            Fixture.audit(mm);
        }
    }

    @Test
    void aRunHasConsecutivePfnsAndItsBitOnEveryEntry() {
        Mm mm = writeOne(ARM, 0x2000000, 0x2000, 13);
        EntryFormat f = mm.format();
        Translation16 t = new Translation16(ops, mm);
        for (int i = 0; i < 16; i++) {
            long va = 0x2000000 + i * 0x200000L;
            assertEquals(0x2000 + i * 512L, t.pfn(va));
        }
        List<String> dump = Fixture.dump(mm);
        assertEquals(16, dump.stream().filter(s -> s.contains(" c1 ")).count());
        assertTrue(f.hasContig());
    }

    @Test
    void everyOrderOfEveryCatalogAndRandomLayout() {
        List<Geometry> layouts = new ArrayList<>(Geometries.catalog());
        SplittableRandom rnd = new SplittableRandom(20200207);
        for (int i = 0; i < 40; i++) layouts.add(Geometries.random(rnd));
        for (Geometry g : layouts) {
            for (int l = 0; l <= g.rootLevel(); l++) {
                List<Integer> orders = new ArrayList<>();
                if (g.leafAllowed(l)) orders.add(g.order(l));
                if (g.contig(l) > 1) orders.add(g.runOrder(l));
                for (int order : orders) {
                    if (order > 40) continue;                     // pfn field of every format
                    long size = g.unitSize(order);
                    long at = g.vaEnd() - size;                   // the last unit of the space
                    Mm mm = Fixture.mm(g);
                    VpteIter it = new VpteIter();
                    it.reset(mm, at, g.vaEnd(), VpteIter.HOLES, new TlbGather());
                    assertTrue(it.next());
                    int lvl = it.levelFor(order);
                    it.setVpteAt(mm.format().makeLeaf(lvl, 1L << order, RW), order);
                    assertFalse(it.next());
                    List<String> walk = Fixture.walk(ops, mm, 0, g.vaEnd());
                    assertEquals(1, walk.size(), g + " order " + order);
                    assertTrue(walk.get(0).startsWith("0x" + Long.toHexString(at) + "/" + order
                            + "/" + lvl + "/"), g + " " + walk);
                    Fixture.audit(mm);
                    Fixture.countsAgree(mm);
                }
            }
        }
    }

    @Test
    void aSmallerUnitInsideAHugeLeafSplitsItOnTheWayDown() {
        Mm mm = Fixture.mm(ARM);
        ops.map(mm, 1L << 30, 2L << 30, 1L << 18, RW, MapPolicy.LARGEST);
        TlbGather tlb = new TlbGather();
        VpteIter it = new VpteIter();
        long va = (1L << 30) + 0x201000;
        it.reset(mm, va, va + 0x1000, VpteIter.LEAVES, tlb);
        assertTrue(it.next());
        assertEquals(18, it.order());
        it.setVpteAt(mm.format().makeLeaf(0, 0x999, Prot.R | Prot.U), 0);
        assertEquals(0, it.level());
        assertEquals(va, it.addr());
        assertEquals(0b110, tlb.levels(), "the 1G leaf and then the 2M leaf were split");
        List<String> walk = Fixture.walk(ops, mm, 1L << 30, (1L << 30) + 0x600000);
        assertEquals("0x40000000/9/1/0x40000/rw-u/10", walk.get(0));
        assertEquals("0x40200000/0/0/0x40200/rw-u/10", walk.get(1));
        assertEquals("0x40201000/0/0/0x999/r--u/10", walk.get(2));
        assertEquals("0x40202000/0/0/0x40202/rw-u/10", walk.get(3));
        assertEquals("0x40400000/9/1/0x40400/rw-u/10", walk.get(walk.size() - 1));
        assertEquals(1 + 512 + 1, walk.size());
        Fixture.audit(mm);
    }

    @Test
    void oneEntryInsideARunUnfoldsIt() {
        Mm mm = Fixture.mm(ARM);
        ops.map(mm, 0x10000, 0x20000, 0x100, RW, MapPolicy.LARGEST);
        ops.touch(mm, 0x1e000, true);
        TlbGather tlb = new TlbGather();
        VpteIter it = new VpteIter();
        it.reset(mm, 0x13000, 0x14000, VpteIter.LEAVES, tlb);
        assertTrue(it.next());
        assertEquals(4, it.order());
        assertEquals(0x10000, it.addr());
        it.setVpteAt(mm.format().makeLeaf(0, 0x999, Prot.R | Prot.U), 0);
        assertEquals(0, it.order());
        assertEquals(0x13000, it.addr());
        assertEquals(1, tlb.levels());
        List<String> walk = Fixture.walk(ops, mm, 0, 0x20000);
        assertEquals(16, walk.size());
        assertEquals("0x10000/0/0/0x100/rw-u/11", walk.get(0));    // the run's OR, unfolded
        assertEquals("0x13000/0/0/0x999/r--u/10", walk.get(3));
        assertEquals("0x1f000/0/0/0x10f/rw-u/11", walk.get(15));
    }

    @Test
    void aRunOverSingleLeavesOfItsLevelRewritesThemAll() {
        Mm mm = Fixture.mm(ARM);
        ops.map(mm, 0x10000, 0x20000, 0x100, RW, MapPolicy.BASE);
        VpteIter it = new VpteIter();
        it.reset(mm, 0x10000, 0x20000, VpteIter.LEAVES, new TlbGather());
        assertTrue(it.next());
        assertEquals(0, it.order());
        it.setVpteAt(mm.format().makeLeaf(0, 0x500, Prot.R | Prot.U), 4);
        assertFalse(it.next());
        assertEquals(List.of("0x10000/4/0/0x500/r--u/10"), Fixture.walk(ops, mm, 0, 0x20000));
    }

    @Test
    void aUnitLargerThanWhereTheIteratorStandsIsRefused() {
        Mm mm = Fixture.mm(ARM);
        ops.map(mm, 0x10000, 0x11000, 0x100, RW, MapPolicy.BASE);
        VpteIter it = new VpteIter();
        it.reset(mm, 0x10000, 0x11000, VpteIter.LEAVES, new TlbGather());
        assertTrue(it.next());
        assertThrows(IllegalStateException.class,
                () -> it.setVpteAt(mm.format().makeLeaf(1, 0, RW), 9));
    }

    /** Reads the pfn of a va through the design's lookup. */
    private record Translation16(VpteOps ops, Mm mm) {
        long pfn(long va) {
            org.ptarena.core.Translation t = new org.ptarena.core.Translation();
            assertTrue(ops.lookup(mm, va, t));
            return t.pfn;
        }
    }
}

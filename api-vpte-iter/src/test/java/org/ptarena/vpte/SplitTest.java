package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/** Each kind of split the SPLIT_PARTIAL flag makes, through unmap and protect. */
class SplitTest {
    private static final int RW = Prot.R | Prot.W | Prot.U;
    private static final int RO = Prot.R | Prot.U;
    private final VpteOps ops = new VpteOps();

    @Test
    void pmdSplitByAProtectOfOnePage() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Mm mm = Fixture.mm(g);
        assertEquals(512, ops.map(mm, 0x200000, 0x400000, 0x200, RW, MapPolicy.LARGEST));
        assertEquals(0, mm.tables(0));
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.protect(mm, 0x201000, 0x202000, RO, tlb));
        assertEquals(1, mm.tables(0));
        assertEquals(0b11, tlb.levels());            // split at the PD, change at the PT
        assertEquals(0x200000, tlb.start());
        assertEquals(0x400000, tlb.end());
        List<String> walk = Fixture.walk(ops, mm, 0x200000, 0x400000);
        assertEquals(512, walk.size());
        assertEquals("0x200000/0/0/0x200/rw-u/10", walk.get(0));
        assertEquals("0x201000/0/0/0x201/r--u/10", walk.get(1));
        assertEquals("0x3ff000/0/0/0x3ff/rw-u/10", walk.get(511));
        assertEquals(512, mm.rss());
        Fixture.audit(mm);
    }

    @Test
    void pudSplitThenPmdSplitByAnUnmapStartingMidLeaf() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Mm mm = Fixture.mm(g);
        ops.map(mm, 1L << 30, 2L << 30, 1L << 18, RW, MapPolicy.LARGEST);
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.unmap(mm, (1L << 30) + 0x1000, (1L << 30) + 0x2000, false, tlb));
        assertEquals(1, mm.tables(1));
        assertEquals(1, mm.tables(0));
        assertEquals(0b111, tlb.levels());
        assertEquals(1, tlb.releasedCount());
        assertEquals((1L << 18) + 1, tlb.releasedPfn(0));
        assertEquals(0, tlb.releasedOrder(0));
        List<String> walk = Fixture.walk(ops, mm, 1L << 30, 2L << 30);
        assertEquals(511 + 511, walk.size());
        assertEquals("0x40000000/0/0/0x40000/rw-u/10", walk.get(0));
        assertEquals("0x40002000/0/0/0x40002/rw-u/10", walk.get(1));
        assertEquals("0x40200000/9/1/0x40200/rw-u/10", walk.get(511));
        assertEquals((1L << 18) - 1, mm.rss());
        Fixture.audit(mm);
    }

    @Test
    void rootLeafSplitOnRiscvSv48() {
        Geometry g = Geometries.RISCV_SV48;
        Mm mm = Fixture.mm(g);
        long at = 1L << 39;                          // 512G
        ops.map(mm, at, 2 * at, 1L << 27, RW, MapPolicy.LARGEST);
        assertEquals(List.of("0x8000000000/27/3/0x8000000/rw-u/10"),
                Fixture.walk(ops, mm, 0, g.vaEnd()));
        assertEquals(0, mm.tables(2));
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.protect(mm, at, at + 0x1000, RO, tlb));
        assertEquals(1, mm.tables(2));
        assertEquals(1, mm.tables(1));
        assertEquals(1, mm.tables(0));
        assertEquals(0b1111, tlb.levels());
        List<String> walk = Fixture.walk(ops, mm, at, 2 * at);
        assertEquals(512 + 511 + 511, walk.size());
        assertEquals("0x8000000000/0/0/0x8000000/r--u/10", walk.get(0));
        assertEquals("0x8000001000/0/0/0x8000001/rw-u/10", walk.get(1));
        assertEquals("0x8000200000/9/1/0x8000200/rw-u/10", walk.get(512));
        assertEquals("0x8040000000/18/2/0x8040000/rw-u/10", walk.get(512 + 511));
        Fixture.audit(mm);
    }

    @Test
    void multiLevelSplitWhereTheMiddleLevelHoldsNoLeaves() {
        // root: 8 entries of 32 pages, may hold leaves; middle: 4 entries, tables only; PT: 8
        Geometry g = Geometries.byName("generic/12/3L,2,3");
        assertTrue(g.leafAllowed(2));
        assertTrue(!g.leafAllowed(1));
        Mm mm = Fixture.mm(g);
        ops.map(mm, 0x20000, 0x40000, 0x20, RW, MapPolicy.LARGEST);
        assertEquals(List.of("0x20000/5/2/0x20/rw-u/10"), Fixture.walk(ops, mm, 0, g.vaEnd()));
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.unmap(mm, 0x2a000, 0x2b000, true, tlb));
        assertEquals(1, mm.tables(1));
        assertEquals(4, mm.tables(0));               // one PT per middle entry, all built
        assertEquals(0b101, tlb.levels());
        assertEquals(0, tlb.tablesFreed());
        List<String> walk = Fixture.walk(ops, mm, 0, g.vaEnd());
        assertEquals(31, walk.size());
        assertEquals("0x29000/0/0/0x29/rw-u/10", walk.get(9));
        assertEquals("0x2b000/0/0/0x2b/rw-u/10", walk.get(10));
        assertEquals(31, mm.rss());
        // unmapping the rest with free empties and frees every table but the root
        ops.unmap(mm, 0x20000, 0x40000, true, tlb);
        assertEquals(0, mm.rss());
        assertEquals(0, mm.tables(1) + mm.tables(0));
        Fixture.audit(mm);
    }

    @Test
    void aPartialRunAtThePmdLevelUnfoldsThenSplitsOneBlock() {
        Geometry g = Geometries.ARM64_4K_39;
        Mm mm = Fixture.mm(g);
        ops.map(mm, 0x2000000, 0x4000000, 0x2000, RW, MapPolicy.LARGEST);
        ops.touch(mm, 0x3e00000, true);
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.protect(mm, 0x2201000, 0x2202000, RO, tlb));
        List<String> walk = Fixture.walk(ops, mm, 0x2000000, 0x4000000);
        assertEquals(15 + 512, walk.size());
        assertEquals("0x2000000/9/1/0x2000/rw-u/11", walk.get(0));      // unfolding ORs dirty
        assertEquals("0x2201000/0/0/0x2201/r--u/11", walk.get(2));
        assertEquals(0b11, tlb.levels());
        Fixture.audit(mm);
    }
}

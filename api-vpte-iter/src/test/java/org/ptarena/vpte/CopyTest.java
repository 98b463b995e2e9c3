package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/** The two-tree iterator and copy: cow, shared, empty source tables, failures. */
class CopyTest {
    private static final int RW = Prot.R | Prot.W | Prot.U;
    private static final int RO = Prot.R | Prot.U;
    private final VpteOps ops = new VpteOps();

    @Test
    void cowWriteProtectsBothSidesAndTheChildIsOld() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        ops.map(src, 0x200000, 0x400000, 0x200, RW, MapPolicy.LARGEST);
        ops.map(src, 0x400000, 0x402000, 0x10, RW, MapPolicy.BASE);
        ops.map(src, 0x402000, 0x403000, 0x20, RO, MapPolicy.BASE);
        ops.touch(src, 0x200000, true);
        ops.touch(src, 0x401000, true);
        TlbGather tlb = new TlbGather();
        assertEquals(512 + 3, ops.copy(dst, src, 0, 1L << 30, true, tlb));
        assertEquals(List.of("0x200000/9/1/0x200/r--u/11", "0x400000/0/0/0x10/r--u/10",
                "0x401000/0/0/0x11/r--u/11", "0x402000/0/0/0x20/r--u/10"),
                Fixture.walk(ops, src, 0, 1L << 30));
        assertEquals(List.of("0x200000/9/1/0x200/r--u/01", "0x400000/0/0/0x10/r--u/00",
                "0x401000/0/0/0x11/r--u/01", "0x402000/0/0/0x20/r--u/00"),
                Fixture.walk(ops, dst, 0, 1L << 30));
        assertEquals(0b11, tlb.levels());            // three writable units changed
        assertEquals(0x200000, tlb.start());
        assertEquals(0x402000, tlb.end());
        assertEquals(515, dst.rss());
        for (int l = 0; l < g.levels(); l++) assertEquals(src.tables(l), dst.tables(l));
        Fixture.audit(src, dst);
    }

    @Test
    void sharedKeepsProtsMakesTheChildOldAndCleanAndKeepsRunsWhole() {
        Geometry g = Geometries.ARM64_4K_39;
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        ops.map(src, 0x10000, 0x20000, 0x100, RW, MapPolicy.LARGEST);
        ops.touch(src, 0x1c000, true);
        TlbGather tlb = new TlbGather();
        assertEquals(16, ops.copy(dst, src, 0, 0x200000, false, tlb));
        assertTrue(tlb.isEmpty());
        assertEquals(List.of("0x10000/4/0/0x100/rw-u/00"), Fixture.walk(ops, dst, 0, 0x200000));
        assertEquals(16, Fixture.dump(dst).stream().filter(s -> s.contains(" c1 y0 d0")).count());
        assertEquals(List.of("0x10000/4/0/0x100/rw-u/11"), Fixture.walk(ops, src, 0, 0x200000));
    }

    @Test
    void theDestinationGetsATableWhereverTheSourceIsEnteredEvenAnEmptyOne() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        ops.map(src, 0x600000, 0x601000, 0x1, RW, MapPolicy.BASE);
        ops.unmap(src, 0x600000, 0x601000, false, new TlbGather());
        ops.map(src, 1L << 39, (1L << 39) + 0x1000, 0x2, RW, MapPolicy.BASE);
        DualIter two = new DualIter();
        int visits = 0;
        for (two.reset(dst, src, 0, 2L << 39, VpteIter.LEAVES, new TlbGather()); two.next(); ) {
            visits++;
            assertEquals(0L, two.dstEntry());
        }
        assertEquals(1, visits);
        assertEquals(List.of(2L, 2L, 2L), List.of(dst.tables(2), dst.tables(1), dst.tables(0)));
        assertEquals(0, dst.rss());
        // a range that does not meet the source's tables gives the destination none
        Mm other = new Mm(g, arena);
        assertEquals(0, ops.copy(other, src, 0x800000, 0xa00000, true, new TlbGather()));
        assertEquals(1, other.tables(2));             // the PDPT the walk stepped into
        assertEquals(1, other.tables(1));
        assertEquals(0, other.tables(0));
        Fixture.audit(src, dst, other);
    }

    @Test
    void aPartlyCoveredSourceBlockIsSplitFirst() {
        Geometry g = Geometries.ARM64_4K_39;
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        ops.map(src, 0x200000, 0x400000, 0x200, RW, MapPolicy.LARGEST);
        TlbGather tlb = new TlbGather();
        assertEquals(256, ops.copy(dst, src, 0x300000, 0x400000, false, tlb));
        assertEquals(0b10, tlb.levels());
        assertEquals(512, Fixture.walk(ops, src, 0, 1L << 30).size());
        List<String> d = Fixture.walk(ops, dst, 0, 1L << 30);
        assertEquals(256, d.size());
        assertEquals("0x300000/0/0/0x300/rw-u/00", d.get(0));
        Fixture.audit(src, dst);
    }

    @Test
    void aDestinationThatIsNotEmptyIsRefusedBeforeAnythingChanges() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Arena arena = new Arena();
        Mm src = new Mm(g, arena);
        Mm dst = new Mm(g, arena);
        ops.map(src, 0x200000, 0x400000, 0x200, RW, MapPolicy.LARGEST);
        ops.map(dst, 0x3ff000, 0x400000, 0x1, RW, MapPolicy.BASE);
        List<String> before = Fixture.dump(src);
        OverlapException ex = assertThrows(OverlapException.class,
                () -> ops.copy(dst, src, 0x300000, 0x500000, true, new TlbGather()));
        assertEquals("copy: 0x3ff000 is already mapped", ex.getMessage());
        assertEquals(before, Fixture.dump(src));
        ops.unmap(dst, 0x3ff000, 0x400000, false, new TlbGather());
        ex = assertThrows(OverlapException.class,
                () -> ops.copy(dst, src, 0x200000, 0x400000, true, new TlbGather()));
        assertEquals("copy: destination holds a table at 0x200000", ex.getMessage());
        assertEquals(1, ops.copy(dst, src, 0x3ff000, 0x400000, false, new TlbGather()));
        assertThrows(IllegalArgumentException.class,
                () -> ops.copy(src, src, 0, 0x1000, false, new TlbGather()));
    }

    @Test
    void anAllocationFailurePartWayRemovesWhatWasCopiedAndKeepsTheTables() {
        Geometry g = Geometries.X86_64_4LEVEL;
        for (int k = 1; k <= 6; k++) {
            Arena arena = new Arena();
            Mm src = new Mm(g, arena);
            Mm dst = new Mm(g, arena);
            ops.map(src, 0, 0x2000, 0x1, RW, MapPolicy.BASE);
            ops.map(src, 1L << 39, (1L << 39) + 0x1000, 0x2, RW, MapPolicy.BASE);
            List<String> srcBefore = Fixture.dump(src);
            arena.failAfter(k);
            int failAt = k;
            // six allocations: PDPT, PD, PT for the first page, then again for 2^39
            assertThrows(OutOfTablesException.class,
                    () -> ops.copy(dst, src, 0, 2L << 39, false, new TlbGather()),
                    "failure at allocation " + failAt);
            assertEquals(0, dst.rss());
            assertEquals(List.of(), Fixture.walk(ops, dst, 0, g.vaEnd()));
            assertEquals(k - 1, dst.tables(0) + dst.tables(1) + dst.tables(2),
                    "tables kept after failure at " + k);
            assertEquals(srcBefore, Fixture.dump(src));
            Fixture.audit(src, dst);
        }
    }
}

package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.ptptr.Fixture.Unit;

/** The two-tree recursion of copy_pt_range: cow, shared, partial source units, refusal, failure. */
class CopyTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    private static final int R_U = Prot.R | Prot.U;
    private final Fixture fx = new Fixture();

    /** A 2M leaf, four writable pages (one dirty), one read-only page. */
    private Mm source() {
        Mm src = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(src, 0x200000, 0x400000, 0x200, RW_U, MapPolicy.LARGEST);
        fx.ops.map(src, 0x400000, 0x404000, 0x1000, RW_U, MapPolicy.BASE);
        fx.ops.map(src, 0x404000, 0x405000, 0x2000, R_U, MapPolicy.BASE);
        assertTrue(fx.ops.touch(src, 0x300000, true));
        assertTrue(fx.ops.touch(src, 0x401000, true));
        return src;
    }

    @Test
    void cowCopyWriteProtectsBothTreesKeepsDirtyAndMakesTheChildOld() {
        Mm src = source();
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        TlbGather srcTlb = new TlbGather();
        assertEquals(517, fx.ops.copy(dst, src, 0x200000, 0x405000, true, srcTlb));

        assertEquals(List.of(
                new Unit(0x200000, 9, 1, 0x200, R_U, false, false, true),
                new Unit(0x400000, 0, 0, 0x1000, R_U, false, false, false),
                new Unit(0x401000, 0, 0, 0x1001, R_U, false, false, true),
                new Unit(0x402000, 0, 0, 0x1002, R_U, false, false, false),
                new Unit(0x403000, 0, 0, 0x1003, R_U, false, false, false),
                new Unit(0x404000, 0, 0, 0x2000, R_U, false, false, false)), fx.units(dst));
        assertEquals(List.of(
                new Unit(0x200000, 9, 1, 0x200, R_U, false, true, true),
                new Unit(0x400000, 0, 0, 0x1000, R_U, false, true, false),
                new Unit(0x401000, 0, 0, 0x1001, R_U, false, true, true),
                new Unit(0x402000, 0, 0, 0x1002, R_U, false, true, false),
                new Unit(0x403000, 0, 0, 0x1003, R_U, false, true, false),
                new Unit(0x404000, 0, 0, 0x2000, R_U, false, true, false)), fx.units(src));
        assertEquals(0b11, srcTlb.levels());
        assertEquals(0x200000, srcTlb.start());
        assertEquals(0x404000, srcTlb.end(), "the read-only page is not write-protected again");
        assertEquals(517, dst.rss());
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(dst));
        fx.audit(src, dst);
    }

    @Test
    void sharedCopyKeepsWriteMakesTheChildOldAndCleanAndLeavesTheSourceAlone() {
        Mm src = source();
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        TlbGather srcTlb = new TlbGather();
        assertEquals(517, fx.ops.copy(dst, src, 0x200000, 0x405000, false, srcTlb));
        assertTrue(srcTlb.isEmpty());
        assertEquals(new Unit(0x200000, 9, 1, 0x200, RW_U, false, false, false),
                fx.units(dst).get(0));
        assertEquals(new Unit(0x401000, 0, 0, 0x1001, RW_U, false, false, false),
                fx.units(dst).get(2));
        assertEquals(new Unit(0x200000, 9, 1, 0x200, RW_U, false, true, true),
                fx.units(src).get(0));
    }

    @Test
    void aSourceLeafCoveredInPartIsSplitFirstAndOnlyTheRangeIsCopied() {
        Mm src = source();
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        TlbGather srcTlb = new TlbGather();
        assertEquals(2, fx.ops.copy(dst, src, 0x201000, 0x203000, true, srcTlb));
        assertEquals(List.of(new Unit(0x201000, 0, 0, 0x201, R_U, false, false, true),
                new Unit(0x202000, 0, 0, 0x202, R_U, false, false, true)), fx.units(dst));
        assertEquals(0b11, srcTlb.levels());
        assertEquals(0x200000, srcTlb.start());
        assertEquals(0x400000, srcTlb.end());
        List<Unit> s = fx.units(src, 0x200000, 0x400000);
        assertEquals(512, s.size());
        assertEquals(new Unit(0x200000, 0, 0, 0x200, RW_U, false, true, true), s.get(0));
        assertEquals(new Unit(0x201000, 0, 0, 0x201, R_U, false, true, true), s.get(1));
        fx.audit(src, dst);
    }

    @Test
    void anEmptySourceTableGivesAnEmptyDestinationTable() {
        Mm src = fx.mm(Geometries.X86_64_4LEVEL);
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(src, 0x1000, 0x2000, 1, RW_U, MapPolicy.BASE);
        fx.ops.unmap(src, 0x1000, 0x2000, false, new TlbGather());
        assertEquals(0, fx.ops.copy(dst, src, 0, 0x200000, true, new TlbGather()));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(dst));
        assertEquals(0, dst.rss());
    }

    @Test
    void aMappedDestinationIsRefusedBeforeTheSourceIsSplit() {
        Mm src = source();
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(dst, 0x300000, 0x301000, 7, RW_U, MapPolicy.BASE);
        OverlapException ex = assertThrows(OverlapException.class,
                () -> fx.ops.copy(dst, src, 0x201000, 0x400000, true, new TlbGather()));
        assertEquals("copy: 0x300000 is already mapped", ex.getMessage());
        assertEquals(1, fx.units(src, 0x200000, 0x400000).size(), "the source is not split");
        assertEquals(1, dst.rss());
    }

    @Test
    void aDestinationTableWhollyInsideTheRangeIsRefusedOnePartlyInsideIsNot() {
        Mm src = source();
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(dst, 0x600000, 0x601000, 7, RW_U, MapPolicy.BASE);
        fx.ops.unmap(dst, 0x600000, 0x601000, false, new TlbGather());
        OverlapException ex = assertThrows(OverlapException.class,
                () -> fx.ops.copy(dst, src, 0x400000, 0x800000, false, new TlbGather()));
        assertEquals("copy: destination holds a table at 0x600000", ex.getMessage());
        fx.ops.map(src, 0x600000, 0x601000, 9, RW_U, MapPolicy.BASE);
        assertEquals(1, fx.ops.copy(dst, src, 0x600000, 0x601000, false, new TlbGather()));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(dst));
    }

    @Test
    void anAllocationFailureRemovesTheCopiedLeavesButKeepsTablesAndTheSourceChanges() {
        Mm src = fx.mm(Geometries.X86_64_4LEVEL);
        Mm dst = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(src, 0x400000, 0x402000, 0x10, RW_U, MapPolicy.BASE);
        fx.ops.map(src, 0x600000, 0x601000, 0x20, RW_U, MapPolicy.BASE);
        fx.arena.failAfter(4);      // dst: PDPT, PD, first PT, then the second PT fails
        assertThrows(OutOfTablesException.class,
                () -> fx.ops.copy(dst, src, 0x400000, 0x601000, true, new TlbGather()));
        assertEquals(List.of(), fx.units(dst));
        assertEquals(0, dst.rss());
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(dst));
        assertEquals(List.of(new Unit(0x400000, 0, 0, 0x10, R_U, false, true, false),
                new Unit(0x401000, 0, 0, 0x11, R_U, false, true, false),
                new Unit(0x600000, 0, 0, 0x20, RW_U, false, true, false)), fx.units(src));
        fx.audit(src, dst);
    }

    @Test
    void runsAndHugeLeavesStayWholeInTheChild() {
        Mm src = fx.mm(Geometries.ARM64_4K_48);
        Mm dst = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(src, 0, 34 * Fixture.M, 0, RW_U, MapPolicy.LARGEST);
        fx.ops.map(src, 34 * Fixture.M, 34 * Fixture.M + 0x10000, 0x8800, RW_U, MapPolicy.LARGEST);
        assertTrue(fx.ops.touch(src, 0x5000, true));
        assertEquals(34 * 256 + 16, fx.ops.copy(dst, src, 0, 1L << 39, true, new TlbGather()));
        assertEquals(List.of(
                new Unit(0, 13, 1, 0, R_U, true, false, true),
                new Unit(32 * Fixture.M, 9, 1, 0x2000, R_U, false, false, false),
                new Unit(34 * Fixture.M, 4, 0, 0x8800, R_U, true, false, false)), fx.units(dst));
    }
}

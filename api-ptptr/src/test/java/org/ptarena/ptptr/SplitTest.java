package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.ptptr.Fixture.G;
import static org.ptarena.ptptr.Fixture.K;
import static org.ptarena.ptptr.Fixture.M;
import static org.ptarena.ptptr.Fixture.T;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.ptptr.Fixture.Unit;

/** Partial coverage of a huge leaf splits it, at every level the geometry has leaves. */
class SplitTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    private static final int R_U = Prot.R | Prot.U;
    private static final int RWXU = Prot.ALL;
    private final Fixture fx = new Fixture();

    @Test
    void unmapInsideA2mLeafSplitsThePmdAndChildrenInheritItsBits() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        assertEquals(512, fx.ops.map(mm, 0x200000, 0x400000, 0x200, RW_U, MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(0x200000, 9, 1, 0x200, RW_U, false, true, false)),
                fx.units(mm));
        assertArrayEquals(new long[] {0, 1, 1, 1}, Fixture.tables(mm));
        assertTrue(fx.ops.touch(mm, 0x300000, true));

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.unmap(mm, 0x201000, 0x202000, false, tlb));
        assertEquals(0b11, tlb.levels());
        assertEquals(0x200000, tlb.start());
        assertEquals(0x400000, tlb.end());
        assertEquals(1, tlb.releasedCount());
        assertEquals(0x201, tlb.releasedPfn(0));
        assertEquals(0, tlb.releasedOrder(0));

        List<Unit> units = fx.units(mm);
        assertEquals(511, units.size());
        assertEquals(new Unit(0x200000, 0, 0, 0x200, RW_U, false, true, true), units.get(0));
        assertEquals(new Unit(0x202000, 0, 0, 0x202, RW_U, false, true, true), units.get(1));
        assertEquals(new Unit(0x3ff000, 0, 0, 0x3ff, RW_U, false, true, true), units.get(510));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(mm));
        assertEquals(511, mm.rss());
        fx.audit(mm);
    }

    @Test
    void protectOfOnePageInsideA1gLeafSplitsPudThenPmd() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(mm, G, 2 * G, 0x40000, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(G, 18, 2, 0x40000, RW_U, false, true, false)), fx.units(mm));

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.protect(mm, G, G + 4 * K, R_U, tlb));
        assertEquals(0b111, tlb.levels());
        assertEquals(G, tlb.start());
        assertEquals(2 * G, tlb.end());
        assertEquals(0, tlb.releasedCount());

        List<Unit> units = fx.units(mm);
        assertEquals(512 + 511, units.size());
        assertEquals(new Unit(G, 0, 0, 0x40000, R_U, false, true, false), units.get(0));
        assertEquals(new Unit(G + 4 * K, 0, 0, 0x40001, RW_U, false, true, false), units.get(1));
        assertEquals(new Unit(G + 2 * M, 9, 1, 0x40200, RW_U, false, true, false), units.get(512));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(mm));
        assertEquals(1L << 18, mm.rss());
        fx.audit(mm);
    }

    @Test
    void protectCoveringPartOfALeafSplitsEvenWhenNothingChanges() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(mm, 0x200000, 0x400000, 0x200, RW_U, MapPolicy.LARGEST);
        TlbGather tlb = new TlbGather();
        assertEquals(0, fx.ops.protect(mm, 0x200000, 0x201000, RW_U, tlb));
        assertEquals(0b10, tlb.levels(), "the split is recorded, no leaf change");
        assertEquals(512, fx.units(mm).size());
    }

    @Test
    void unmapOfTheLastPageSplitsA512gRootLeafOnSv48() {
        Mm mm = fx.mm(Geometries.RISCV_SV48);
        assertEquals(1L << 27, fx.ops.map(mm, 0, 512 * G, 0, RWXU, MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(0, 27, 3, 0, RWXU, false, true, false)), fx.units(mm));
        assertArrayEquals(new long[] {0, 0, 0, 1}, Fixture.tables(mm));

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.unmap(mm, 512 * G - 4 * K, 512 * G, false, tlb));
        assertEquals(0b1111, tlb.levels());
        assertEquals(0, tlb.start());
        assertEquals(512 * G, tlb.end());
        assertEquals((1L << 27) - 1, tlb.releasedPfn(0));
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(mm));
        List<Unit> units = fx.units(mm);
        assertEquals(3 * 511, units.size());
        assertEquals(new Unit(0, 18, 2, 0, RWXU, false, true, false), units.get(0));
        assertEquals(new Unit(511 * G, 9, 1, 511L << 18, RWXU, false, true, false), units.get(511));
        assertEquals(new Unit(512 * G - 2 * M, 0, 0, (1L << 27) - 512, RWXU, false, true, false),
                units.get(1022));
        assertEquals((1L << 27) - 1, mm.rss());
        fx.audit(mm);
    }

    @Test
    void unmapInsideA256tRootLeafOnSv57SplitsFourLevels() {
        Mm mm = fx.mm(Geometries.RISCV_SV57);
        fx.ops.map(mm, 0, 256 * T, 0, RWXU, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(0, 36, 4, 0, RWXU, false, true, false)), fx.units(mm));
        long va = 0x123456789000L;
        assertEquals(1, fx.ops.unmap(mm, va, va + 4 * K, false, new TlbGather()));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1}, Fixture.tables(mm));
        assertEquals(4 * 511, fx.units(mm).size());

        Translation t = new Translation();
        assertFalse(fx.ops.lookup(mm, va, t));
        assertTrue(fx.ops.lookup(mm, va - 1, t));
        assertEquals((va >>> 12) - 1, t.pfn);
        assertEquals(0, t.order);
        assertTrue(fx.ops.lookup(mm, 0x10, t));
        assertEquals(27, t.order);
        assertEquals(3, t.level);
        assertEquals(0x10, t.phys);
        assertEquals((1L << 36) - 1, mm.rss());
        fx.audit(mm);
    }

    /** Levels 4,4L,4,4: a 1M leaf at level 2, and level 1 may not hold leaves. */
    @Test
    void splitBelowALevelWithoutLeavesBuildsTablesDownToTheFirstLevelThatMay() {
        Mm mm = fx.mm(Geometries.byName("generic/12/4,4L,4,4"));
        fx.ops.map(mm, M, 2 * M, 256, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(M, 8, 2, 256, RW_U, false, true, false)), fx.units(mm));

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.unmap(mm, M + 5 * 4 * K, M + 6 * 4 * K, false, tlb));
        assertEquals(0b101, tlb.levels());
        assertEquals(256 + 5, tlb.releasedPfn(0));
        assertArrayEquals(new long[] {16, 1, 1, 1}, Fixture.tables(mm));
        List<Unit> units = fx.units(mm);
        assertEquals(255, units.size());
        assertEquals(new Unit(M + 6 * 4 * K, 0, 0, 256 + 6, RW_U, false, true, false),
                units.get(5));

        TlbGather free = new TlbGather();
        assertEquals(255, fx.ops.unmap(mm, M, 2 * M, true, free));
        assertEquals(18, free.tablesFreed());
        assertArrayEquals(new long[] {0, 0, 0, 1}, Fixture.tables(mm));
        assertEquals(0, mm.rss());
        fx.audit(mm);
    }
}

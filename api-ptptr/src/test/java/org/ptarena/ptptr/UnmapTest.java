package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.ptptr.Fixture.G;
import static org.ptarena.ptptr.Fixture.K;
import static org.ptarena.ptptr.Fixture.M;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.ptptr.Fixture.Unit;

/** unmap: table freeing, and the very top of a 63-bit space. */
class UnmapTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    private static final int R_U = Prot.R | Prot.U;
    private static final long TOP = 0x8000000000000000L;   // 2^63, the end of future/6level
    private final Fixture fx = new Fixture();

    /** Pages at 4K and 2M (two PTs under one PD) and at 1G (another PD and PT). */
    private Mm threeTables() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(mm, 0x1000, 0x2000, 1, RW_U, MapPolicy.BASE);
        fx.ops.map(mm, 0x200000, 0x201000, 2, RW_U, MapPolicy.BASE);
        fx.ops.map(mm, G, G + 4 * K, 3, RW_U, MapPolicy.BASE);
        assertArrayEquals(new long[] {3, 2, 1, 1}, Fixture.tables(mm));
        return mm;
    }

    @Test
    void unmapFreesEveryTableItEmptiesButNotOthersNorTheRoot() {
        Mm mm = threeTables();
        TlbGather tlb = new TlbGather();
        assertEquals(2, fx.ops.unmap(mm, 0, 0x201000, true, tlb));
        assertEquals(3, tlb.tablesFreed(), "both PTs and their PD; the PDPT still holds 1G");
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(mm));
        assertEquals(List.of(new Unit(G, 0, 0, 3, RW_U, false, true, false)), fx.units(mm));
        assertEquals(2, tlb.releasedCount());

        TlbGather all = new TlbGather();
        assertEquals(1, fx.ops.unmap(mm, 0, TOP >>> 16, true, all));
        assertEquals(3, all.tablesFreed());
        assertArrayEquals(new long[] {0, 0, 0, 1}, Fixture.tables(mm));
        assertEquals(512 * 8, mm.tableBytes(), "the root alone");
        fx.audit(mm);
    }

    @Test
    void withoutFreeTablesEmptyTablesStayAndALaterFreeingUnmapCollectsThem() {
        Mm mm = threeTables();
        TlbGather tlb = new TlbGather();
        assertEquals(3, fx.ops.unmap(mm, 0, 2 * G, false, tlb));
        assertEquals(0, tlb.tablesFreed());
        assertArrayEquals(new long[] {3, 2, 1, 1}, Fixture.tables(mm));
        TlbGather free = new TlbGather();
        assertEquals(0, fx.ops.unmap(mm, 0x1ff000, 0x200000, true, free));
        assertEquals(1, free.tablesFreed(), "only the empty PT whose span meets the range");
        assertArrayEquals(new long[] {2, 2, 1, 1}, Fixture.tables(mm));
        assertFalse(free.isEmpty());
        assertEquals(0, free.levels(), "no leaf touched");
        fx.audit(mm);
    }

    @Test
    void aSplitFailingAtTheEndOfTheRangeFreesNoTableButKeepsTheZap() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(mm, 0x1000, 0x2000, 1, RW_U, MapPolicy.BASE);
        fx.ops.map(mm, 0x400000, 0x600000, 0x400, RW_U, MapPolicy.LARGEST);
        fx.arena.failAfter(1);      // the split of the 2M leaf at the end of the range
        assertThrows(OutOfTablesException.class,
                () -> fx.ops.unmap(mm, 0, 0x401000, true, new TlbGather()));
        assertEquals(List.of(new Unit(0x400000, 9, 1, 0x400, RW_U, false, true, false)),
                fx.units(mm));
        assertEquals(512, mm.rss());
        assertArrayEquals(new long[] {1, 1, 1, 1}, Fixture.tables(mm), "the emptied PT stays");
        fx.audit(mm);
    }

    @Test
    void aRangeEndingAtTheTopOf63BitsMapsSplitsAndUnmaps() {
        Mm mm = fx.mm(Geometries.FUTURE_6LEVEL);
        assertEquals(63, mm.geometry().vaBits());
        assertEquals(1024, fx.ops.map(mm, TOP - 4 * M, TOP, 0x1000, RW_U, MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(TOP - 4 * M, 9, 1, 0x1000, RW_U, false, true, false),
                new Unit(TOP - 2 * M, 9, 1, 0x1200, RW_U, false, true, false)),
                fx.units(mm, TOP - 8 * M, TOP));

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.unmap(mm, TOP - 4 * K, TOP, true, tlb));
        assertEquals(TOP, tlb.end());
        assertEquals(TOP - 2 * M, tlb.start());
        assertEquals(1 + 511, fx.units(mm).size());

        assertEquals(1, fx.ops.protect(mm, TOP - 8 * K, TOP, R_U, new TlbGather()));
        Translation t = new Translation();
        assertTrue(fx.ops.lookup(mm, TOP - 8 * K + 5, t));
        assertEquals(0x1200 + 510, t.pfn);
        assertEquals(R_U, t.prot);
        assertFalse(fx.ops.lookup(mm, TOP - 1, t));
        assertTrue(fx.ops.touch(mm, TOP - 8 * K, false));
        assertFalse(fx.ops.touch(mm, TOP - 8 * K, true), "read-only: a write faults");

        TlbGather all = new TlbGather();
        assertEquals(1023, fx.ops.unmap(mm, 0, TOP, true, all));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1}, Fixture.tables(mm));
        assertEquals(TOP - 4 * K, all.end(), "the last page went in the first unmap");
        fx.audit(mm);
    }

    @Test
    void a512gLeafAtTheTopOfA6LevelSpace() {
        Mm mm = fx.mm(Geometries.FUTURE_6LEVEL);
        long span = 512 * G;
        assertEquals(span >>> 12, fx.ops.map(mm, TOP - span, TOP, 1L << 27, RW_U,
                MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(TOP - span, 27, 3, 1L << 27, RW_U, false, true, false)),
                fx.units(mm));
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1}, Fixture.tables(mm));
        assertEquals(span >>> 12, fx.ops.unmap(mm, TOP - span, TOP, true, new TlbGather()));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1}, Fixture.tables(mm));
    }
}

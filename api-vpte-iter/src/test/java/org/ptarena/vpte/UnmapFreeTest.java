package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Table freeing through the post-order table visit, and map's own failure paths. */
class UnmapFreeTest {
    private static final int RW = Prot.R | Prot.W | Prot.U;
    private static final Geometry X86 = Geometries.X86_64_4LEVEL;
    private final VpteOps ops = new VpteOps();

    @Test
    void unmapFreesEmptyTablesButNeverTheRoot() {
        Mm mm = Fixture.mm(X86);
        ops.map(mm, 0x1000, 0x3000, 0x1, RW, MapPolicy.BASE);
        TlbGather tlb = new TlbGather();
        assertEquals(2, ops.unmap(mm, 0x1000, 0x3000, true, tlb));
        assertEquals(3, tlb.tablesFreed());
        assertEquals(2, tlb.releasedCount());
        assertEquals(List.of("tables 0 0", "tables 1 0", "tables 2 0", "tables 3 1"),
                Fixture.dump(mm).subList(1, 5));
        Fixture.audit(mm);
    }

    @Test
    void aTableStillHoldingEntriesOutsideTheRangeStays() {
        Mm mm = Fixture.mm(X86);
        ops.map(mm, 0x1000, 0x3000, 0x1, RW, MapPolicy.BASE);
        TlbGather tlb = new TlbGather();
        assertEquals(1, ops.unmap(mm, 0x2000, 0x3000, true, tlb));
        assertEquals(0, tlb.tablesFreed());
        assertEquals(1, mm.tables(0));
    }

    @Test
    void anEmptyTableWhoseSpanOnlyMeetsTheRangeIsFreedAndItsParentsWithIt() {
        Mm mm = Fixture.mm(X86);
        ops.map(mm, 0x600000, 0x601000, 0x1, RW, MapPolicy.BASE);
        ops.map(mm, 0x40000000, 0x40001000, 0x2, RW, MapPolicy.BASE);
        ops.unmap(mm, 0x600000, 0x601000, false, new TlbGather());
        assertEquals(2, mm.tables(0));
        TlbGather tlb = new TlbGather();
        assertEquals(0, ops.unmap(mm, 0x7ff000, 0x800000, true, tlb));
        // the empty PT, and then the PD for [0, 1G), which held nothing else; the PDPT holds
        // the PD for [1G, 2G) and stays
        assertEquals(2, tlb.tablesFreed());
        assertEquals(1, mm.tables(0));
        assertEquals(1, mm.tables(1));
        assertEquals(1, mm.tables(2));
        ops.unmap(mm, 0x40000000, 0x40001000, true, tlb);
        assertEquals(0, mm.tables(0) + mm.tables(1) + mm.tables(2));
        Fixture.audit(mm);
    }

    @Test
    void withoutFreeEveryTableStays() {
        Mm mm = Fixture.mm(X86);
        ops.map(mm, 0, 1L << 30, 0, RW, MapPolicy.BASE);
        TlbGather tlb = new TlbGather();
        assertEquals(1L << 18, ops.unmap(mm, 0, 1L << 30, false, tlb));
        assertEquals(0, tlb.tablesFreed());
        assertEquals(512, mm.tables(0));
        assertEquals(1L << 18, tlb.releasedCount());
        assertEquals(0, mm.rss());
    }

    @Test
    void mapRefusesAMappedRangeNamingItsFirstMappedAddress() {
        Mm mm = Fixture.mm(X86);
        ops.map(mm, 0x200000, 0x400000, 0x200, RW, MapPolicy.LARGEST);
        List<String> before = Fixture.dump(mm);
        OverlapException ex = assertThrows(OverlapException.class,
                () -> ops.map(mm, 0x1000, 0x300000, 0x1, RW, MapPolicy.BASE));
        assertEquals("map: 0x200000 is already mapped", ex.getMessage());
        ex = assertThrows(OverlapException.class,
                () -> ops.map(mm, 0x300000, 0x301000, 0x1, RW, MapPolicy.BASE));
        assertEquals("map: 0x300000 is already mapped", ex.getMessage());
        assertEquals(before, Fixture.dump(mm));
    }

    @Test
    void argumentsAreCheckedRangeThenProtThenPfns() {
        Mm mm = Fixture.mm(X86);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ops.map(mm, 0x1800, 0x2000, -1, 0x40, MapPolicy.BASE));
        assertEquals(true, ex.getMessage().startsWith("map: start 0x1800"));
        ex = assertThrows(IllegalArgumentException.class,
                () -> ops.map(mm, 0x1000, 0x2000, -1, 0x40, MapPolicy.BASE));
        assertEquals(true, ex.getMessage().startsWith("map: prot 64"));
        ex = assertThrows(IllegalArgumentException.class,
                () -> ops.map(mm, 0x1000, 0x2000, -1, RW, MapPolicy.BASE));
        assertEquals(true, ex.getMessage().startsWith("map: pfn"));
        assertEquals(0, mm.tables(0));
    }

    @Test
    void aMapFailingPartWayRemovesItsLeavesAndKeepsItsTables() {
        for (int k = 1; k <= 4; k++) {
            Arena arena = new Arena();
            Mm mm = new Mm(X86, arena);
            // PDPT, PD, PT for [0x1ff000, 0x200000), then a second PT for 0x200000
            arena.failAfter(k);
            assertThrows(OutOfTablesException.class,
                    () -> ops.map(mm, 0x1ff000, 0x202000, 0x10, RW, MapPolicy.LARGEST));
            assertEquals(0, mm.rss());
            assertEquals(List.of(), Fixture.walk(ops, mm, 0, X86.vaEnd()));
            assertEquals(k - 1, mm.tables(0) + mm.tables(1) + mm.tables(2));
            Fixture.audit(mm);
        }
    }
}

package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.ptptr.Fixture.K;
import static org.ptarena.ptptr.Fixture.M;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.ptptr.Fixture.Unit;

/** map: unit choice per policy, refusal before any change, and undo on allocation failure. */
class MapTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    private final Fixture fx = new Fixture();

    @Test
    void largestNeedsAddressAndPfnAlignedBaseNeverGoesAboveLevel0() {
        Geometry g = Geometries.X86_64_4LEVEL;
        Mm base = fx.mm(g);
        assertEquals(1024, fx.ops.map(base, 0, 4 * M, 0x400, RW_U, MapPolicy.BASE));
        assertEquals(1024, fx.units(base).size());
        Mm largest = fx.mm(g);
        fx.ops.map(largest, 0, 4 * M, 0x400, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(0, 9, 1, 0x400, RW_U, false, true, false),
                new Unit(2 * M, 9, 1, 0x600, RW_U, false, true, false)), fx.units(largest));
        Mm misaligned = fx.mm(g);
        fx.ops.map(misaligned, 0, 4 * M, 0x401, RW_U, MapPolicy.LARGEST);
        assertEquals(1024, fx.units(misaligned).size());
    }

    @Test
    void largestTakesAHugeLeafThenARunForTheRest() {
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(mm, 0, 2 * M + 64 * K, 0, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(0, 9, 1, 0, RW_U, false, true, false),
                new Unit(2 * M, 4, 0, 512, RW_U, true, true, false)), fx.units(mm));
    }

    @Test
    void anEmptyTableIsDescendedIntoAndKeepsARunFromUsingItsSlot() {
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(mm, 34 * M, 34 * M + 4 * K, 5, RW_U, MapPolicy.BASE);
        fx.ops.unmap(mm, 34 * M, 34 * M + 4 * K, false, new TlbGather());
        assertEquals(8192, fx.ops.map(mm, 32 * M, 64 * M, 0x2000, RW_U, MapPolicy.LARGEST));
        List<Unit> units = fx.units(mm);
        assertEquals(1 + 32 + 14, units.size());
        assertEquals(new Unit(32 * M, 9, 1, 0x2000, RW_U, false, true, false), units.get(0));
        assertEquals(new Unit(34 * M, 4, 0, 0x2200, RW_U, true, true, false), units.get(1));
        assertEquals(new Unit(36 * M, 9, 1, 0x2400, RW_U, false, true, false), units.get(33));
        fx.audit(mm);
    }

    @Test
    void anOverlappingMapIsRefusedNamingTheFirstMappedAddressAndChangesNothing() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.ops.map(mm, 0x200000, 0x400000, 0x200, RW_U, MapPolicy.LARGEST);
        long allocations = fx.arena.allocations();
        OverlapException a = assertThrows(OverlapException.class,
                () -> fx.ops.map(mm, 0x100000, 0x202000, 0, RW_U, MapPolicy.BASE));
        assertEquals("map: 0x200000 is already mapped", a.getMessage());
        OverlapException b = assertThrows(OverlapException.class,
                () -> fx.ops.map(mm, 0x201000, 0x202000, 0, RW_U, MapPolicy.BASE));
        assertEquals("map: 0x201000 is already mapped", b.getMessage());
        assertEquals(allocations, fx.arena.allocations());
        assertEquals(512, mm.rss());
        assertEquals(1, fx.units(mm).size());
    }

    @Test
    void argumentsAreCheckedRangeFirstThenProtThenPfns() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> fx.ops.map(mm, 0x1001, 0x2000, -1, 0x10, MapPolicy.BASE));
        assertTrue(range.getMessage().startsWith("map: start 0x1001"), range.getMessage());
        IllegalArgumentException prot = assertThrows(IllegalArgumentException.class,
                () -> fx.ops.map(mm, 0x1000, 0x2000, -1, 0x10, MapPolicy.BASE));
        assertTrue(prot.getMessage().startsWith("map: prot"), prot.getMessage());
        IllegalArgumentException pfn = assertThrows(IllegalArgumentException.class,
                () -> fx.ops.map(mm, 0x1000, 0x2000, -1, RW_U, MapPolicy.BASE));
        assertTrue(pfn.getMessage().startsWith("map: pfn"), pfn.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> fx.ops.map(mm, 0, (1L << 48) + 4 * K, 0, RW_U, MapPolicy.BASE));
        assertEquals(1, fx.ops.map(mm, (1L << 48) - 4 * K, 1L << 48, 0, RW_U, MapPolicy.BASE));
        assertThrows(IllegalArgumentException.class, () -> fx.ops.lookup(mm, 1L << 48,
                new Translation()));
        assertThrows(IllegalArgumentException.class,
                () -> fx.ops.unmap(mm, 0x2000, 0x1000, false, new TlbGather()));
    }

    @Test
    void anAllocationFailureRemovesTheInstalledLeavesAndKeepsTheTables() {
        Mm mm = fx.mm(Geometries.X86_64_4LEVEL);
        fx.arena.failAfter(5);      // PDPT, PD, two PTs, then the third PT fails
        assertThrows(OutOfTablesException.class,
                () -> fx.ops.map(mm, 0, 4 * M + 4 * K, 0, RW_U, MapPolicy.BASE));
        assertEquals(List.of(), fx.units(mm));
        assertEquals(0, mm.rss());
        assertArrayEquals(new long[] {2, 1, 1, 1}, Fixture.tables(mm));

        Mm huge = fx.mm(Geometries.X86_64_4LEVEL);
        fx.arena.failAfter(3);      // PDPT, PD, two 2M leaves, then the PT fails
        assertThrows(OutOfTablesException.class,
                () -> fx.ops.map(huge, 0, 4 * M + 4 * K, 0, RW_U, MapPolicy.LARGEST));
        assertEquals(List.of(), fx.units(huge));
        assertEquals(0, huge.rss());
        assertArrayEquals(new long[] {0, 1, 1, 1}, Fixture.tables(huge));
        fx.audit(mm, huge);
    }

    @Test
    void protNoneStaysMappedIsFoundAndFaultsOnTouch() {
        for (Geometry g : List.of(Geometries.X86_64_4LEVEL, Geometries.ARM64_4K_48,
                Geometries.RISCV_SV39, Geometries.POWER_RADIX_4K)) {
            Mm mm = fx.mm(g);
            long page = g.pageSize();
            fx.ops.map(mm, page, 3 * page, 7, Prot.U, MapPolicy.BASE);
            assertEquals(List.of(new Unit(page, 0, 0, 7, Prot.NONE, false, true, false),
                    new Unit(2 * page, 0, 0, 8, Prot.NONE, false, true, false)), fx.units(mm),
                            g.name());
            Translation t = new Translation();
            assertTrue(fx.ops.lookup(mm, page, t), g.name());
            assertEquals(Prot.NONE, t.prot);
            assertFalse(fx.ops.touch(mm, page, false), g.name());
            assertThrows(OverlapException.class,
                    () -> fx.ops.map(mm, 0, 2 * page, 0, RW_U, MapPolicy.BASE), g.name());
            assertEquals(2, fx.ops.unmap(mm, 0, 4 * page, true, new TlbGather()), g.name());
        }
    }
}

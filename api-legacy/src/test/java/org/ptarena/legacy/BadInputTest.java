package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.legacy.Fixture.M;
import static org.ptarena.legacy.Fixture.RW;

import org.junit.jupiter.api.Test;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Translation;

/** Refusals change nothing; a failed allocation leaves no leaf of the failed map behind. */
class BadInputTest {

    @Test
    void argumentsAreCheckedFirstAndNameTheValue() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> w.ops.map(mm, 0x1001, 0x2000, 0, 0x100, MapPolicy.BASE));
        assertTrue(range.getMessage().contains("0x1001"), range.getMessage());
        IllegalArgumentException prot = assertThrows(IllegalArgumentException.class,
                () -> w.ops.map(mm, 0x1000, 0x2000, 0, 0x100, MapPolicy.BASE));
        assertTrue(prot.getMessage().contains("prot"), prot.getMessage());
        IllegalArgumentException pfn = assertThrows(IllegalArgumentException.class,
                () -> w.ops.map(mm, 0x1000, 0x3000, (1L << 40) - 1, RW, MapPolicy.BASE));
        assertTrue(pfn.getMessage().contains("pfn"), pfn.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> w.ops.unmap(mm, 0x2000, 0x1000, true, w.tlb));
        assertThrows(IllegalArgumentException.class,
                () -> w.ops.protect(mm, 0, 1L << 49, RW, w.tlb));
        assertThrows(IllegalArgumentException.class,
                () -> w.ops.walk(mm, 0, 0, (a, o, l, e) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> w.ops.lookup(mm, 1L << 48, new Translation()));
        assertThrows(IllegalArgumentException.class, () -> w.ops.touch(mm, -1L, false));
        assertThrows(IllegalArgumentException.class,
                () -> w.ops.copy(mm, mm, 0, 0x1000, true, w.tlb));
        w.expectTables(mm, 1, 0, 0, 0);
        assertEquals(0, w.arena.allocations() - 1);
    }

    @Test
    void anOverlappingMapNamesTheFirstMappedAddressAndChangesNothing() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, 3 * M, 2 * M, 0x300, RW, false);
        long allocations = w.arena.allocations();
        OverlapException ex = assertThrows(OverlapException.class,
                () -> w.ops.map(mm, 0, 4 * M, 0, RW, MapPolicy.LARGEST));
        assertEquals(OverlapException.mapped("map", 3 * M).getMessage(), ex.getMessage());
        assertEquals(allocations, w.arena.allocations());
        assertEquals(512, mm.rss());
        w.expectNone(mm, 0);
    }

    @Test
    void aFailedMapRemovesItsLeavesAndKeepsItsTables() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.arena.failAfter(4);   // PDPT, PD, first PT, then the second PT fails
        assertThrows(OutOfTablesException.class, () -> w.map(mm, M, 2 * M, 0x100, RW, false));
        assertEquals(0, mm.rss());
        w.expectNone(mm, M);
        w.expectTables(mm, 1, 1, 1, 1);
        // the same map then goes through, into the tables already there
        assertEquals(512, w.map(mm, M, 2 * M, 0x100, RW, false));
        w.expectOrder(mm, 3 * M - 0x1000, 0, 0x2ff);
    }
}

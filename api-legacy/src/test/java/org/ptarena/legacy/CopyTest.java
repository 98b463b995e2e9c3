package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.legacy.Fixture.G;
import static org.ptarena.legacy.Fixture.K;
import static org.ptarena.legacy.Fixture.M;
import static org.ptarena.legacy.Fixture.RO;
import static org.ptarena.legacy.Fixture.RW;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;

/** fork's copy_page_range on arm64 4K/39-bit: both trees at once, cow and shared. */
class CopyTest {
    private static final int RX = Prot.R | Prot.X | Prot.U;
    private Fixture w;
    private Mm parent;

    @BeforeEach
    void parentWithARunABlockAPageAndAnEmptyTable() {
        w = new Fixture("arm64/4k-39");
        parent = w.mm();
        w.map(parent, M, 64 * K, 0x100, RW, true);
        w.map(parent, 2 * M, 2 * M, 0x200, RW, true);
        w.map(parent, 4 * M, 8 * K, 0x400, Prot.X | Prot.U, false);
        w.map(parent, 6 * M, 4 * K, 0x600, RW, false);
        w.unmap(parent, 6 * M, 4 * K, false);
        w.ops.touch(parent, M + 0x3000, true);
        w.ops.touch(parent, 2 * M, true);
        w.expectTables(parent, 1, 1, 3);
        assertEquals(530, parent.rss());
    }

    @Test
    void sharedCopyIsOldAndCleanAndLeavesTheSourceAlone() {
        Mm child = w.mm();
        w.tlb.reset();
        assertEquals(530, w.ops.copy(child, parent, 0, G, false, w.tlb));
        w.expect(child, M, 4, 0x100, RW, false, false);
        w.expect(child, M + 0xf000, 4, 0x10f, RW, false, false);
        w.expect(child, 2 * M, 9, 0x200, RW, false, false);
        w.expect(child, 4 * M + 0x1000, 0, 0x401, RX, false, false);
        w.expectNone(child, 6 * M);
        w.expect(parent, M, 4, 0x100, RW, true, true);
        w.expect(parent, 2 * M, 9, 0x200, RW, true, true);
        assertEquals(530, child.rss());
        w.expectTables(child, 1, 1, 3);
        assertTrue(w.tlb.isEmpty());
    }

    @Test
    void cowCopyWriteProtectsBothAndTheChildKeepsTheRunsDirty() {
        Mm child = w.mm();
        w.tlb.reset();
        assertEquals(530, w.ops.copy(child, parent, 0, G, true, w.tlb));
        w.expect(parent, M, 4, 0x100, RO, true, true);
        w.expect(parent, 2 * M, 9, 0x200, RO, true, true);
        w.expect(parent, 4 * M, 0, 0x400, RX, true, false);
        w.expect(child, M, 4, 0x100, RO, false, true);
        w.expect(child, 2 * M, 9, 0x200, RO, false, true);
        w.expect(child, 4 * M, 0, 0x400, RX, false, false);
        w.expectTables(child, 1, 1, 3);
        // the run and the block were writable: one change each in the source's gather
        assertEquals(0b11, w.tlb.levels());
        assertEquals(M, w.tlb.start());
        assertEquals(4 * M, w.tlb.end());
        // in the child every entry of the run is dirty; in the parent only the one touched
        assertTrue(w.ops.touch(child, M, false));
        assertFalse(w.ops.touch(child, M, true), "a write to a cow page faults");
    }

    @Test
    void aCopyOfPartOfASourceBlockSplitsItFirst() {
        Mm child = w.mm();
        w.tlb.reset();
        assertEquals(256, w.ops.copy(child, parent, 3 * M, 4 * M, false, w.tlb));
        w.expect(parent, 2 * M, 0, 0x200, RW, true, true);
        w.expect(parent, 4 * M - 0x1000, 0, 0x3ff, RW, true, true);
        w.expect(child, 3 * M, 0, 0x300, RW, false, false);
        w.expectNone(child, 3 * M - 0x1000);
        w.expectTables(child, 1, 1, 1);
        w.expectTables(parent, 1, 1, 4);
        assertEquals(0b10, w.tlb.levels(), "the split is recorded in the source's gather");
    }

    @Test
    void aDestinationThatIsNotEmptyRefusesTheCopy() {
        Mm child = w.mm();
        w.ops.copy(child, parent, M, M + 64 * K, false, w.tlb);
        OverlapException leaf = assertThrows(OverlapException.class,
                () -> w.ops.copy(child, parent, M - 64 * K, 2 * M, true, w.tlb));
        assertEquals(OverlapException.mapped("copy", M).getMessage(), leaf.getMessage());
        // ascending and top-down: the L2 table spanning [0, 1G) comes before the run inside it
        OverlapException table = assertThrows(OverlapException.class,
                () -> w.ops.copy(child, parent, 0, G, true, w.tlb));
        assertEquals(OverlapException.table("copy", 0).getMessage(), table.getMessage());
        w.expect(parent, M, 4, 0x100, RW, true, true);
        w.unmap(child, M, 64 * K, false);
        // a table whose span only meets the range does not refuse it
        assertEquals(16, w.ops.copy(child, parent, M, 2 * M, false, w.tlb));
        w.expect(parent, M, 4, 0x100, RW, true, true);
    }

    @Test
    void aFailedAllocationRemovesWhatWasCopiedAndKeepsTheTables() {
        Mm child = w.mm();
        w.arena.failAfter(3);   // the L2 table, the first L3 table, then the second L3 table fails
        assertThrows(OutOfTablesException.class,
                () -> w.ops.copy(child, parent, 0, G, true, w.tlb));
        assertEquals(0, child.rss());
        w.expectNone(child, M);
        w.expectTables(child, 1, 1, 1);
        // the source keeps what was done to it: the run before the failure was write-protected
        w.expect(parent, M, 4, 0x100, RO, true, true);
        w.expect(parent, 2 * M, 9, 0x200, RO, true, true);
    }
}

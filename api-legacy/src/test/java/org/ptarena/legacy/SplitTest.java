package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptarena.legacy.Fixture.G;
import static org.ptarena.legacy.Fixture.M;
import static org.ptarena.legacy.Fixture.RO;
import static org.ptarena.legacy.Fixture.RW;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Mm;

/** Huge leaves covered in part are split before the operation goes on, at every level. */
class SplitTest {

    @Test
    void unmapOfOnePageSplitsAPmdLeaf() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, 2 * M, 2 * M, 0x200, RW, true);
        w.expectOrder(mm, 2 * M, 9, 0x200);
        w.expectTables(mm, 1, 1, 1, 0);

        assertEquals(1, w.unmap(mm, 2 * M + 0x1000, 0x1000, false));
        w.expect(mm, 2 * M, 0, 0x200, RW, true, false);
        w.expectNone(mm, 2 * M + 0x1000);
        w.expect(mm, 2 * M + 0x2000, 0, 0x202, RW, true, false);
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(511, mm.rss());
        // the split records the 2M leaf at level 1, the unmap the page at level 0
        assertEquals(0b11, w.tlb.levels());
        assertEquals(2 * M, w.tlb.start());
        assertEquals(4 * M, w.tlb.end());
        assertEquals(1, w.tlb.releasedCount());
        assertEquals(0x201, w.tlb.releasedPfn(0));
        assertEquals(0, w.tlb.releasedOrder(0));
    }

    @Test
    void unmapStartingInsideAPudLeafSplitsItThenThePmdLeafBelow() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, G, G, 0x40000, RW, true);
        w.expectOrder(mm, G, 18, 0x40000);
        w.expectTables(mm, 1, 1, 0, 0);

        assertEquals(511, w.unmap(mm, G + 2 * M + 0x1000, 2 * M - 0x1000, false));
        w.expectOrder(mm, G, 9, 0x40000);
        w.expectOrder(mm, G + 2 * M, 0, 0x40200);
        w.expectNone(mm, G + 2 * M + 0x1000);
        w.expectNone(mm, G + 4 * M - 0x1000);
        w.expectOrder(mm, G + 4 * M, 9, 0x40400);
        w.expectOrder(mm, 2 * G - 2 * M, 9, 0x7fe00);
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals((1 << 18) - 511, mm.rss());
        assertEquals(0b111, w.tlb.levels());
    }

    @Test
    void protectOfPartOfALeafSplitsEvenWhenTheProtStaysTheSame() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, 8 * M, 2 * M, 0x800, RW, true);
        assertEquals(0, w.protect(mm, 8 * M, 0x1000, RW));
        w.expectOrder(mm, 8 * M, 0, 0x800);
        w.expectOrder(mm, 10 * M - 0x1000, 0, 0x9ff);
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(0b10, w.tlb.levels(), "only the split is flushed");
    }

    @Test
    void aRootLeafOnSv48SplitsDownThreeLevels() {
        Fixture w = new Fixture("riscv/sv48");
        Mm mm = w.mm();
        long t512 = 1L << 39;
        w.map(mm, t512, t512, 1L << 27, RW, true);
        w.expectOrder(mm, t512, 27, 1L << 27);
        w.expectTables(mm, 1, 0, 0, 0);

        assertEquals(1, w.protect(mm, t512, 0x1000, RO));
        w.expect(mm, t512, 0, 1L << 27, RO, true, false);
        w.expect(mm, t512 + 0x1000, 0, (1L << 27) + 1, RW, true, false);
        w.expectOrder(mm, t512 + 2 * M, 9, (1L << 27) + 512);
        w.expectOrder(mm, t512 + G, 18, (1L << 27) + (1 << 18));
        w.expectOrder(mm, 2 * t512 - G, 18, (1L << 28) - (1 << 18));
        w.expectTables(mm, 1, 1, 1, 1);
        assertEquals(0b1111, w.tlb.levels());
        assertEquals(1L << 27, mm.rss());
    }

    @Test
    void aRootLeafOnSv57IsAPgdLeaf() {
        Fixture w = new Fixture("riscv/sv57");
        Mm mm = w.mm();
        long t256 = 1L << 48;
        w.map(mm, t256, t256, 0, RW, true);
        w.expectOrder(mm, t256 + 0x5000, 36, 5);
        w.expectTables(mm, 1, 0, 0, 0, 0);
        assertEquals(List.of("0x1000000000000/36/4"), w.walk(mm, 0, 1L << 57));
        assertEquals(1L << 36, w.unmap(mm, t256, t256, true));
        w.expectTables(mm, 1, 0, 0, 0, 0);
        assertEquals(1, w.tlb.releasedCount());
        assertEquals(36, w.tlb.releasedOrder(0));
    }

    /** Level 1 may not hold leaves here: a split 1G leaf becomes a table of PTE tables. */
    @Test
    void splitThroughAMiddleLevelThatMayNotHoldLeaves() {
        Fixture w = new Fixture("generic/12/9,9L,9,9");
        Mm mm = w.mm();
        w.map(mm, G, G, 0x40000, RW, true);
        w.expectOrder(mm, G, 18, 0x40000);
        w.expectTables(mm, 1, 1, 0, 0);

        assertEquals(1, w.unmap(mm, G + 2 * M, 0x1000, false));
        w.expectOrder(mm, G, 0, 0x40000);
        w.expectNone(mm, G + 2 * M);
        w.expectOrder(mm, G + 2 * M + 0x1000, 0, 0x40201);
        w.expectOrder(mm, 2 * G - 0x1000, 0, 0x7ffff);
        w.expectTables(mm, 1, 1, 1, 512);
        assertEquals((1 << 18) - 1, mm.rss());

        // a 2M-aligned map gets base pages: level 1 may not hold a leaf
        w.map(mm, 4 * G, 2 * M, 0x200, RW, true);
        w.expectOrder(mm, 4 * G, 0, 0x200);
    }

    @Test
    void walkLookupAndTouchNeverSplit() {
        Fixture w = new Fixture("x86-64/4level");
        Mm mm = w.mm();
        w.map(mm, 2 * M, 2 * M, 0x200, RW, true);
        assertEquals(List.of("0x200000/9/1"), w.walk(mm, 3 * M, 3 * M + 0x1000));
        w.ops.touch(mm, 3 * M, true);
        w.expect(mm, 3 * M + 0x10, 9, 0x300, RW, true, true);
        assertEquals(0x300010L, w.lookup(mm, 3 * M + 0x10).phys);
        w.expectTables(mm, 1, 1, 1, 0);
    }
}

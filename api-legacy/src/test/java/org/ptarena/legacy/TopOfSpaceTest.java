package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ptarena.legacy.Fixture.RO;
import static org.ptarena.legacy.Fixture.RW;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Mm;

/** Ranges ending at the very top of the space, where end may be 2^63 and reads negative. */
class TopOfSpaceTest {

    @Test
    void aSixtyThreeBitSpaceEndsAtLongMinValue() {
        Fixture w = new Fixture("generic/12/12,13,13,12,1");
        assertEquals(63, w.geometry.vaBits());
        Mm mm = w.mm();
        long end = w.geometry.vaEnd();
        assertEquals(Long.MIN_VALUE, end);
        long top = end - 0x4000;
        assertEquals(4, w.ops.map(mm, top, end, 0x1234, RW, org.ptarena.core.MapPolicy.LARGEST));
        w.expectOrder(mm, end - 0x1000, 0, 0x1237);
        w.expectTables(mm, 1, 1, 1, 1, 2);
        assertEquals(List.of("0x7fffffffffffc000/0/0", "0x7fffffffffffd000/0/0",
                "0x7fffffffffffe000/0/0", "0x7ffffffffffff000/0/0"), w.walk(mm, 0, end));
        w.tlb.reset();
        assertEquals(2, w.ops.protect(mm, end - 0x2000, end, RO, w.tlb));
        assertEquals(end, w.tlb.end());
        w.tlb.reset();
        assertEquals(4, w.ops.unmap(mm, 0, end, true, w.tlb));
        assertEquals(end, w.tlb.end());
        w.expectTables(mm, 1, 0, 0, 0, 0);
    }

    @Test
    void aRunAtTheTopOfAFiftySevenBitSpace() {
        Fixture w = new Fixture("generic/12/9L,9L,9L,9Lc16,9c16");
        assertEquals(57, w.geometry.vaBits());
        Mm mm = w.mm();
        long end = w.geometry.vaEnd();
        long run = 16L << 21;                                        // 16 PMD leaves of 2M
        long pfn = (1L << 13) - 16;                                  // the 2M run gets pfn 2^13
        assertEquals(run / 0x1000 + 16, w.ops.map(mm, end - run - 0x10000, end, pfn,
                RW, org.ptarena.core.MapPolicy.LARGEST));
        w.expectOrder(mm, end - run - 0x10000, 4, pfn);
        w.expectOrder(mm, end - 0x1000, 13, (1L << 13) + run / 0x1000 - 1);
        assertEquals(2, w.walk(mm, end - run - 0x10000, end).size());
        assertEquals(1, w.unmap(mm, end - 0x1000, 0x1000, false));
        w.expectOrder(mm, end - 0x2000, 0, (1L << 13) + run / 0x1000 - 2);
        w.expectOrder(mm, end - run, 9, 1L << 13);
        assertEquals(1 + 15 + 511, w.walk(mm, 0, end).size());   // the run, 15 blocks, 511 pages
        assertEquals(run / 0x1000 + 15, w.unmap(mm, 0, end, true));
        w.expectTables(mm, 1, 0, 0, 0, 0);
    }

    @Test
    void aRootLeafOfAFiveLevelSpaceReachingTheTop() {
        Fixture w = new Fixture("generic/12/9L,9L,9L,9L,9");
        Mm mm = w.mm();
        long end = w.geometry.vaEnd();
        long slot = 1L << 48;
        w.ops.map(mm, end - slot, end, 1L << 36, RW, org.ptarena.core.MapPolicy.LARGEST);
        w.expectOrder(mm, end - 1, 36, (1L << 37) - 1);
        w.expectTables(mm, 1, 0, 0, 0, 0);
        w.tlb.reset();
        assertEquals(1, w.ops.protect(mm, end - 0x1000, end, RO, w.tlb));
        w.expectTables(mm, 1, 1, 1, 1, 1);
        w.expect(mm, end - 0x1000, 0, (1L << 37) - 1, RO, true, false);
        w.expectOrder(mm, end - slot, 27, 1L << 36);
    }
}

package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * No allocation per step in steady state: after a warm-up, a round of every operation over a
 * range of runs, huge leaves and base pages allocates (almost) nothing on the Java heap, where
 * one object per entry would cost tens of kilobytes per round.
 */
class AllocationTest {
    private static final int ROUNDS = 40;

    @Test
    void everyOperationRunsWithoutAllocatingPerEntry() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Fixture w = new Fixture("arm64/4k-48");
        Mm mm = w.mm();
        Mm child = w.mm();
        long start = 1L << 30;
        long end = start + (64L << 20);                      // runs of blocks, pages, blocks
        w.ops.map(mm, start, start + (32L << 20), 0x40000, Fixture.RW, MapPolicy.LARGEST);
        long pagesAt = start + (32L << 20);                  // 1M of base pages
        w.ops.map(mm, pagesAt, pagesAt + (1L << 20), 0x50000, Fixture.RW, MapPolicy.BASE);
        w.ops.map(mm, start + (34L << 20), end, 0x60000, Fixture.RW, MapPolicy.LARGEST);
        Translation t = new Translation();
        long[] visits = new long[1];
        WalkVisitor visitor = (a, o, l, e) -> visits[0]++;

        long thread = Thread.currentThread().getId();
        long before = 0;
        long pages = 0;
        for (int round = 0; round < 2 * ROUNDS; round++) {
            if (round == ROUNDS) before = threads.getThreadAllocatedBytes(thread);
            w.tlb.reset();
            pages += w.ops.protect(mm, start, end, round % 2 == 0 ? Fixture.RO : Fixture.RW, w.tlb);
            pages += w.ops.walk(mm, start, end, visitor);
            w.ops.lookup(mm, start + 0x123000, t);
            w.ops.touch(mm, start + (32L << 20), false);
            w.tlb.reset();
            pages += w.ops.copy(child, mm, start, end, false, w.tlb);
            w.tlb.reset();
            pages += w.ops.unmap(child, start, end, true, w.tlb);
            pages += w.ops.unmap(mm, pagesAt, pagesAt + (1L << 20), false, w.tlb);
            pages += w.ops.map(mm, pagesAt, pagesAt + (1L << 20), 0x50000, Fixture.RW,
                    MapPolicy.BASE);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(pages > 0 && visits[0] > 0);
        assertEquals(0, child.rss());
        assertTrue(allocated < 4096, allocated + " bytes allocated in " + ROUNDS + " rounds");
    }
}

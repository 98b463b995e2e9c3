package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * (ptr, lvl) travel as two ints and each operation object is reused, so a steady-state operation
 * allocates nothing at all — interpreted or compiled, whatever escape analysis decides.
 */
class AllocationTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    /** How far move goes there and back: aligned (tables move whole), then by one page more. */
    private static final long[] MOVES = {Fixture.G, Fixture.G + 0x1000};
    private long sink;

    @Test
    void steadyStateOperationsAllocateNothing() {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Fixture fx = new Fixture();
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        Mm child = fx.mm(Geometries.ARM64_4K_48);
        long start = 0x400000;
        long end = start + 4 * Fixture.M + 0x30000;
        TlbGather tlb = new TlbGather();
        Translation t = new Translation();
        WalkVisitor visitor = (addr, order, level, e) -> sink += addr ^ e;
        Runnable round = () -> {
            sink += fx.ops.map(mm, start, end, 0x400, RW_U, MapPolicy.LARGEST);
            tlb.reset();
            sink += fx.ops.protect(mm, start + 0x1000, end, Prot.R | Prot.U, tlb);
            tlb.reset();
            sink += fx.ops.copy(child, mm, start, end, true, tlb);
            sink += fx.ops.walk(mm, start, end, visitor);
            sink += fx.ops.lookup(mm, start + 0x5123, t) ? t.pfn : 0;
            sink += fx.ops.touch(mm, start + 0x5000, false) ? 1 : 0;
            tlb.reset();
            sink += fx.ops.unmap(child, start, end, true, tlb);   // copy needs it empty
            for (long by : MOVES) {
                tlb.reset();
                sink += fx.ops.move(mm, start, end, start + by, tlb);
                sink += fx.ops.move(mm, start + by, end + by, start, tlb);
            }
            tlb.reset();
            sink += fx.ops.unmap(mm, start, end, false, tlb);
        };
        for (int i = 0; i < 200; i++) round.run();      // tables and gather buffers settle
        long id = Thread.currentThread().getId();
        long[] batches = new long[6];
        for (int b = 0; b < batches.length; b++) {
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < 50; i++) round.run();
            batches[b] = bean.getThreadAllocatedBytes(id) - before;
        }
        // allocation per step or per call would show in every batch of 50 rounds, thousands of
        // bytes each; the JIT's deoptimisation may rematerialise a few hundred bytes now and
        // then, so one clean batch and none past 1 KiB is the bar
        String seen = "bytes allocated per 50 rounds of every operation: "
                + Arrays.toString(batches);
        assertTrue(Arrays.stream(batches).anyMatch(x -> x == 0), seen);
        assertTrue(Arrays.stream(batches).allMatch(x -> x < 1024), seen);
    }
}

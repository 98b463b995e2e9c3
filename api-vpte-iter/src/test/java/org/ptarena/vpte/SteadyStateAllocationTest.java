package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The iterators belong to the {@link VpteOps} instance and are reset per call, so once the
 * arena's free lists and the gather's buffer have grown, no operation allocates at all.
 */
class SteadyStateAllocationTest {

    @Test
    void noOperationAllocatesOnceWarm() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        VpteOps ops = new VpteOps();
        for (Geometry g : new Geometry[] {Geometries.X86_64_4LEVEL, Geometries.ARM64_4K_48,
            Geometries.FUTURE_6LEVEL}) {
            Arena arena = new Arena(1 << 20);
            Mm mm = new Mm(g, arena);
            Mm dst = new Mm(g, arena);
            TlbGather tlb = new TlbGather();
            Translation t = new Translation();
            long[] sink = {0};
            WalkVisitor visitor = (addr, order, level, e) -> sink[0] += e;
            long id = Thread.currentThread().getId();
            long[] allocated = new long[6];
            for (int round = 0; round < allocated.length; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 4; i++) {
                    tlb.reset();
                    long size = 8L << 20;
                    ops.map(mm, 0, size, 0, Prot.R | Prot.W | Prot.U,
                            i % 2 == 0 ? MapPolicy.LARGEST : MapPolicy.BASE);
                    ops.protect(mm, 0x1000, size - 0x1000, Prot.R | Prot.U, tlb);
                    ops.walk(mm, 0, size, visitor);
                    ops.lookup(mm, 0x5000, t);
                    ops.touch(mm, 0x5000, false);
                    ops.copy(dst, mm, 0, size, true, tlb);
                    ops.unmap(dst, 0, size, true, tlb);
                    // there and back: by whole tables (aligned), then entry by entry
                    long by = i % 2 == 0 ? 4 * size : 4 * size + g.pageSize();
                    ops.move(mm, 0, size, by, tlb);
                    ops.move(mm, by, by + size, 0, tlb);
                    ops.unmap(mm, 0, size, i % 3 == 0, tlb);
                }
                allocated[round] = threads.getThreadAllocatedBytes(id) - before;
            }
            // per-step or per-call allocation would show in every warm round; the JIT's own
            // deoptimisation may rematerialise a few bytes now and then, so one clean round
            // and no round beyond a few hundred bytes is the bar
            String rounds = g + ": bytes allocated per round " + Arrays.toString(allocated);
            long[] warm = Arrays.copyOfRange(allocated, 1, allocated.length);
            assertTrue(Arrays.stream(warm).anyMatch(b -> b == 0), rounds);
            assertTrue(Arrays.stream(warm).allMatch(b -> b < 1024), rounds);
            assertTrue(sink[0] != 0);
        }
    }
}

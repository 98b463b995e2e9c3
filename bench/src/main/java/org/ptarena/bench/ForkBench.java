package org.ptarena.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ptarena.core.Arena;
import org.ptarena.core.Mm;

/**
 * fork ({@code copy_page_range} with cow, then exit's {@code zap_page_range} +
 * {@code free_pgtables}): copies the populated range into a fresh address space (only its root
 * table), then unmaps that copy freeing every table, so each invocation ends where it began. A
 * snapshot scenario forks a real process: one copy per VMA ({@code dup_mmap}), cow for the
 * private writable ones, shared otherwise, then the child's exit. The
 * op primed at setup write-protects the source, so invocations measure the fork of a parent that
 * has not written since its last fork (the write-protect itself is ProtectBench's). The floor
 * copies the same leaf entries into a same-shaped tree built once, then clears them. Pages per
 * op: the range's base pages. Run: {@code java -jar bench/target/benchmarks.jar ForkBench -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class ForkBench extends RangeBench {
    private Populated space;
    private Mm child;
    private Populated mirror;
    private long pages;

    @Setup(Level.Trial)
    public void setUp() {
        resolve();
        Arena arena = arena(2);
        space = shape.build(ops, geo, bytes, arena);
        pages = space.pages();
        if (floor) {
            mirror = shape.build(ops, geo, bytes, arena);
            if (!mirror.slices().sameShape(space.slices())) {
                throw new IllegalStateException("floor: the mirror of " + scenario + " on "
                        + geometry + " has another shape");
            }
            Floor.clear(mirror.mm(), mirror.slices());
            child = mirror.mm();
        } else {
            child = new Mm(geo, arena);
        }
        expect("fork pages", run(), 2 * pages);
        expect("fork pages, again", run(), 2 * pages);
        if (!floor) {
            expect("child rss after fork+exit", child.rss(), 0);
            expect("child tables below the root after fork+exit", tablesBelowRoot(child), 0);
        }
    }

    @Benchmark
    public long fork(PageCounter pc) {
        pc.pages += pages;
        return run();
    }

    private long run() {
        if (floor) return Floor.fork(space, mirror);
        tlb.reset();
        long n = 0;
        List<Populated.Part> parts = space.parts();
        for (int i = 0; i < parts.size(); i++) {
            Populated.Part p = parts.get(i);
            n += ops.copy(child, space.mm(), p.start(), p.end(), p.cow(), tlb);
        }
        tlb.reset();
        return n + ops.unmap(child, space.start(), space.end(), true, tlb);
    }
}

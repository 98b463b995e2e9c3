package org.ptarena.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Warmup;

/**
 * walk ({@code walk_page_range}) over the whole populated range, each unit visited by a counting
 * visitor; the floor reads the same leaf entries from flat slices and makes the same visits.
 * Read-only, so every invocation starts from the same tree. Pages per op (the range's base pages)
 * go to {@link PageCounter}, so the JSON has ns per page. Run:
 * {@code java -jar bench/target/benchmarks.jar WalkBench -p api=vpte -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class WalkBench extends RangeBench {
    private Populated space;
    private long pages;
    private final UnitCounter counter = new UnitCounter();

    @Setup(Level.Trial)
    public void setUp() {
        resolve();
        space = shape.build(ops, geo, bytes, arena(1));
        pages = space.pages();
        expect("walk units", run(), space.units());
        expect("walk pages", counter.pages, pages);
    }

    @Benchmark
    public long walk(PageCounter pc) {
        pc.pages += pages;
        return run();
    }

    private long run() {
        counter.reset();
        if (floor) return Floor.walk(space.mm(), space.slices(), counter);
        return ops.walk(space.mm(), space.start(), space.end(), counter);
    }
}

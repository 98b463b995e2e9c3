package org.ptarena.bench;

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

/**
 * touch (the MMU's accessed/dirty update on a user access) of a fixed batch of
 * {@link Probes#BATCH} seeded random addresses, about half of them writes. Setting bits that are
 * set is idempotent, so after the op primed at setup every invocation sees the same tree (map
 * installs entries young; the first write of a page dirties it). The floor does the same check
 * and entry change on each address's precomputed slot. Pages per op: one per address. Run:
 * {@code java -jar bench/target/benchmarks.jar TouchBench -p scenario=dense -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class TouchBench extends RangeBench {
    private Populated space;
    private Probes probes;

    @Setup(Level.Trial)
    public void setUp() {
        resolve();
        space = shape.build(ops, geo, bytes, arena(1));
        probes = Probes.of(space);
        long permitted = probes.permitted(space.mm());
        expect("touch permitted", run(), permitted);
        expect("touch permitted, again", run(), permitted);
    }

    @Benchmark
    public long touch(PageCounter pc) {
        pc.pages += Probes.BATCH;
        return run();
    }

    private long run() {
        return floor ? Floor.touch(space.mm(), probes) : probes.touchAll(ops, space.mm());
    }
}

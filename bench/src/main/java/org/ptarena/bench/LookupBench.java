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
import org.ptarena.core.Translation;

/**
 * lookup ({@code follow_page}) of a fixed batch of {@link Probes#BATCH} seeded random addresses
 * in the populated range; the floor decodes the slot each address resolves to, found at setup.
 * Read-only. Pages per op: one per address (so ns/page is ns per lookup). Run:
 * {@code java -jar bench/target/benchmarks.jar LookupBench -p size=1G -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class LookupBench extends RangeBench {
    private Populated space;
    private Probes probes;
    private final Translation out = new Translation();

    @Setup(Level.Trial)
    public void setUp() {
        resolve();
        space = shape.build(ops, geo, bytes, arena(1));
        probes = Probes.of(space);
        expect("lookup sum", run(), Floor.lookup(space.mm(), probes, new Translation()));
    }

    @Benchmark
    public long lookup(PageCounter pc) {
        pc.pages += Probes.BATCH;
        return run();
    }

    private long run() {
        if (floor) return Floor.lookup(space.mm(), probes, out);
        return probes.lookupSum(ops, space.mm(), out);
    }
}

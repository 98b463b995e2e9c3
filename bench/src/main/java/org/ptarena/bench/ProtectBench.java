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

/**
 * protect ({@code change_protection}) over the whole populated range, toggled rw→r→rw, so every
 * invocation starts from the same tree (JMHSample_38: the undo sits inside the op, equally for
 * all designs). The range covers whole units, so nothing splits. A snapshot scenario toggles
 * each writable VMA (an {@code mprotect} per VMA, read-only and back to its own prot). The floor
 * rewrites the same leaf entries twice. Pages per op: the base pages changed (each twice). Run:
 * {@code java -jar bench/target/benchmarks.jar ProtectBench -p api=ptptr -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class ProtectBench extends RangeBench {
    private Populated space;
    private long pages;

    @Setup(Level.Trial)
    public void setUp() {
        resolve();
        space = shape.build(ops, geo, bytes, arena(1));
        pages = space.writablePages();
        expect("protect toggle pages", run(), 2 * pages);
        expect("protect toggle pages, again", run(), 2 * pages);
    }

    @Benchmark
    public long protect(PageCounter pc) {
        pc.pages += pages;
        return run();
    }

    private long run() {
        long changed = 0;
        List<Populated.Part> parts = space.parts();
        for (int i = 0; i < parts.size(); i++) {
            Populated.Part p = parts.get(i);
            if (!p.writable()) continue;
            if (floor) {
                changed += Floor.protect(space.mm(), p.slices(), p.readOnly())
                        + Floor.protect(space.mm(), p.slices(), p.prot());
                continue;
            }
            tlb.reset();
            changed += ops.protect(space.mm(), p.start(), p.end(), p.readOnly(), tlb);
            tlb.reset();
            changed += ops.protect(space.mm(), p.start(), p.end(), p.prot(), tlb);
        }
        return changed;
    }
}

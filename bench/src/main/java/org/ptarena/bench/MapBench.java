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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.ptarena.core.Mm;

/**
 * map then unmap ({@code remap_pfn_range}, then {@code zap_page_range}): the scenario's own map
 * calls (a snapshot: one per run of present pages, with its VMA's prot — the process built
 * again), then one unmap of the range (a snapshot: the whole address space, as exit does). {@code mapUnmap} keeps the tables, so the map finds them;
 * {@code mapUnmapFree} frees them ({@code free_pgtables}), so every map allocates its tables
 * again from the arena's free lists. Either way each invocation ends with the tree it started
 * from. The floor writes the same leaf entries and clears them; it allocates no tables. Pages per
 * op: the range's base pages. Run:
 * {@code java -jar bench/target/benchmarks.jar MapBench.mapUnmapFree -p size=1G -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class MapBench extends RangeBench {
    private Populated space;
    private Mm mm;
    private long pages;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        resolve();
        boolean free = params.getBenchmark().endsWith(".mapUnmapFree");
        space = shape.build(ops, geo, bytes, arena(1));
        mm = space.mm();
        pages = space.pages();
        if (floor) {
            Floor.clear(mm, space.slices());
        } else {
            expect("unmap pages", ops.unmap(mm, space.start(), space.end(), free, tlb), pages);
        }
        PageCounter primer = new PageCounter();
        expect("map+unmap pages", free ? mapUnmapFree(primer) : mapUnmap(primer), 2 * pages);
        if (!floor) {
            expect("rss after map+unmap", mm.rss(), 0);
            if (free) expect("tables below the root after map+unmap free", tablesBelowRoot(mm), 0);
        }
    }

    @Benchmark
    public long mapUnmap(PageCounter pc) {
        pc.pages += pages;
        if (floor) return Floor.mapUnmap(space);
        long n = shape.populate(ops, mm, space.region());
        tlb.reset();
        return n + ops.unmap(mm, space.start(), space.end(), false, tlb);
    }

    @Benchmark
    public long mapUnmapFree(PageCounter pc) {
        pc.pages += pages;
        if (floor) return Floor.mapUnmap(space);
        long n = shape.populate(ops, mm, space.region());
        tlb.reset();
        return n + ops.unmap(mm, space.start(), space.end(), true, tlb);
    }
}

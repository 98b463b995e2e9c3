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
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;

/**
 * move ({@code mremap}'s {@code move_page_tables}) of the whole populated range there and back,
 * so every invocation ends with the tree it began with (emptied source tables are freed on the
 * way there and allocated again on the way back, identically each time).
 *
 * <ul>
 * <li>{@code move}: by the smallest power of two at least the range's size ({@link #distance}),
 *     so the destination is aligned like the source: every table whose entry's span the range
 *     covers moves whole where the kernel would ({@code move_normal_pmd}, {@code
 *     move_normal_pud}), every unit moves whole. A large anonymous {@code mremap} to a
 *     THP-aligned address does this.</li>
 * <li>{@code moveUnaligned}: by that distance plus one base page, so nothing lines up: every
 *     entry moves by itself ({@code move_ptes}), destination tables are allocated as it goes.
 *     Base-page scenarios only: a huge leaf or a run would be split on the first move and never
 *     come back, so the tree would not be the scenario's any more.</li>
 * </ul>
 * The floor moves the same leaf entries one by one into a same-shaped tree built once, and
 * back; it moves no table, so a design that moves tables whole is far below it. Snapshots are
 * not moved (their VMAs are moved by mremap one at a time, not as a whole space). Pages per op:
 * the range's mapped base pages (each moved twice). Run:
 * {@code java -jar bench/target/benchmarks.jar MoveBench -p scenario=dense -p size=1G -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class MoveBench extends RangeBench {
    private Populated space;
    private Populated mirror;
    private long from;
    private long to;
    private long len;
    private long pages;

    /**
     * Why {@code op} cannot move {@code shape} of {@code bytes} on {@code g}, or {@code null}:
     * snapshots are not moved, {@code moveUnaligned} needs base pages only, and the destination
     * must fit below the top of the address space.
     */
    static String gap(Matrix.Op op, Geometry g, Scenario shape, long bytes) {
        if (shape.isSnapshot()) return op.word() + ": snapshots are not moved as a whole";
        boolean unaligned = op == Matrix.Op.MOVE_UNALIGNED;
        if (unaligned && shape != Scenario.DENSE && shape != Scenario.SPARSE) {
            return "moveUnaligned: " + shape.word() + " has units larger than a base page, which"
                    + " the first unaligned move would split for good";
        }
        Scenario.Region r = shape.region(g, bytes);
        long dst = r.start() + distance(bytes) + (unaligned ? g.pageSize() : 0);
        if (Long.compareUnsigned(dst + bytes, g.vaEnd()) > 0 || dst + bytes < dst) {
            return op.word() + ": the destination of " + Geometries.size(bytes)
                    + " does not fit below the top of the address space of " + g.name();
        }
        return null;
    }

    /** The smallest power of two at least {@code bytes}: how far {@code move} moves. */
    static long distance(long bytes) {
        long d = Long.highestOneBit(bytes);
        return d == bytes ? d : d << 1;
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        resolve();
        Matrix.Op op = params.getBenchmark().endsWith(".moveUnaligned")
                ? Matrix.Op.MOVE_UNALIGNED : Matrix.Op.MOVE;
        String why = gap(op, geo, shape, bytes);
        if (why != null) throw new IllegalArgumentException("gap: " + why);
        space = shape.build(ops, geo, bytes, arena(2));
        from = space.start();
        len = space.end() - from;
        to = from + distance(bytes) + (op == Matrix.Op.MOVE_UNALIGNED ? geo.pageSize() : 0);
        pages = space.pages();
        if (floor) {
            mirror = shape.build(ops, geo, bytes, space.mm().arena());
            if (!mirror.slices().sameShape(space.slices())) {
                throw new IllegalStateException("floor: the mirror of " + scenario + " on "
                        + geometry + " has another shape");
            }
            Floor.clear(mirror.mm(), mirror.slices());
        }
        long both = floor ? 2 * pages : 2 * (len >>> geo.pageShift());
        expect("move there and back pages", run(), both);
        expect("move there and back pages, again", run(), both);
        if (!floor) {
            expect("rss after move there and back", space.mm().rss(), pages);
            Slices back = Slices.scan(space.mm(), from, from + len);
            if (!back.sameShape(space.slices())) {
                throw new IllegalStateException(api + " move there and back over " + scenario
                        + " " + size + " on " + geometry + " did not restore the leaves");
            }
            expect("pages left at the destination", Slices.scan(space.mm(), to, to + len).pages(),
                    0);
        }
    }

    @Benchmark
    public long move(PageCounter pc) {
        pc.pages += pages;
        return run();
    }

    @Benchmark
    public long moveUnaligned(PageCounter pc) {
        pc.pages += pages;
        return run();
    }

    private long run() {
        if (floor) {
            return Floor.move(space.mm(), space.slices(), mirror.mm(), mirror.slices())
                    + Floor.move(mirror.mm(), mirror.slices(), space.mm(), space.slices());
        }
        tlb.reset();
        long n = ops.move(space.mm(), from, from + len, to, tlb);
        tlb.reset();
        return n + ops.move(space.mm(), to, to + len, from, tlb);
    }
}

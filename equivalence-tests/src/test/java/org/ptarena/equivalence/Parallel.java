package org.ptarena.equivalence;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * One dynamic test per seed, with the work for the next seeds already running on other threads,
 * so a 2-core machine runs two sequences at once while JUnit still reports (and names, and fails)
 * each seed on its own, in seed order. The work for a seed returns an {@link Executable} that
 * makes the assertions; {@code -Dptarena.threads=N} sets the threads (default: the processors).
 * With {@code -Dptarena.failFast=true} (mutation testing) no seed is started after a failure.
 */
final class Parallel {
    /** A seed that runs longer than this is reported as a failure (a runaway loop, say). */
    static final long TIMEOUT_SECONDS = 120;

    private Parallel() { }

    /** Threads: {@code -Dptarena.threads}, or the available processors. */
    static int threads() {
        String s = System.getProperty("ptarena.threads");
        if (s == null || s.isBlank()) return Runtime.getRuntime().availableProcessors();
        return Integer.parseInt(s.trim());
    }

    /**
     * A stream of dynamic tests named {@code "seed 0x…"}, the work for each seed done ahead on
     * {@link #threads()} threads.
     *
     * @param seeds the seeds, in order
     * @param work  runs one seed (on any thread) and returns the assertions to make for it
     */
    static Stream<DynamicTest> tests(LongStream seeds, LongFunction<Executable> work) {
        int threads = Math.max(1, threads());
        if (threads == 1) return lazy(seeds, work);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ptarena-seed");
            t.setDaemon(true);
            return t;
        });
        PrimitiveIterator.OfLong it = seeds.iterator();
        boolean failFast = Boolean.getBoolean("ptarena.failFast");
        AtomicBoolean failed = new AtomicBoolean();
        ArrayDeque<long[]> order = new ArrayDeque<>();
        ArrayDeque<Future<Executable>> ahead = new ArrayDeque<>();
        int window = threads * 4;
        Iterator<DynamicTest> tests = new Iterator<>() {
            private void fill() {
                while (ahead.size() < window && it.hasNext() && !(failFast && failed.get())) {
                    long seed = it.nextLong();
                    order.add(new long[] {seed});
                    ahead.add(pool.submit(() -> work.apply(seed)));
                }
                if (!it.hasNext() || failFast && failed.get()) pool.shutdown();
            }

            @Override public boolean hasNext() {
                fill();
                return !ahead.isEmpty();
            }

            @Override public DynamicTest next() {
                if (!hasNext()) throw new NoSuchElementException();
                long seed = order.poll()[0];
                Future<Executable> f = ahead.poll();
                return DynamicTest.dynamicTest("seed " + Seeds.hex(seed), () -> {
                    Executable checks;
                    try {
                        checks = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failed.set(true);
                        throw e.getCause();
                    } catch (TimeoutException e) {
                        failed.set(true);
                        f.cancel(true);
                        throw new AssertionError("seed " + Seeds.hex(seed) + " still running after "
                                + TIMEOUT_SECONDS + " s (a runaway loop?); rerun it alone");
                    }
                    try {
                        checks.execute();
                    } catch (Throwable t) {
                        failed.set(true);
                        throw t;
                    }
                });
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(tests,
                Spliterator.ORDERED), false);
    }

    /**
     * One thread: each seed runs inside its own dynamic test and nothing ahead, so a runner that
     * selects single dynamic tests (PIT runs only the tests that cover a mutant) pays for those
     * alone. With fail-fast, the seeds after a failure are aborted (reported as skipped).
     */
    private static Stream<DynamicTest> lazy(LongStream seeds, LongFunction<Executable> work) {
        boolean failFast = Boolean.getBoolean("ptarena.failFast");
        AtomicBoolean failed = new AtomicBoolean();
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + Seeds.hex(seed), () -> {
            Assumptions.assumeFalse(failFast && failed.get(), "fail-fast: an earlier seed failed");
            try {
                work.apply(seed).execute();
            } catch (Throwable t) {
                failed.set(true);
                throw t;
            }
        }));
    }
}

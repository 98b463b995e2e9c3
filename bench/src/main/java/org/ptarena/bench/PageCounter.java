package org.ptarena.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Base pages per op, as a JMH secondary result. Every benchmark adds the pages one op covers
 * (range benchmarks: the base pages mapped in the range; lookup and touch: one per address).
 * Being an {@link AuxCounters.Type#OPERATIONS} counter in {@code AverageTime} mode, JMH reports
 * it as time per page: in the JSON, {@code secondaryMetrics.pages.score} is ns per base page,
 * with its own error and raw data, and pages per op is {@code primaryMetric.score / pages.score}.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class PageCounter {
    /** Pages counted in the current iteration. */
    public long pages;

    @Setup(Level.Iteration)
    public void clear() { pages = 0; }
}

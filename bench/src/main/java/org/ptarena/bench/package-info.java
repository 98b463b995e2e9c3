/**
 * JMH benchmarks racing the three page-table designs against a floor, and the race driver.
 *
 * <p>Every benchmark class ({@link org.ptarena.bench.WalkBench},
 * {@link org.ptarena.bench.LookupBench}, {@link org.ptarena.bench.TouchBench},
 * {@link org.ptarena.bench.ProtectBench}, {@link org.ptarena.bench.MapBench},
 * {@link org.ptarena.bench.ForkBench}) takes the parameters of
 * {@link org.ptarena.bench.RangeBench} — {@code api} (a design or {@code floor}), {@code geometry},
 * {@code scenario}, {@code size} — builds a {@link org.ptarena.bench.Scenario} at trial setup with
 * the design's own {@code map}, primes and checks its op once, and measures one self-restoring op
 * per invocation (no per-invocation setup). The floor ({@link org.ptarena.bench.Floor}) does the
 * same entry work over flat {@link org.ptarena.bench.Slices} with no traversal.
 *
 * <p><b>Pages per op.</b> Each benchmark method takes a {@link org.ptarena.bench.PageCounter}, a
 * JMH {@code @AuxCounters(OPERATIONS)} state to which it adds the base pages one op covers. In
 * {@code AverageTime} mode JMH reports such a counter as time per counted unit, so in the JMH JSON
 * {@code secondaryMetrics.pages.score} is <em>ns per base page</em> (lookup and touch: ns per
 * address), and pages per op is {@code primaryMetric.score / secondaryMetrics.pages.score}.
 * Allocation per op is {@code secondaryMetrics["gc.alloc.rate.norm"]} (B/op) when run with
 * {@code -prof gc}, as every race does.
 *
 * <p>{@link org.ptarena.bench.Race} computes the combination list with its gaps up front and runs
 * it combination by combination through JMH's {@code Runner}, one JMH fork (or more) per
 * combination so that every call site stays monomorphic.
 */
package org.ptarena.bench;

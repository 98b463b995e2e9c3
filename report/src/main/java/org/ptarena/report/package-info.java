/**
 * The race report: reads JMH JSON ({@link org.ptarena.report.JmhResults}), computes every
 * statistic once the benchstat way ({@link org.ptarena.report.Stats},
 * {@link org.ptarena.report.ReportModel}), probes the implementations found at run time
 * ({@link org.ptarena.report.Capabilities}), counts their code
 * ({@link org.ptarena.report.CodeSize}), reads the snapshots the results raced
 * ({@link org.ptarena.report.RealWorkloads}), and lays the model out in four formats, one
 * {@link org.ptarena.report.ReportWriter} each, written all-or-nothing by
 * {@link org.ptarena.report.AtomicOutput}.
 *
 * <p>Sections, in every format: run, how to read this, summary, one per operation, real
 * workloads (only when a result has a {@code scenario=snap:NAME}: the snapshots' layout by
 * {@link org.ptarena.core.snap.SnapStat} and one finding computed from it), capability matrix,
 * code size, notes. {@code results.csv} carries the real workloads as {@code snap_*} columns.
 *
 * <h2>Words</h2>
 * <dl>
 * <dt>fork</dt><dd>One JMH fork: the sample unit. Its value is the mean of its measurement
 *     iterations.</dd>
 * <dt>case</dt><dd>One benchmark method with one setting of every parameter except
 *     {@code api}, on one host: the implementations are compared inside a case.</dd>
 * <dt>row</dt><dd>One implementation (or the floor) in one case.</dd>
 * <dt>host</dt><dd>The machine a result came from: the {@code host} of the run file beside the
 *     JSON ({@link org.ptarena.report.RunInfo}), or the JSON file's name when there is none.
 *     Results of different hosts are never pooled or compared.</dd>
 * </dl>
 */
package org.ptarena.report;

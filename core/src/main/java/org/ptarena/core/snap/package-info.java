/**
 * Snapshots of real address spaces ({@code .snap}): the model ({@link
 * org.ptarena.core.snap.Snapshot}), its text form ({@link org.ptarena.core.snap.SnapshotReader}
 * holds the grammar, {@link org.ptarena.core.snap.SnapshotWriter} prints it), the capture from
 * {@code /proc} ({@link org.ptarena.core.snap.ProcCapture}), the replay that builds, forks,
 * protects and exits an address space from a snapshot on any implementation or on the oracle
 * ({@link org.ptarena.core.snap.SnapshotReplay}), the committed samples ({@link
 * org.ptarena.core.snap.Workloads}), and the statistics of how often larger units could fire on
 * real processes ({@link org.ptarena.core.snap.SnapStat}).
 *
 * <h2>Words</h2>
 * <dl>
 * <dt>VMA</dt><dd>One line of {@code /proc/PID/maps}: a range with one set of permissions.</dd>
 * <dt>run</dt><dd>Consecutive present pages of one VMA whose pfns are consecutive too.</dd>
 * <dt>THP</dt><dd>A transparent huge page mapped by a PMD entry (2M on x86-64): a run aligned
 *     to the PMD span in address and pfn.</dd>
 * </dl>
 */
package org.ptarena.core.snap;

package org.ptarena.core.snap;

import java.util.List;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;

/**
 * Checks a snapshot's replay ({@link SnapshotReplay#trace}: build, walk, fork, walk the child,
 * exit it, protect, exit) on the oracle and every capable implementation with {@link
 * TraceRunner}: a replay has thousands of statements, so it is checked with checkpoints (every
 * statement's value, gather, visits, RSS and table bytes; the full state of every space and the
 * invariants every {@value TraceRunner#DEFAULT_CHECKPOINT} statements, before each exit and at
 * the end), and a difference is named at the first statement where anyone disagrees, so {@code
 * ptarena check} reports snapshots and traces alike.
 */
public final class SnapshotCheck {
    private SnapshotCheck() { }

    /**
     * Runs the replay of {@code s} on {@code g}; {@code source} names it in the report.
     *
     * @throws IllegalArgumentException when {@code s} does not fit {@code g} ({@link
     *     Snapshot#misfit})
     */
    public static TraceRunner.Result run(Snapshot s, Geometry g, List<PageTableOps> impls,
            String source) {
        return run(SnapshotReplay.trace(s, g, source), impls);
    }

    /** Runs {@code trace}, a snapshot's replay as {@link SnapshotReplay#trace} writes it. */
    public static TraceRunner.Result run(Trace trace, List<PageTableOps> impls) {
        int every = trace.lines().size() <= TraceRunner.PRECISE_UP_TO ? 1
                : TraceRunner.DEFAULT_CHECKPOINT;
        return new TraceRunner(impls).checkpoints(every).run(trace);
    }
}

package org.ptarena.core.snap;

import java.util.List;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;

/**
 * Checks a snapshot's replay ({@link SnapshotReplay#trace}: build, walk, fork, walk the child,
 * exit it, protect, exit) on the oracle and every capable implementation with {@link
 * BatchCheck}: every statement's value, gather and visits, and the full state of both address
 * spaces with the invariants at the end of each phase. A difference is reported by {@link
 * TraceRunner} at the first statement where anyone disagrees, so {@code ptarena check} reports
 * snapshots and traces alike.
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
        List<Trace.Line> lines = trace.lines();
        return BatchCheck.run(trace, impls, i -> phaseEnd(lines, i));
    }

    /** Whether statement {@code i} ends a phase: all but a map, copy or protect before its like. */
    private static boolean phaseEnd(List<Trace.Line> lines, int i) {
        Op op = lines.get(i).op();
        boolean bulk = op instanceof Op.MapOp || op instanceof Op.CopyOp
                || op instanceof Op.ProtectOp;
        if (!bulk) return true;
        return i + 1 == lines.size() || lines.get(i + 1).op().getClass() != op.getClass();
    }
}

package org.ptarena.core.trace;

import java.util.List;
import java.util.Map;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.oracle.OracleEvents;

/**
 * Runs a trace on the oracle and on every given implementation that supports its geometry,
 * statement by statement, and stops at the first disagreement, broken invariant or failed
 * expectation. SKELETON: signatures fixed, bodies being written.
 */
public final class TraceRunner {
    private final List<PageTableOps> impls;
    private OracleEvents events = OracleEvents.NONE;

    public TraceRunner(List<PageTableOps> impls) {
        this.impls = List.copyOf(impls);
    }

    /** Observer of the oracle's behaviour (for coverage counting). */
    public TraceRunner events(OracleEvents events) {
        this.events = events;
        return this;
    }

    /** Runs the whole trace; never throws for a disagreement, only reports it. */
    public Result run(Trace trace) {
        throw new UnsupportedOperationException("TraceRunner.run is being written");
    }

    /**
     * The outcome of a run.
     *
     * @param passed      every statement agreed and every expectation held
     * @param failedIndex index into {@code trace.lines()} of the first failing statement, or -1
     * @param report      for a failure, what differed, in words a maintainer reads, with the
     *                    trace's source and line; for a pass, a one-line summary
     * @param unsupported implementations that do not support the geometry, with the reason
     * @param statements  statements run (up to and including the failing one)
     */
    public record Result(boolean passed, int failedIndex, String report, Map<String, String> unsupported, int statements) { }
}

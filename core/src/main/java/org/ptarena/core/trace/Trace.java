package org.ptarena.core.trace;

import java.util.List;

/**
 * A parsed trace: where it came from, its geometry name, and its statements with their line
 * numbers (the geometry statement itself is not in {@link #lines}).
 */
public record Trace(String source, String geometry, List<Line> lines) {

    /** One statement and the 1-based line it was read from (0 for generated ones). */
    public record Line(int number, Op op) { }

    public Trace {
        lines = List.copyOf(lines);
    }
}

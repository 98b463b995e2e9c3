package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.TraceWriter;

/**
 * The trace being written: statements (each with the log line it came from, as a trailing
 * comment), comments, and the counts the header reports.
 */
final class Output {
    private final Geometry g;
    private final List<String> lines = new ArrayList<>();
    final Map<String, Integer> handled = new TreeMap<>();
    final Map<String, Integer> skipped = new TreeMap<>();
    final Map<String, Integer> failed = new TreeMap<>();
    int statements;
    int spaces;
    long pagesMapped;
    int moves;

    Output(Geometry g) {
        this.g = g;
    }

    /** One statement, from log line {@code logLine} ({@code what}: the call or event). */
    void op(Op op, int logLine, String what) {
        lines.add(TraceWriter.line(op) + "  # " + logLine + " " + what);
        statements++;
        if (op instanceof Op.MmOp) spaces++;
        if (op instanceof Op.MapOp m) pagesMapped += (m.end() - m.start()) >>> g.pageShift();
    }

    /** Maps {@code [start, end)} from {@code pfn} with base pages. */
    void map(String id, long start, long end, long pfn, int prot, int logLine, String what) {
        op(new Op.MapOp(id, start, end, pfn, prot, MapPolicy.BASE), logLine, what);
    }

    void comment(String text) {
        lines.add("# " + text);
    }

    static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    /** The statement and comment lines, in order. */
    List<String> lines() {
        return lines;
    }

    /** {@code name ×N, …} of a count map, or {@code none}. */
    static String list(Map<String, Integer> m) {
        if (m.isEmpty()) return "none";
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " x" + v));
        return String.join(", ", parts);
    }
}

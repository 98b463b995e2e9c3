package org.ptarena.core.snap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.check.Differ;
import org.ptarena.core.check.Invariants;
import org.ptarena.core.check.Outcome;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;

/**
 * Runs a long trace of real work — {@code mm}, {@code map}, {@code unmap}, {@code protect},
 * {@code copy}, {@code move}, {@code walk}, {@code drop}, {@code expect-rss}, the statements
 * snapshots and imported strace logs are made of — on the oracle and every capable
 * implementation, comparing cheaply after every statement and fully at checkpoints.
 *
 * <ul>
 * <li>After every statement: the value returned or the exception thrown, the gather, the walk's
 *     visits, and the RSS, table counts and table bytes of the spaces it names.</li>
 * <li>At checkpoints — after the statements the caller names, before every {@code drop} (the
 *     space's last state) and at the end: the canonical dump of every space, and the
 *     implementations' invariants ({@link Invariants}; after a {@code drop}, no table left).</li>
 * </ul>
 *
 * <p>Why: {@link TraceRunner} dumps the named space and audits the whole arena after every
 * statement, which on a trace of thousands of statements over real address spaces costs
 * seconds per implementation. Whenever this check finds a difference, it runs the trace up to
 * that statement through {@link TraceRunner}, which names the first statement where anyone
 * disagrees, and returns that result; it returns its own only if the runner, against
 * expectation, passes. A trace with any other statement goes to {@link TraceRunner} directly.
 */
public final class BatchCheck {
    private BatchCheck() { }

    /** Whether every statement of {@code trace} is one this check runs itself. */
    public static boolean handles(Trace trace) {
        for (Trace.Line l : trace.lines()) {
            Op op = l.op();
            if (!(op instanceof Op.MmOp || op instanceof Op.MapOp || op instanceof Op.UnmapOp
                    || op instanceof Op.ProtectOp || op instanceof Op.CopyOp
                    || op instanceof Op.MoveOp || op instanceof Op.WalkOp
                    || op instanceof Op.DropOp
                    || op instanceof Op.ExpectRssOp)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #run(Trace, List, IntPredicate)}, checked in full before drops and at the end. */
    public static TraceRunner.Result run(Trace trace, List<PageTableOps> impls) {
        return run(trace, impls, i -> false);
    }

    /**
     * Checks {@code trace}; {@code checkpointAfter} names (by index into the trace's lines) the
     * statements after which every space is compared in full.
     */
    public static TraceRunner.Result run(Trace trace, List<PageTableOps> impls,
            IntPredicate checkpointAfter) {
        if (!handles(trace)) return new TraceRunner(impls).run(trace);
        Geometry g;
        try {
            g = Geometries.byName(trace.geometry());
        } catch (IllegalArgumentException e) {
            return new TraceRunner(impls).run(trace);
        }
        Map<String, String> unsupported = new LinkedHashMap<>();
        List<World> worlds = new ArrayList<>();
        worlds.add(new OracleWorld(g));
        for (PageTableOps ops : impls) {
            Support s = ops.supports(g);
            if (s.supported()) worlds.add(new ImplWorld(g, ops));
            else unsupported.put(ops.name(), s.reason());
        }
        List<Trace.Line> lines = trace.lines();
        for (int i = 0; i < lines.size(); i++) {
            Op op = lines.get(i).op();
            String failure = op instanceof Op.DropOp d ? compare(worlds, g, List.of(d.id())) : null;
            if (failure == null) failure = step(worlds, g, op);
            if (failure == null && (checkpointAfter.test(i) || i == lines.size() - 1)) {
                failure = compare(worlds, g, worlds.get(0).ids());
            }
            if (failure != null) {
                Trace upTo = new Trace(trace.source(), trace.geometry(), lines.subList(0, i + 1));
                TraceRunner.Result precise = new TraceRunner(impls).run(upTo);
                if (!precise.passed()) return precise;
                return new TraceRunner.Result(false, i, trace.source() + ": after line "
                        + lines.get(i).number() + " (" + TraceWriter.line(op) + "): " + failure,
                        unsupported, i + 1);
            }
        }
        String summary = trace.source() + ": " + lines.size() + " statements; "
                + worlds.stream().map(w -> w.name).collect(Collectors.joining(", "))
                + " agree (" + g.name() + ")"
                + (unsupported.isEmpty() ? "" : "; unsupported: " + unsupported.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", ")));
        return new TraceRunner.Result(true, -1, summary, unsupported, lines.size());
    }

    /** Runs one statement everywhere; the first difference in words, or null. */
    private static String step(List<World> worlds, Geometry g, Op op) {
        if (op instanceof Op.ExpectRssOp e) {
            for (World w : worlds) {
                if (!w.has(e.id())) return "unknown address space '" + e.id() + "'";
                long rss = w.rss(e.id());
                if (rss != e.pages()) {
                    return "expectation failed: " + w.name + ": rss " + rss + ", expected "
                            + e.pages();
                }
            }
            return null;
        }
        List<Outcome> outs = new ArrayList<>();
        for (World w : worlds) {
            TlbGather tlb = new TlbGather();
            List<Outcome.Visit> visits = new ArrayList<>();
            Outcome out;
            try {
                out = Outcome.returned(w.apply(op, tlb, visits));
            } catch (RuntimeException | StackOverflowError | AssertionError ex) {
                out = Outcome.threw(ex);
            }
            if (op instanceof Op.WalkOp) out.visits(visits);
            if (!(op instanceof Op.MmOp || op instanceof Op.MapOp || op instanceof Op.WalkOp)) {
                out.gather(tlb);
            }
            outs.add(out);
        }
        for (int i = 1; i < outs.size(); i++) {
            String d = Differ.firstDifference(worlds.get(i).name, outs.get(i), "oracle",
                    outs.get(0), g);
            if (d != null) return d;
        }
        if (outs.get(0).exception() != null) return "every world " + outs.get(0).describeResult();
        for (String id : spaces(op)) {
            World o = worlds.get(0);
            for (World w : worlds.subList(1, worlds.size())) {
                if (w.rss(id) != o.rss(id) || w.tableBytes(id) != o.tableBytes(id)) {
                    return w.name + " differs from oracle: " + id + ": rss " + w.rss(id) + " vs "
                            + o.rss(id) + ", table bytes " + w.tableBytes(id) + " vs "
                            + o.tableBytes(id);
                }
            }
        }
        if (op instanceof Op.DropOp d) {
            for (World w : worlds) {
                List<String> p = w.checkFreed(d.id(), g);
                if (!p.isEmpty()) return w.name + " breaks an invariant: " + p.get(0);
            }
        }
        return null;
    }

    /** Every space of {@code ids} in full, and the invariants; the first problem, or null. */
    private static String compare(List<World> worlds, Geometry g, List<String> ids) {
        World o = worlds.get(0);
        for (World w : worlds.subList(1, worlds.size())) {
            for (String id : ids) {
                if (!o.has(id)) continue;
                String d = Differ.space(id, w.space(id), o.space(id), w.name, o.name);
                if (d != null) return w.name + " differs from oracle: " + d;
            }
            List<String> p = w.invariants();
            if (!p.isEmpty()) {
                return w.name + " breaks an invariant: "
                        + String.join("; ", p.subList(0, Math.min(5, p.size())));
            }
        }
        return null;
    }

    private static List<String> spaces(Op op) {
        if (op instanceof Op.CopyOp c) return List.of(c.dst(), c.src());
        if (op instanceof Op.MmOp o) return List.of(o.id());
        if (op instanceof Op.MapOp o) return List.of(o.id());
        if (op instanceof Op.UnmapOp o) return List.of(o.id());
        if (op instanceof Op.ProtectOp o) return List.of(o.id());
        if (op instanceof Op.MoveOp o) return List.of(o.id());
        if (op instanceof Op.DropOp o) return List.of(o.id());
        return List.of();
    }

    /** The oracle or one implementation, with its own address spaces. */
    private abstract static class World {
        final String name;
        final Geometry g;

        World(String name, Geometry g) {
            this.name = name;
            this.g = g;
        }

        abstract boolean has(String id);

        abstract List<String> ids();

        abstract String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits);

        abstract long rss(String id);

        abstract long tableBytes(String id);

        abstract Outcome.Space space(String id);

        List<String> invariants() {
            return List.of();
        }

        List<String> checkFreed(String id, Geometry g) {
            return List.of();
        }

        static IllegalArgumentException unknown(String id) {
            return new IllegalArgumentException("unknown address space '" + id + "'");
        }
    }

    private static final class OracleWorld extends World {
        private final Oracle oracle = new Oracle();
        private final Map<String, OracleMm> spaces = new LinkedHashMap<>();

        OracleWorld(Geometry g) {
            super("oracle", g);
        }

        @Override boolean has(String id) { return spaces.containsKey(id); }

        @Override List<String> ids() { return new ArrayList<>(spaces.keySet()); }

        private OracleMm mm(String id) {
            OracleMm mm = spaces.get(id);
            if (mm == null) throw unknown(id);
            return mm;
        }

        @Override
        String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits) {
            if (op instanceof Op.MmOp m) {
                if (spaces.containsKey(m.id())) throw new IllegalArgumentException("exists");
                spaces.put(m.id(), oracle.newMm(g));
                return "created";
            }
            long v;
            if (op instanceof Op.MapOp m) {
                v = oracle.map(mm(m.id()), m.start(), m.end(), m.pfn(), m.prot(), m.policy());
            } else if (op instanceof Op.UnmapOp u) {
                v = oracle.unmap(mm(u.id()), u.start(), u.end(), u.free(), tlb);
            } else if (op instanceof Op.ProtectOp p) {
                v = oracle.protect(mm(p.id()), p.start(), p.end(), p.prot(), tlb);
            } else if (op instanceof Op.CopyOp c) {
                v = oracle.copy(mm(c.dst()), mm(c.src()), c.start(), c.end(), c.cow(), tlb);
            } else if (op instanceof Op.MoveOp m) {
                v = oracle.move(mm(m.id()), m.oldStart(), m.oldEnd(), m.newStart(), tlb);
            } else if (op instanceof Op.WalkOp w) {
                v = oracle.walk(mm(w.id()), w.start(), w.end(),
                        (a, o, l, e) -> visits.add(new Outcome.Visit(a, o, l, e)));
            } else {
                Op.DropOp d = (Op.DropOp) op;
                v = oracle.unmap(mm(d.id()), 0, g.vaEnd(), true, tlb);
            }
            return Long.toString(v);
        }

        @Override long rss(String id) { return mm(id).rss(); }

        @Override long tableBytes(String id) { return mm(id).tableBytes(); }

        @Override Outcome.Space space(String id) { return Outcome.Space.of(mm(id)); }
    }

    private static final class ImplWorld extends World {
        private final PageTableOps ops;
        private final Arena arena = new Arena();
        private final Map<String, Mm> spaces = new LinkedHashMap<>();

        ImplWorld(Geometry g, PageTableOps ops) {
            super(ops.name(), g);
            this.ops = ops;
        }

        @Override boolean has(String id) { return spaces.containsKey(id); }

        @Override List<String> ids() { return new ArrayList<>(spaces.keySet()); }

        private Mm mm(String id) {
            Mm mm = spaces.get(id);
            if (mm == null) throw unknown(id);
            return mm;
        }

        @Override
        String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits) {
            if (op instanceof Op.MmOp m) {
                if (spaces.containsKey(m.id())) throw new IllegalArgumentException("exists");
                spaces.put(m.id(), new Mm(g, arena));
                return "created";
            }
            long v;
            if (op instanceof Op.MapOp m) {
                v = ops.map(mm(m.id()), m.start(), m.end(), m.pfn(), m.prot(), m.policy());
            } else if (op instanceof Op.UnmapOp u) {
                v = ops.unmap(mm(u.id()), u.start(), u.end(), u.free(), tlb);
            } else if (op instanceof Op.ProtectOp p) {
                v = ops.protect(mm(p.id()), p.start(), p.end(), p.prot(), tlb);
            } else if (op instanceof Op.CopyOp c) {
                v = ops.copy(mm(c.dst()), mm(c.src()), c.start(), c.end(), c.cow(), tlb);
            } else if (op instanceof Op.MoveOp m) {
                v = ops.move(mm(m.id()), m.oldStart(), m.oldEnd(), m.newStart(), tlb);
            } else if (op instanceof Op.WalkOp w) {
                v = ops.walk(mm(w.id()), w.start(), w.end(),
                        (a, o, l, e) -> visits.add(new Outcome.Visit(a, o, l, e)));
            } else {
                Op.DropOp d = (Op.DropOp) op;
                v = ops.unmap(mm(d.id()), 0, g.vaEnd(), true, tlb);
            }
            return Long.toString(v);
        }

        @Override long rss(String id) { return mm(id).rss(); }

        @Override long tableBytes(String id) { return mm(id).tableBytes(); }

        @Override Outcome.Space space(String id) { return Outcome.Space.of(mm(id)); }

        @Override List<String> invariants() { return Invariants.check(spaces); }

        @Override
        List<String> checkFreed(String id, Geometry g) {
            return Invariants.checkFreed(id, mm(id), 0, g.vaEnd());
        }
    }
}

package org.ptarena.core.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.check.Differ;
import org.ptarena.core.check.Invariants;
import org.ptarena.core.check.Outcome;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleEvents;

/**
 * Runs a trace on the oracle and on every given implementation that supports its geometry (each in
 * a world of its own: an arena and its address spaces), statement by statement, and stops at the
 * first disagreement, broken invariant or failed expectation.
 *
 * <p>Per statement: an operation runs in every world and each implementation's outcome (value or
 * exception class, walk visits, the state of the address spaces it names, the gather) is compared
 * with the oracle's by {@link Differ}; then {@link Invariants} run on every implementation's spaces
 * (and, after {@code unmap … free} or {@code drop}, no empty table may meet the range). {@code
 * fail} wraps an operation every world must refuse ({@link IllegalArgumentException}, {@link
 * org.ptarena.core.OverlapException}, {@link OutOfTablesException}) and that must change nothing.
 * {@code expect…} lines are checked in every world. {@code fault K} arms {@code failAfter(K)} in
 * every world for the next statement only; that statement may then end in {@link
 * OutOfTablesException} everywhere alike. Any other exception that every world throws alike is a
 * mistake in the trace and is reported as such. {@code drop} is an unmap of the whole space with
 * {@code freeTables}. {@code move} is compared like the others (its gather too), and after a
 * completed move no empty table may meet the old range.
 *
 * <p>Only the address spaces a statement names are dumped and compared after it (and every space
 * once more at the end), so a long trace over a few spaces stays cheap.
 *
 * <p><b>Checkpoints.</b> A precise check dumps the named spaces and audits every arena after
 * every statement, which costs the square of a long trace's length (an imported strace log of
 * 20,000 statements: minutes). So a trace longer than {@value #PRECISE_UP_TO} statements (or any
 * trace, with {@link #checkpoints}) is checked cheaply after each statement — the value or
 * exception, the walk's visits, the gather, and the RSS and table bytes of the spaces it names;
 * {@code fail} and {@code expect…} lines as always; after a freeing unmap, a move or a drop no
 * empty table in the range — and in full at checkpoints: every space compared with the
 * oracle's and every arena audited, every {@link #checkpoints N} statements, before each {@code
 * drop} (the space's last state) and at the end. When the cheap check finds a difference, the
 * trace up to that statement is run again precisely, which names the first statement where
 * anyone disagrees; that is the result. So a failure is reported the same either way; what
 * checkpoints can miss is a wrong entry that a later statement rewrites before the next
 * checkpoint (a corruption healed in between). {@code ptarena check --precise} checks every
 * statement in full, whatever the length.
 */
public final class TraceRunner {
    /** Longest trace checked precisely, statement by statement, unless told otherwise. */
    public static final int PRECISE_UP_TO = 1000;
    /** Statements between full comparisons of a long trace. */
    public static final int DEFAULT_CHECKPOINT = 500;
    private static final int MAX_PROBLEMS = 5;
    private final List<PageTableOps> impls;
    private OracleEvents events = OracleEvents.NONE;
    private int every;      // 0: decide by length; 1: precise; more: full check every that many

    public TraceRunner(List<PageTableOps> impls) {
        this.impls = List.copyOf(impls);
    }

    /**
     * Compares in full every {@code every} statements and cheaply in between ({@code 1}: after
     * every statement, the precise check; {@code 0}: precise up to {@value #PRECISE_UP_TO}
     * statements, else every {@value #DEFAULT_CHECKPOINT}, the default).
     */
    public TraceRunner checkpoints(int every) {
        if (every < 0) throw new IllegalArgumentException("checkpoints " + every);
        this.every = every;
        return this;
    }

    /** Observer of the oracle's behaviour (for coverage counting). */
    public TraceRunner events(OracleEvents events) {
        this.events = events;
        return this;
    }

    /** Runs the whole trace; never throws for a disagreement, only reports it. */
    public Result run(Trace trace) {
        Map<String, String> unsupported = new LinkedHashMap<>();
        Geometry g;
        try {
            g = Geometries.byName(trace.geometry());
        } catch (IllegalArgumentException e) {
            return new Result(false, -1, trace.source() + ": " + e.getMessage(), unsupported, 0);
        }
        List<World<?>> worlds = new ArrayList<>();
        worlds.add(new World.OracleWorld(g, new Oracle().events(events)));
        for (PageTableOps ops : impls) {
            Support s = ops.supports(g);
            if (s.supported()) worlds.add(new World.ImplWorld(g, ops));
            else unsupported.put(ops.name(), s.reason());
        }
        List<Trace.Line> lines = trace.lines();
        int n = every != 0 ? every : lines.size() <= PRECISE_UP_TO ? 1 : DEFAULT_CHECKPOINT;
        Run run = new Run(g, worlds, n == 1);
        for (int i = 0; i < lines.size(); i++) {
            Op op = lines.get(i).op();
            String failure = null;
            if (!run.precise && op instanceof Op.DropOp d) failure = run.compareSpace(d.id());
            if (failure == null) failure = run.step(op);
            if (failure == null && !run.precise && (i + 1) % n == 0) failure = run.checkpoint();
            if (failure != null && !run.precise) {
                Trace upTo = new Trace(trace.source(), trace.geometry(), lines.subList(0, i + 1));
                Result precise = new TraceRunner(impls).checkpoints(1).run(upTo);
                if (!precise.passed()) return precise;
            }
            if (failure != null) {
                String where =
                        trace.source()
                                + ": after line "
                                + lines.get(i).number()
                                + " ("
                                + TraceWriter.line(lines.get(i).op())
                                + "): ";
                return new Result(false, i, where + failure, unsupported, i + 1);
            }
        }
        String failure = run.checkpoint();
        if (failure != null) {
            return new Result(
                    false,
                    lines.size() - 1,
                    trace.source() + ": at the end of the trace: " + failure,
                    unsupported,
                    lines.size());
        }
        String summary =
                trace.source()
                        + ": "
                        + lines.size()
                        + " statements; "
                        + worlds.stream().map(w -> w.name).collect(Collectors.joining(", "))
                        + " agree ("
                        + g.name()
                        + ")"
                        + (unsupported.isEmpty()
                                ? ""
                                : "; unsupported: "
                                        + unsupported.entrySet().stream()
                                                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                                                .collect(Collectors.joining(", ")));
        return new Result(true, -1, summary, unsupported, lines.size());
    }

    /**
     * The outcome of a run.
     *
     * @param passed every statement agreed and every expectation held
     * @param failedIndex index into {@code trace.lines()} of the first failing statement, or -1
     * @param report for a failure, what differed, in words a maintainer reads, with the trace's
     *     source and line; for a pass, a one-line summary
     * @param unsupported implementations that do not support the geometry, with the reason
     * @param statements statements run (up to and including the failing one)
     */
    public record Result(
            boolean passed,
            int failedIndex,
            String report,
            Map<String, String> unsupported,
            int statements) {}

    /** One trace being run over the worlds; {@link #step} returns a failure in words, or null. */
    private static final class Run {
        private final Geometry g;
        private final List<World<?>> worlds;
        private final World<?> oracle;
        /** Whether every statement is followed by full dumps and audits. */
        final boolean precise;
        private boolean faultArmed;

        Run(Geometry g, List<World<?>> worlds, boolean precise) {
            this.g = g;
            this.worlds = worlds;
            this.oracle = worlds.get(0);
            this.precise = precise;
        }

        String step(Op op) {
            if (op instanceof Op.FaultOp f) {
                for (World<?> w : worlds) w.failAfter(f.k() < 0 ? Long.MAX_VALUE : f.k());
                faultArmed = true;
                return null;
            }
            boolean faulted = faultArmed;
            faultArmed = false;
            try {
                String unknown = unknownSpace(op);
                if (unknown != null) return unknown;
                if (op instanceof Op.ExpectOp
                        || op instanceof Op.ExpectNoneOp
                        || op instanceof Op.ExpectRssOp
                        || op instanceof Op.ExpectTablesOp) {
                    return expect(op);
                }
                if (op instanceof Op.FailOp f) return fail(f.op());
                if (op instanceof Op.MmOp m && oracle.has(m.id()))
                    return "address space '" + m.id() + "' already exists";
                return operation(op, faulted);
            } finally {
                if (faulted) for (World<?> w : worlds) w.failAfter(0);
            }
        }

        private String unknownSpace(Op op) {
            for (String id : spaces(op)) {
                if (!oracle.has(id) && !(op instanceof Op.MmOp)) {
                    return "unknown address space '"
                            + id
                            + "' — expected one created by an earlier mm line";
                }
            }
            return null;
        }

        private String operation(Op op, boolean faulted) {
            List<Outcome> outs = applyEverywhere(op);
            String d = disagreement(outs);
            if (d != null) return d;
            Outcome o = outs.get(0);
            if (!precise && (d = sizes(op)) != null) return d;
            if (o.exception() != null
                    && !(faulted && o.exception() == OutOfTablesException.class)) {
                return "every world "
                        + o.describeResult()
                        + (o.refused()
                                ? "; a statement that must be refused is written as fail …"
                                : "");
            }
            return invariants(op, o.exception() == null);
        }

        private String fail(Op op) {
            List<Map<String, Outcome.Space>> before = new ArrayList<>();
            for (World<?> w : worlds) before.add(states(w, op));
            List<Outcome> outs = applyEverywhere(op);
            String d = disagreement(outs);
            if (d != null) return d;
            Outcome o = outs.get(0);
            if (!o.refused())
                return "fail: the operation was not refused: every world " + o.describeResult();
            for (int i = 0; i < worlds.size(); i++) {
                for (Map.Entry<String, Outcome.Space> e : states(worlds.get(i), op).entrySet()) {
                    Outcome.Space was = before.get(i).get(e.getKey());
                    String changed =
                            was == null
                                    ? e.getKey() + ": it was created"
                                    : Differ.space(
                                            e.getKey(), e.getValue(), was, "after", "before");
                    if (changed != null) {
                        return "fail: "
                                + worlds.get(i).name
                                + " refused the operation ("
                                + o.describeResult()
                                + ") but changed "
                                + changed;
                    }
                }
            }
            return invariants(op, false);
        }

        private String expect(Op op) {
            Map<String, List<String>> problems = new LinkedHashMap<>();
            for (World<?> w : worlds) {
                String p = expectation(w, op);
                if (p != null) problems.computeIfAbsent(p, k -> new ArrayList<>()).add(w.name);
            }
            if (problems.isEmpty()) return null;
            return "expectation failed: "
                    + problems.entrySet().stream()
                            .map(e -> String.join(", ", e.getValue()) + ": " + e.getKey())
                            .collect(Collectors.joining("; "));
        }

        /** What is wrong with {@code op}'s expectation in {@code w}, or null. */
        private String expectation(World<?> w, Op op) {
            try {
                if (op instanceof Op.ExpectRssOp e) {
                    long rss = w.rss(e.id());
                    return rss == e.pages()
                            ? null
                            : "rss " + rss + ", expected " + Long.toUnsignedString(e.pages());
                }
                if (op instanceof Op.ExpectTablesOp e) {
                    if (e.level() > g.rootLevel()) {
                        return "level "
                                + e.level()
                                + " is above the root level "
                                + g.rootLevel()
                                + " of "
                                + g.name();
                    }
                    long n = w.tables(e.id(), e.level());
                    return n == e.count()
                            ? null
                            : "tables at L"
                                    + e.level()
                                    + " "
                                    + n
                                    + ", expected "
                                    + Long.toUnsignedString(e.count());
                }
                Translation t = new Translation();
                if (op instanceof Op.ExpectNoneOp e) {
                    return w.lookup(e.id(), e.va(), t)
                            ? "0x" + Long.toHexString(e.va()) + " is mapped: " + t
                            : null;
                }
                Op.ExpectOp e = (Op.ExpectOp) op;
                if (!w.lookup(e.id(), e.va(), t))
                    return "nothing maps 0x" + Long.toHexString(e.va());
                List<String> wrong = new ArrayList<>();
                if (e.order() != null && t.order != e.order())
                    wrong.add("order " + t.order + ", expected " + e.order());
                if (e.pfn() != null && t.pfn != e.pfn()) {
                    wrong.add(
                            "pfn 0x"
                                    + Long.toHexString(t.pfn)
                                    + ", expected 0x"
                                    + Long.toHexString(e.pfn()));
                }
                if (e.prot() != null && t.prot != g.format().normalise(e.prot())) {
                    wrong.add(
                            "prot "
                                    + Prot.toString(t.prot)
                                    + ", expected "
                                    + Prot.toString(g.format().normalise(e.prot())));
                }
                if (e.young() != null && t.young != e.young())
                    wrong.add("young " + bit(t.young) + ", expected " + bit(e.young()));
                if (e.dirty() != null && t.dirty != e.dirty())
                    wrong.add("dirty " + bit(t.dirty) + ", expected " + bit(e.dirty()));
                return wrong.isEmpty() ? null : String.join(", ", wrong);
            } catch (IllegalArgumentException ex) {
                return ex.getMessage();
            } catch (RuntimeException | StackOverflowError | AssertionError ex) {
                return "threw " + ex.getClass().getSimpleName() + " (" + ex.getMessage() + ")";
            }
        }

        private static int bit(boolean b) {
            return b ? 1 : 0;
        }

        /**
         * Invariants of every implementation's spaces after a statement that may change them. The
         * "no empty table left" rule of a freeing unmap holds only when it completed: one stopped
         * by an injected fault frees nothing, in the oracle as in every design.
         */
        private String invariants(Op op, boolean completed) {
            if (op instanceof Op.WalkOp || op instanceof Op.LookupOp) return null;
            for (World<?> w : worlds) {
                List<String> problems = precise ? w.invariants() : new ArrayList<>();
                if (op instanceof Op.UnmapOp u && u.free() && completed) {
                    problems.addAll(w.checkFreed(u.id(), u.start(), u.end()));
                } else if (op instanceof Op.MoveOp m && completed) {
                    problems.addAll(w.checkFreed(m.id(), m.oldStart(), m.oldEnd()));
                } else if (op instanceof Op.DropOp d && completed) {
                    problems.addAll(w.checkFreed(d.id(), 0, g.vaEnd()));
                }
                if (!problems.isEmpty()) {
                    return w.name
                            + " breaks an invariant: "
                            + String.join(
                                    "; ",
                                    problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())))
                            + (problems.size() > MAX_PROBLEMS
                                    ? "; … " + (problems.size() - MAX_PROBLEMS) + " more"
                                    : "");
                }
            }
            return null;
        }

        /**
         * The cheap comparison of the spaces {@code op} names: RSS and table bytes, in every
         * world against the oracle's.
         */
        private String sizes(Op op) {
            for (String id : spaces(op)) {
                if (!oracle.has(id)) continue;
                for (World<?> w : worlds.subList(1, worlds.size())) {
                    if (w.rss(id) != oracle.rss(id) || w.tableBytes(id) != oracle.tableBytes(id)) {
                        return w.name + " differs from oracle: " + id + ": rss " + w.rss(id)
                                + " vs " + oracle.rss(id) + ", table bytes " + w.tableBytes(id)
                                + " vs " + oracle.tableBytes(id);
                    }
                }
            }
            return null;
        }

        /** One space of every world against the oracle's, in full. */
        String compareSpace(String id) {
            if (!oracle.has(id)) return null;
            for (World<?> w : worlds.subList(1, worlds.size())) {
                if (!w.has(id)) continue;
                String d = Differ.space(id, w.space(id), oracle.space(id), w.name, oracle.name);
                if (d != null) return w.name + " differs from oracle: " + d;
            }
            return null;
        }

        /**
         * Every space of every world against the oracle's, and (unless every statement was
         * audited already) every implementation's invariants.
         */
        String checkpoint() {
            for (String id : oracle.ids()) {
                String d = compareSpace(id);
                if (d != null) return d;
            }
            if (precise) return null;
            for (World<?> w : worlds) {
                List<String> problems = w.invariants();
                if (!problems.isEmpty()) {
                    return w.name + " breaks an invariant: " + String.join("; ",
                            problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())));
                }
            }
            return null;
        }

        private List<Outcome> applyEverywhere(Op op) {
            List<Outcome> outs = new ArrayList<>();
            for (World<?> w : worlds) outs.add(apply(w, op));
            return outs;
        }

        private String disagreement(List<Outcome> outs) {
            for (int i = 1; i < outs.size(); i++) {
                String d =
                        Differ.firstDifference(
                                worlds.get(i).name, outs.get(i), oracle.name, outs.get(0), g);
                if (d != null) return d;
            }
            return null;
        }

        /** Runs {@code op} in {@code w} and collects what it shows. */
        private Outcome apply(World<?> w, Op op) {
            TlbGather tlb = new TlbGather();
            List<Outcome.Visit> visits = new ArrayList<>();
            Outcome out;
            try {
                out = Outcome.returned(w.apply(op, tlb, visits));
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                out = Outcome.threw(e);
            }
            if (op instanceof Op.WalkOp) out.visits(visits);
            if (precise) {
                for (Map.Entry<String, Outcome.Space> e : states(w, op).entrySet())
                    out.space(e.getKey(), e.getValue());
            }
            if (op instanceof Op.UnmapOp
                    || op instanceof Op.ProtectOp
                    || op instanceof Op.CopyOp
                    || op instanceof Op.MoveOp
                    || op instanceof Op.DropOp) {
                out.gather(tlb);
            }
            return out;
        }

        private static Map<String, Outcome.Space> states(World<?> w, Op op) {
            Map<String, Outcome.Space> states = new LinkedHashMap<>();
            for (String id : spaces(op)) if (w.has(id)) states.put(id, w.space(id));
            return states;
        }

        /** The address spaces a statement names. */
        private static List<String> spaces(Op op) {
            if (op instanceof Op.FailOp f) return spaces(f.op());
            if (op instanceof Op.CopyOp c)
                return c.dst().equals(c.src()) ? List.of(c.dst()) : List.of(c.dst(), c.src());
            if (op instanceof Op.MmOp o) return List.of(o.id());
            if (op instanceof Op.MapOp o) return List.of(o.id());
            if (op instanceof Op.UnmapOp o) return List.of(o.id());
            if (op instanceof Op.ProtectOp o) return List.of(o.id());
            if (op instanceof Op.WalkOp o) return List.of(o.id());
            if (op instanceof Op.LookupOp o) return List.of(o.id());
            if (op instanceof Op.TouchOp o) return List.of(o.id());
            if (op instanceof Op.MoveOp o) return List.of(o.id());
            if (op instanceof Op.DropOp o) return List.of(o.id());
            if (op instanceof Op.ExpectOp o) return List.of(o.id());
            if (op instanceof Op.ExpectNoneOp o) return List.of(o.id());
            if (op instanceof Op.ExpectRssOp o) return List.of(o.id());
            if (op instanceof Op.ExpectTablesOp o) return List.of(o.id());
            return List.of();
        }
    }
}

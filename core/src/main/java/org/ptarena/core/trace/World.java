package org.ptarena.core.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.check.Invariants;
import org.ptarena.core.check.Outcome;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;

/**
 * The oracle or one implementation, with its own address spaces, as {@link TraceRunner} runs a
 * trace on it: the statements applied by name, and what the checks read back.
 */
abstract class World {
    final String name;
    final Geometry g;

    World(String name, Geometry g) {
        this.name = name;
        this.g = g;
    }

    abstract boolean has(String id);

    abstract List<String> ids();

    /** Runs an operation (or creates a space); returns its value in words. */
    abstract String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits);

    abstract Outcome.Space space(String id);

    abstract void failAfter(long k);

    abstract boolean lookup(String id, long va, Translation out);

    abstract long rss(String id);

    abstract long tables(String id, int level);

    abstract long tableBytes(String id);

    List<String> invariants() {
        return new ArrayList<>();
    }

    List<String> checkFreed(String id, long start, long end) {
        return List.of();
    }

    static String translation(boolean found, Translation t) {
        return found ? "true " + t : "false";
    }

    static final class OracleWorld extends World {
        private final Oracle oracle;
        private final Map<String, OracleMm> spaces = new LinkedHashMap<>();

        OracleWorld(Geometry g, Oracle oracle) {
            super("oracle", g);
            this.oracle = oracle;
        }

        @Override
        boolean has(String id) {
            return spaces.containsKey(id);
        }

        @Override
        List<String> ids() {
            return new ArrayList<>(spaces.keySet());
        }

        @Override
        String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits) {
            if (op instanceof Op.MmOp m) {
                spaces.put(m.id(), oracle.newMm(g));
                return "created";
            }
            if (op instanceof Op.MapOp m) {
                return Long.toString(
                        oracle.map(
                                spaces.get(m.id()),
                                m.start(),
                                m.end(),
                                m.pfn(),
                                m.prot(),
                                m.policy()));
            }
            if (op instanceof Op.UnmapOp u)
                return Long.toString(
                        oracle.unmap(spaces.get(u.id()), u.start(), u.end(), u.free(), tlb));
            if (op instanceof Op.ProtectOp p)
                return Long.toString(
                        oracle.protect(spaces.get(p.id()), p.start(), p.end(), p.prot(), tlb));
            if (op instanceof Op.CopyOp c) {
                return Long.toString(
                        oracle.copy(
                                spaces.get(c.dst()),
                                spaces.get(c.src()),
                                c.start(),
                                c.end(),
                                c.cow(),
                                tlb));
            }
            if (op instanceof Op.WalkOp w) {
                return Long.toString(
                        oracle.walk(
                                spaces.get(w.id()),
                                w.start(),
                                w.end(),
                                (addr, order, level, e) ->
                                        visits.add(new Outcome.Visit(addr, order, level, e))));
            }
            if (op instanceof Op.LookupOp l) {
                Translation t = new Translation();
                return translation(oracle.lookup(spaces.get(l.id()), l.va(), t), t);
            }
            if (op instanceof Op.TouchOp t)
                return Boolean.toString(oracle.touch(spaces.get(t.id()), t.va(), t.write()));
            if (op instanceof Op.MoveOp m) {
                return Long.toString(
                        oracle.move(spaces.get(m.id()), m.oldStart(), m.oldEnd(), m.newStart(), tlb));
            }
            if (op instanceof Op.DropOp d)
                return Long.toString(oracle.unmap(spaces.get(d.id()), 0, g.vaEnd(), true, tlb));
            throw new IllegalStateException("not an operation: " + op);
        }

        @Override
        Outcome.Space space(String id) {
            return Outcome.Space.of(spaces.get(id));
        }

        @Override
        void failAfter(long k) {
            oracle.failAfter(k);
        }

        @Override
        boolean lookup(String id, long va, Translation out) {
            return oracle.lookup(spaces.get(id), va, out);
        }

        @Override
        long rss(String id) {
            return spaces.get(id).rss();
        }

        @Override
        long tables(String id, int level) {
            return spaces.get(id).tables(level);
        }

        @Override
        long tableBytes(String id) {
            return spaces.get(id).tableBytes();
        }
    }

    static final class ImplWorld extends World {
        private final PageTableOps ops;
        private final Arena arena = new Arena();
        private final Map<String, Mm> spaces = new LinkedHashMap<>();

        ImplWorld(Geometry g, PageTableOps ops) {
            super(ops.name(), g);
            this.ops = ops;
        }

        @Override
        boolean has(String id) {
            return spaces.containsKey(id);
        }

        @Override
        List<String> ids() {
            return new ArrayList<>(spaces.keySet());
        }

        @Override
        String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits) {
            if (op instanceof Op.MmOp m) {
                spaces.put(m.id(), new Mm(g, arena));
                return "created";
            }
            if (op instanceof Op.MapOp m) {
                return Long.toString(
                        ops.map(
                                spaces.get(m.id()),
                                m.start(),
                                m.end(),
                                m.pfn(),
                                m.prot(),
                                m.policy()));
            }
            if (op instanceof Op.UnmapOp u)
                return Long.toString(
                        ops.unmap(spaces.get(u.id()), u.start(), u.end(), u.free(), tlb));
            if (op instanceof Op.ProtectOp p)
                return Long.toString(
                        ops.protect(spaces.get(p.id()), p.start(), p.end(), p.prot(), tlb));
            if (op instanceof Op.CopyOp c) {
                return Long.toString(
                        ops.copy(
                                spaces.get(c.dst()),
                                spaces.get(c.src()),
                                c.start(),
                                c.end(),
                                c.cow(),
                                tlb));
            }
            if (op instanceof Op.WalkOp w) {
                return Long.toString(
                        ops.walk(
                                spaces.get(w.id()),
                                w.start(),
                                w.end(),
                                (addr, order, level, e) ->
                                        visits.add(new Outcome.Visit(addr, order, level, e))));
            }
            if (op instanceof Op.LookupOp l) {
                Translation t = new Translation();
                return translation(ops.lookup(spaces.get(l.id()), l.va(), t), t);
            }
            if (op instanceof Op.TouchOp t)
                return Boolean.toString(ops.touch(spaces.get(t.id()), t.va(), t.write()));
            if (op instanceof Op.MoveOp m) {
                return Long.toString(
                        ops.move(spaces.get(m.id()), m.oldStart(), m.oldEnd(), m.newStart(), tlb));
            }
            if (op instanceof Op.DropOp d)
                return Long.toString(ops.unmap(spaces.get(d.id()), 0, g.vaEnd(), true, tlb));
            throw new IllegalStateException("not an operation: " + op);
        }

        @Override
        Outcome.Space space(String id) {
            return Outcome.Space.of(spaces.get(id));
        }

        @Override
        void failAfter(long k) {
            arena.failAfter(k);
        }

        @Override
        boolean lookup(String id, long va, Translation out) {
            return ops.lookup(spaces.get(id), va, out);
        }

        @Override
        long rss(String id) {
            return spaces.get(id).rss();
        }

        @Override
        long tables(String id, int level) {
            return spaces.get(id).tables(level);
        }

        @Override
        long tableBytes(String id) {
            return spaces.get(id).tableBytes();
        }

        @Override
        List<String> invariants() {
            return Invariants.check(spaces);
        }

        @Override
        List<String> checkFreed(String id, long start, long end) {
            return Invariants.checkFreed(id, spaces.get(id), start, end);
        }
    }
}

package org.ptarena.core.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;
import org.ptarena.core.check.Invariants;
import org.ptarena.core.check.Outcome;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;

/**
 * The oracle or one implementation, with its own address spaces (of type {@code M}) by name, as
 * {@link TraceRunner} runs a trace on it: a statement is applied by name ({@link #apply}, the
 * same for every world), and the checks read back sizes, dumps and invariants. A world is told
 * only how to run each operation on one of its spaces.
 */
abstract class World<M> {
    final String name;
    final Geometry g;
    final Map<String, M> spaces = new LinkedHashMap<>();

    World(String name, Geometry g) {
        this.name = name;
        this.g = g;
    }

    // --- what a world is --------------------------------------------------------------------

    abstract M newMm();

    abstract long map(M mm, long start, long end, long pfn, int prot, MapPolicy policy);

    abstract long unmap(M mm, long start, long end, boolean free, TlbGather tlb);

    abstract long protect(M mm, long start, long end, int prot, TlbGather tlb);

    abstract long copy(M dst, M src, long start, long end, boolean cow, TlbGather tlb);

    abstract long walk(M mm, long start, long end, WalkVisitor visitor);

    abstract boolean lookup(M mm, long va, Translation out);

    abstract boolean touch(M mm, long va, boolean write);

    abstract long move(M mm, long oldStart, long oldEnd, long newStart, TlbGather tlb);

    abstract Outcome.Space dump(M mm);

    abstract long rss(M mm);

    abstract long tables(M mm, int level);

    abstract long tableBytes(M mm);

    abstract void failAfter(long k);

    /** Invariants of every space (none for the oracle, whose model has no entries). */
    List<String> invariants() {
        return new ArrayList<>();
    }

    /** Empty tables left in {@code [start, end)} of space {@code id} (none for the oracle). */
    List<String> checkFreed(String id, long start, long end) {
        return List.of();
    }

    // --- by name ----------------------------------------------------------------------------

    boolean has(String id) {
        return spaces.containsKey(id);
    }

    List<String> ids() {
        return new ArrayList<>(spaces.keySet());
    }

    /** Runs an operation (or creates a space); returns its value in words. */
    String apply(Op op, TlbGather tlb, List<Outcome.Visit> visits) {
        if (op instanceof Op.MmOp m) {
            spaces.put(m.id(), newMm());
            return "created";
        }
        if (op instanceof Op.MapOp m) {
            return Long.toString(map(spaces.get(m.id()), m.start(), m.end(), m.pfn(), m.prot(),
                    m.policy()));
        }
        if (op instanceof Op.UnmapOp u) {
            return Long.toString(unmap(spaces.get(u.id()), u.start(), u.end(), u.free(), tlb));
        }
        if (op instanceof Op.ProtectOp p) {
            return Long.toString(protect(spaces.get(p.id()), p.start(), p.end(), p.prot(), tlb));
        }
        if (op instanceof Op.CopyOp c) {
            return Long.toString(copy(spaces.get(c.dst()), spaces.get(c.src()), c.start(),
                    c.end(), c.cow(), tlb));
        }
        if (op instanceof Op.WalkOp w) {
            return Long.toString(walk(spaces.get(w.id()), w.start(), w.end(),
                    (addr, order, level, e) -> visits.add(new Outcome.Visit(addr, order, level,
                            e))));
        }
        if (op instanceof Op.LookupOp l) {
            Translation t = new Translation();
            return lookup(spaces.get(l.id()), l.va(), t) ? "true " + t : "false";
        }
        if (op instanceof Op.TouchOp t) {
            return Boolean.toString(touch(spaces.get(t.id()), t.va(), t.write()));
        }
        if (op instanceof Op.MoveOp m) {
            return Long.toString(move(spaces.get(m.id()), m.oldStart(), m.oldEnd(), m.newStart(),
                    tlb));
        }
        if (op instanceof Op.DropOp d) {
            return Long.toString(unmap(spaces.get(d.id()), 0, g.vaEnd(), true, tlb));
        }
        throw new IllegalStateException("not an operation: " + op);
    }

    Outcome.Space space(String id) {
        return dump(spaces.get(id));
    }

    boolean lookup(String id, long va, Translation out) {
        return lookup(spaces.get(id), va, out);
    }

    long rss(String id) {
        return rss(spaces.get(id));
    }

    long tables(String id, int level) {
        return tables(spaces.get(id), level);
    }

    long tableBytes(String id) {
        return tableBytes(spaces.get(id));
    }

    // --- the two kinds ------------------------------------------------------------------------

    /** The oracle's world: its spaces share one allocation count, as an arena's do. */
    static final class OracleWorld extends World<OracleMm> {
        private final Oracle oracle;

        OracleWorld(Geometry g, Oracle oracle) {
            super("oracle", g);
            this.oracle = oracle;
        }

        @Override OracleMm newMm() { return oracle.newMm(g); }

        @Override long map(OracleMm mm, long s, long e, long pfn, int prot, MapPolicy policy) {
            return oracle.map(mm, s, e, pfn, prot, policy);
        }

        @Override long unmap(OracleMm mm, long s, long e, boolean free, TlbGather tlb) {
            return oracle.unmap(mm, s, e, free, tlb);
        }

        @Override long protect(OracleMm mm, long s, long e, int prot, TlbGather tlb) {
            return oracle.protect(mm, s, e, prot, tlb);
        }

        @Override long copy(OracleMm d, OracleMm src, long s, long e, boolean cow, TlbGather t) {
            return oracle.copy(d, src, s, e, cow, t);
        }

        @Override long walk(OracleMm mm, long s, long e, WalkVisitor v) {
            return oracle.walk(mm, s, e, v);
        }

        @Override boolean lookup(OracleMm mm, long va, Translation out) {
            return oracle.lookup(mm, va, out);
        }

        @Override boolean touch(OracleMm mm, long va, boolean write) {
            return oracle.touch(mm, va, write);
        }

        @Override long move(OracleMm mm, long s, long e, long to, TlbGather tlb) {
            return oracle.move(mm, s, e, to, tlb);
        }

        @Override Outcome.Space dump(OracleMm mm) { return Outcome.Space.of(mm); }

        @Override long rss(OracleMm mm) { return mm.rss(); }

        @Override long tables(OracleMm mm, int level) { return mm.tables(level); }

        @Override long tableBytes(OracleMm mm) { return mm.tableBytes(); }

        @Override void failAfter(long k) { oracle.failAfter(k); }
    }

    /** One implementation's world: its spaces share one arena. */
    static final class ImplWorld extends World<Mm> {
        private final PageTableOps ops;
        private final Arena arena = new Arena();

        ImplWorld(Geometry g, PageTableOps ops) {
            super(ops.name(), g);
            this.ops = ops;
        }

        @Override Mm newMm() { return new Mm(g, arena); }

        @Override long map(Mm mm, long s, long e, long pfn, int prot, MapPolicy policy) {
            return ops.map(mm, s, e, pfn, prot, policy);
        }

        @Override long unmap(Mm mm, long s, long e, boolean free, TlbGather tlb) {
            return ops.unmap(mm, s, e, free, tlb);
        }

        @Override long protect(Mm mm, long s, long e, int prot, TlbGather tlb) {
            return ops.protect(mm, s, e, prot, tlb);
        }

        @Override long copy(Mm d, Mm src, long s, long e, boolean cow, TlbGather t) {
            return ops.copy(d, src, s, e, cow, t);
        }

        @Override long walk(Mm mm, long s, long e, WalkVisitor v) {
            return ops.walk(mm, s, e, v);
        }

        @Override boolean lookup(Mm mm, long va, Translation out) {
            return ops.lookup(mm, va, out);
        }

        @Override boolean touch(Mm mm, long va, boolean write) {
            return ops.touch(mm, va, write);
        }

        @Override long move(Mm mm, long s, long e, long to, TlbGather tlb) {
            return ops.move(mm, s, e, to, tlb);
        }

        @Override Outcome.Space dump(Mm mm) { return Outcome.Space.of(mm); }

        @Override long rss(Mm mm) { return mm.rss(); }

        @Override long tables(Mm mm, int level) { return mm.tables(level); }

        @Override long tableBytes(Mm mm) { return mm.tableBytes(); }

        @Override void failAfter(long k) { arena.failAfter(k); }

        @Override List<String> invariants() { return Invariants.check(spaces); }

        @Override List<String> checkFreed(String id, long start, long end) {
            return Invariants.checkFreed(id, spaces.get(id), start, end);
        }
    }
}

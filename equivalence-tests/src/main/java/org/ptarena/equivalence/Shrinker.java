package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * Delta debugging of a failing trace: drop halves, then ever smaller chunks down to single
 * statements, then simplify the values of each statement toward boundaries (ranges to one page or
 * to a table boundary, pfns to aligned ones, prots to {@code rw-u}, policy to {@code base}, fault
 * counts to 1), then drop single statements once more. A candidate is tried only if it is a
 * well-formed trace: every address space is declared by an {@code mm} line before it is used, so
 * {@code mm} lines that a remaining statement needs are kept. Whether a candidate still fails is
 * the caller's {@link Predicate}; the shrinker stops after {@link #MAX_TRIES} tries.
 */
public final class Shrinker {
    /** Most candidates tried for one shrink. */
    public static final int MAX_TRIES = 600;
    /** Largest map turned into base pages when simplifying its policy. */
    static final long MAX_BASE_PAGES = 1 << 12;

    private final Predicate<Trace> fails;
    private final Trace original;
    private final Geometry g;
    private int tries;

    private Shrinker(Trace original, Predicate<Trace> fails) {
        this.original = original;
        this.fails = fails;
        this.g = Geometries.byName(original.geometry());
    }

    /**
     * The smallest trace found that still fails.
     *
     * @param failing a trace for which {@code fails} holds
     * @param fails   whether a candidate still shows the failure
     */
    public static Trace shrink(Trace failing, Predicate<Trace> fails) {
        return new Shrinker(failing, fails).run();
    }

    /** Candidates tried by the last {@link #shrink} of this thread (for reports). */
    public static int lastTries() {
        return LAST_TRIES.get();
    }

    private static final ThreadLocal<Integer> LAST_TRIES = ThreadLocal.withInitial(() -> 0);

    private Trace run() {
        List<Trace.Line> cur = new ArrayList<>(original.lines());
        cur = dropChunks(cur);
        for (int pass = 0; pass < 3; pass++) {
            List<Trace.Line> simpler = simplify(cur);
            if (simpler.equals(cur)) break;
            cur = dropChunks(simpler);
        }
        LAST_TRIES.set(tries);
        List<Trace.Line> numbered = new ArrayList<>();
        for (Trace.Line l : cur) numbered.add(new Trace.Line(numbered.size() + 2, l.op()));
        return trace(numbered);
    }

    private Trace trace(List<Trace.Line> lines) {
        return new Trace(original.source(), original.geometry(), lines);
    }

    private boolean stillFails(List<Trace.Line> lines) {
        if (tries >= MAX_TRIES || !wellFormed(lines)) return false;
        tries++;
        return fails.test(trace(lines));
    }

    /** ddmin on the complements: drop halves, quarters, … single statements. */
    private List<Trace.Line> dropChunks(List<Trace.Line> cur) {
        int n = 2;
        while (cur.size() >= 2 && tries < MAX_TRIES) {
            int chunk = (cur.size() + n - 1) / n;
            boolean reduced = false;
            for (int from = 0; from < cur.size(); from += chunk) {
                List<Trace.Line> candidate = new ArrayList<>(cur.subList(0, from));
                candidate.addAll(cur.subList(Math.min(cur.size(), from + chunk), cur.size()));
                candidate = withoutUnusedSpaces(candidate);
                if (stillFails(candidate)) {
                    cur = candidate;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= cur.size()) break;
                n = Math.min(cur.size(), n * 2);
            }
        }
        return cur;
    }

    /** Tries simpler values for each statement, keeping each that still fails. */
    private List<Trace.Line> simplify(List<Trace.Line> cur) {
        List<Trace.Line> out = new ArrayList<>(cur);
        for (int i = 0; i < out.size() && tries < MAX_TRIES; i++) {
            boolean changed = true;
            while (changed && tries < MAX_TRIES) {
                changed = false;
                for (Op v : variants(out.get(i).op())) {
                    List<Trace.Line> candidate = new ArrayList<>(out);
                    candidate.set(i, new Trace.Line(out.get(i).number(), v));
                    if (stillFails(candidate)) {
                        out = candidate;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Simpler forms of one statement, simplest first. Refusals are left as they are. */
    List<Op> variants(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Op.MapOp m) {
            // base pages only where that stays cheap: a 512G leaf as base pages is 2^27 leaves
            long pages = Long.divideUnsigned(m.end() - m.start(), g.pageSize());
            if (m.policy() == MapPolicy.LARGEST && pages <= MAX_BASE_PAGES) {
                out.add(new Op.MapOp(m.id(), m.start(), m.end(), m.pfn(), m.prot(),
                        MapPolicy.BASE));
            }
            int rw = Prot.R | Prot.W | Prot.U;
            if (m.prot() != rw) out.add(new Op.MapOp(m.id(), m.start(), m.end(), m.pfn(), rw,
                    m.policy()));
            long pfn = simplerPfn(m.pfn());
            if (pfn != m.pfn()) {
                out.add(new Op.MapOp(m.id(), m.start(), m.end(), pfn, m.prot(), m.policy()));
            }
            for (long[] r : simplerRanges(m.start(), m.end())) {
                // the same frames at the same addresses: a part of the same mapping, same units
                long p = m.pfn() + ((r[0] - m.start()) >>> g.pageShift());
                out.add(new Op.MapOp(m.id(), r[0], r[1], p, m.prot(), m.policy()));
            }
        } else if (op instanceof Op.UnmapOp u) {
            if (u.free()) out.add(new Op.UnmapOp(u.id(), u.start(), u.end(), false));
            for (long[] r : simplerRanges(u.start(), u.end())) out.add(new Op.UnmapOp(u.id(),
                    r[0], r[1], u.free()));
        } else if (op instanceof Op.ProtectOp p) {
            for (int prot : new int[] {Prot.R | Prot.U, Prot.R | Prot.W | Prot.U}) {
                if (prot != p.prot()) out.add(new Op.ProtectOp(p.id(), p.start(), p.end(), prot));
            }
            for (long[] r : simplerRanges(p.start(), p.end())) out.add(new Op.ProtectOp(p.id(),
                    r[0], r[1], p.prot()));
        } else if (op instanceof Op.CopyOp c) {
            if (c.cow()) out.add(new Op.CopyOp(c.dst(), c.src(), c.start(), c.end(), false));
            for (long[] r : simplerRanges(c.start(), c.end())) out.add(new Op.CopyOp(c.dst(),
                    c.src(), r[0], r[1], c.cow()));
        } else if (op instanceof Op.WalkOp w) {
            for (long[] r : simplerRanges(w.start(), w.end())) out.add(new Op.WalkOp(w.id(), r[0],
                    r[1]));
        } else if (op instanceof Op.LookupOp l) {
            long va = l.va() & -g.pageSize();
            if (va != l.va() && g.contains(l.va())) out.add(new Op.LookupOp(l.id(), va));
        } else if (op instanceof Op.TouchOp t) {
            if (t.write()) out.add(new Op.TouchOp(t.id(), t.va(), false));
            long va = t.va() & -g.pageSize();
            if (va != t.va() && g.contains(t.va())) out.add(new Op.TouchOp(t.id(), va, t.write()));
        } else if (op instanceof Op.FaultOp f) {
            if (f.k() > 1) {
                out.add(new Op.FaultOp(1));
                out.add(new Op.FaultOp(f.k() - 1));
            }
        }
        return out;
    }

    /**
     * The pfn with every bit above the largest unit's order cleared: smaller, and congruent to the
     * old one modulo every unit size, so the map still installs the same units (a pfn that lost
     * that alignment would turn a 256T leaf into 2^36 base pages).
     */
    private long simplerPfn(long pfn) {
        int largest = 0;
        for (int level = 0; level <= g.rootLevel(); level++) {
            if (g.leafAllowed(level)) largest = Math.max(largest, g.runOrder(level));
        }
        return largest >= 62 ? pfn : pfn & ((1L << largest) - 1);
    }

    /**
     * Ranges inside {@code [start, end)} with ends moved toward boundaries: one page from the
     * start, the start moved up or the end moved down to a boundary of each level, the first half.
     * Ends are unsigned ({@code 2^63} reads negative).
     */
    private List<long[]> simplerRanges(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long page = g.pageSize();
        if (!g.contains(start) || (start & (page - 1)) != 0 || (end & (page - 1)) != 0
                || Long.compareUnsigned(end, start) <= 0 || Long.compareUnsigned(end,
                        g.vaEnd()) > 0) {
            return out;                               // a bad range stays bad as it is
        }
        long len = end - start;
        if (Long.compareUnsigned(len, page) > 0) out.add(new long[] {start, start + page});
        for (int level = g.rootLevel(); level >= 0; level--) {
            long span = g.span(level);
            long up = (start + span - 1) & -span;
            if (Long.compareUnsigned(up, start) > 0 && Long.compareUnsigned(up,
                    end) < 0 && up > 0) {
                out.add(new long[] {up, end});
            }
            long down = end & -span;
            if (Long.compareUnsigned(down, start) > 0 && Long.compareUnsigned(down, end) < 0) {
                out.add(new long[] {start, down});
            }
        }
        long half = (len >>> 1) & -page;
        if (half != 0 && Long.compareUnsigned(half, page) > 0) out.add(new long[] {start,
                start + half});
        if (half != 0) out.add(new long[] {start + half, end});
        return out;
    }

    /** Drops {@code mm} lines that no later statement uses. */
    static List<Trace.Line> withoutUnusedSpaces(List<Trace.Line> lines) {
        Set<String> used = new HashSet<>();
        for (Trace.Line l : lines) used.addAll(spacesUsed(l.op()));
        List<Trace.Line> out = new ArrayList<>();
        for (Trace.Line l : lines) {
            if (l.op() instanceof Op.MmOp m && !used.contains(m.id())) continue;
            out.add(l);
        }
        return out;
    }

    /** Every space is declared once, before it is used. */
    static boolean wellFormed(List<Trace.Line> lines) {
        Set<String> declared = new HashSet<>();
        for (Trace.Line l : lines) {
            if (l.op() instanceof Op.MmOp m) {
                if (!declared.add(m.id())) return false;
                continue;
            }
            if (!declared.containsAll(spacesUsed(l.op()))) return false;
        }
        return true;
    }

    /** The address spaces a statement names (not counting the {@code mm} that declares one). */
    static List<String> spacesUsed(Op op) {
        if (op instanceof Op.FailOp f) return spacesUsed(f.op());
        if (op instanceof Op.MapOp m) return List.of(m.id());
        if (op instanceof Op.UnmapOp u) return List.of(u.id());
        if (op instanceof Op.ProtectOp p) return List.of(p.id());
        if (op instanceof Op.CopyOp c) return List.of(c.dst(), c.src());
        if (op instanceof Op.WalkOp w) return List.of(w.id());
        if (op instanceof Op.LookupOp l) return List.of(l.id());
        if (op instanceof Op.TouchOp t) return List.of(t.id());
        if (op instanceof Op.MoveOp m) return List.of(m.id());
        if (op instanceof Op.DropOp d) return List.of(d.id());
        if (op instanceof Op.ExpectOp e) return List.of(e.id());
        if (op instanceof Op.ExpectNoneOp e) return List.of(e.id());
        if (op instanceof Op.ExpectRssOp e) return List.of(e.id());
        if (op instanceof Op.ExpectTablesOp e) return List.of(e.id());
        return List.of();
    }
}

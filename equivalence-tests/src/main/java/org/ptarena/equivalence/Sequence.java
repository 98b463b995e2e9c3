package org.ptarena.equivalence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * One sequence being generated ({@link Generators}): its address spaces, the generator's
 * {@link Model} of each, and the statements so far. Numbers come from {@link Edges}; this class
 * decides which statement comes next and keeps every statement either certainly accepted (plain)
 * or certainly refused (under {@code fail}).
 */
final class Sequence {
    private static final int MAX_UNITS = Generators.MAX_UNITS;
    private final Geometry g;
    private final SplittableRandom rnd;
    private final long page;
    private final long vaLast;            // last byte of the space, 2^vaBits - 1: never < 0
    private final Edges edges;
    private final Map<String, Model> spaces = new LinkedHashMap<>();
    private final List<Trace.Line> lines = new ArrayList<>();
    private long pendingFault;            // a fault K waiting for the next allocating statement
    int faultPercent = 15;                // % of allocating statements after a fault K
    boolean moves = Generators.moves();   // whether move statements are generated

    Sequence(Geometry g, SplittableRandom rnd) {
        this.g = g;
        this.rnd = rnd;
        this.page = g.pageSize();
        this.vaLast = g.vaEnd() - 1;
        this.edges = new Edges(g, rnd);
    }

    Trace build(int statements, String source) {
        newSpace();
        for (int i = 0; i < 1 + rnd.nextInt(3); i++) map(false);
        while (lines.size() < statements) step();
        return new Trace(source, g.name(), lines);
    }

    // --- statements -----------------------------------------------------------------------

    private void step() {
        int r = rnd.nextInt(100);
        if (r < 7) {
            bad();
        } else if (r < 61) {
            boolean faulted = rnd.nextInt(100) < faultPercent;
            if (faulted) pendingFault = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(8)
                    : rnd.nextInt(2));
            if (r < 30) map(faulted);
            else if (r < 40) unmap(faulted);
            else if (r < 49) protect(faulted);
            else if (r < 56 || !moves) copy(faulted);
            else move(faulted);
            pendingFault = 0;
        } else if (r < 69) {
            walk();
        } else if (r < 76) {
            lookup();
        } else if (r < 96) {
            touch();
        } else if (r < 99) {
            drop();
        } else {
            newSpace();
        }
    }

    /**
     * Adds a statement; a pending {@code fault K} goes right before the first operation that
     * may allocate (never before an {@code mm}, a {@code drop} or a {@code fail}).
     */
    private void emit(Op op) {
        boolean allocates = op instanceof Op.MapOp || op instanceof Op.CopyOp
                || op instanceof Op.UnmapOp || op instanceof Op.ProtectOp
                || op instanceof Op.MoveOp;
        if (pendingFault > 0 && allocates) {
            lines.add(new Trace.Line(lines.size() + 2, new Op.FaultOp(pendingFault)));
            pendingFault = 0;
        }
        lines.add(new Trace.Line(lines.size() + 2, op));
    }

    private String newSpace() {
        if (spaces.size() >= Generators.MAX_SPACES) return spaces.keySet().iterator().next();
        String id = String.valueOf((char) ('A' + spaces.size()));
        spaces.put(id, new Model(g.pageShift()));
        emit(new Op.MmOp(id));
        return id;
    }

    private String anySpace() {
        List<String> ids = new ArrayList<>(spaces.keySet());
        return ids.get(rnd.nextInt(ids.size()));
    }

    /** A space the model believes holds something, if any does. */
    private String busySpace() {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<String, Model> e : spaces.entrySet()) {
            if (!e.getValue().isEmpty()) busy.add(e.getKey());
        }
        return busy.isEmpty() ? anySpace() : busy.get(rnd.nextInt(busy.size()));
    }

    /**
     * A map: written plain when the model knows the range is free, under {@code fail} when it
     * knows part of it is mapped, and not at all when it cannot tell.
     */
    private void map(boolean faulted) {
        String id = rnd.nextInt(4) == 0 ? anySpace() : busySpace();
        Model m = spaces.get(id);
        for (int attempt = 0; attempt < 8; attempt++) {
            long first = mapStart(m);
            long last = edges.edgeLast(first);
            MapPolicy policy = rnd.nextInt(3) == 0 ? MapPolicy.BASE : MapPolicy.LARGEST;
            long pfn = edges.pfnFor(first, last);
            long pfnRoom = g.format().maxPfn() >>> 1;
            while (edges.pages(first, last) > pfnRoom
                    || edges.units(first, last, pfn, policy, MAX_UNITS).size() > MAX_UNITS) {
                last = first + ((last - first + 1) >>> 1) - 1;
                last |= page - 1;
                pfn = edges.pfnFor(first, last);
            }
            if (m.overlapsMaybe(first, last)) continue;
            int prot = anyProt();
            Op op = new Op.MapOp(id, first, last + 1, pfn, prot, policy);
            if (m.overlapsKnown(first, last)) {
                if (faulted || rnd.nextBoolean()) continue;
                emit(new Op.FailOp(op));
                return;
            }
            emit(op);
            if (faulted) m.mapMaybe(first, last);
            else m.map(first, last, pfn, prot, policy);
            return;
        }
    }

    /** A start for a map: next to what is mapped, in a hole, at an edge, or at the top. */
    private long mapStart(Model m) {
        List<Model.Extent> xs = m.extents();
        int r = rnd.nextInt(10);
        if (!xs.isEmpty() && r < 4) {
            Model.Extent x = xs.get(rnd.nextInt(xs.size()));
            long a = rnd.nextBoolean() ? x.end() : x.first() - page * (1 + rnd.nextInt(4));
            if (a >= 0 && a <= vaLast) return edges.clampStart(a);
        }
        if (r == 4) return edges.clampStart(vaLast - (1L << edges.grainAtMost(g.vaBits() - 1)) + 1);
        return edges.edgeAddress();
    }

    /** The units the model believes exist in extent {@code x}. */
    private List<long[]> unitsOf(Model.Extent x) {
        return edges.units(x.first(), x.last(), x.pfn(), x.policy(), 256);
    }

    private int anyProt() {
        int[] prots = {Prot.R | Prot.W | Prot.U, Prot.R | Prot.U, Prot.R | Prot.X | Prot.U,
            Prot.R | Prot.W | Prot.X | Prot.U, Prot.NONE, Prot.X | Prot.U, Prot.R | Prot.W,
            Prot.W | Prot.U, Prot.R};
        return prots[rnd.nextInt(prots.length)];
    }

    /**
     * A range {@code {first, last}} for an operation that acts on what is mapped: a whole
     * extent, a whole unit, part of a unit, a range straddling two units, one page inside a
     * unit, an edge-biased range, the whole space, or the top of the space.
     */
    private long[] targetRange(Model m) {
        List<Model.Extent> xs = m.extents();
        int r = rnd.nextInt(xs.isEmpty() ? 3 : 12);
        if (r == 0) return new long[] {0, vaLast};
        if (r == 1) {
            long first = edges.clampStart(vaLast - (1L << edges.grainAtMost(g.vaBits() - 1)) + 1);
            return new long[] {first, vaLast};
        }
        if (r == 2) {
            long first = edges.edgeAddress();
            return new long[] {first, edges.edgeLast(first)};
        }
        Model.Extent x = xs.get(rnd.nextInt(xs.size()));
        if (r == 3) return new long[] {x.first(), x.last()};
        List<long[]> us = unitsOf(x);
        long[] u = us.get(rnd.nextInt(us.size()));
        long uFirst = u[0];
        long uLast = Math.min(x.last(), u[0] + g.unitSize((int) u[1]) - 1);
        long uPages = edges.pages(uFirst, uLast);
        long[] range = switch (r) {
            case 4, 5 -> new long[] {uFirst, uLast};
            case 6 -> {                 // starts mid-unit
                long first = uFirst + page * Math.max(1, rnd.nextLong(Math.max(1, uPages)));
                if (first > uLast || first < uFirst) first = uFirst;
                yield new long[] {first, rnd.nextBoolean() ? uLast : edges.edgeLast(first)};
            }
            case 7 -> {                 // ends mid-unit
                long last = uFirst + page * Math.max(1, rnd.nextLong(Math.max(1, uPages))) - 1;
                yield new long[] {uFirst, Math.min(last, uLast)};
            }
            case 8 -> {                 // straddles the unit's end
                long mid = uFirst + page * (uPages / 2);
                yield new long[] {mid, Math.min(vaLast, edges.lastOf(uLast + 1,
                        page * (1 + uPages / 2)))};
            }
            case 9 -> {                 // one page inside the unit
                long at = uFirst + page * rnd.nextLong(Math.max(1, uPages));
                yield new long[] {at, at + page - 1};
            }
            default -> new long[] {x.first(),
                edges.lastOf(x.first(), page * (1 + rnd.nextInt(64)))};
        };
        // a step past the top of a 63-bit space wraps negative: fall back to the extent
        return range[0] < 0 || range[0] > range[1] ? new long[] {x.first(), x.last()} : range;
    }

    private void unmap(boolean faulted) {
        String id = busySpace();
        Model m = spaces.get(id);
        long[] r = targetRange(m);
        emit(new Op.UnmapOp(id, r[0], r[1] + 1, rnd.nextBoolean()));
        if (faulted) m.unmapMaybe(r[0], r[1]);
        else m.unmap(r[0], r[1]);
    }

    private void protect(boolean faulted) {
        String id = busySpace();
        Model m = spaces.get(id);
        long[] r = targetRange(m);
        int prot = anyProt();
        long at = m.firstMapped(r[0], r[1]);
        if (at >= 0 && rnd.nextInt(3) > 0) {
            for (Model.Extent x : m.extents()) {
                if (x.first() <= at
                        && at <= x.last()) prot = x.prot() ^ Prot.W;   // toggle write
            }
        }
        emit(new Op.ProtectOp(id, r[0], r[1] + 1, prot));
        m.protect(r[0], r[1], prot);
    }

    /**
     * A copy (fork): into a space the model knows holds no leaf and no table in the range
     * (a new one, one that never touched it, or one dropped first), or — sometimes — under
     * {@code fail} into one it knows holds a leaf there.
     */
    private void copy(boolean faulted) {
        String src = busySpace();
        Model from = spaces.get(src);
        long[] r = targetRange(from);
        List<String> free = new ArrayList<>();
        List<String> refusing = new ArrayList<>();
        for (Map.Entry<String, Model> e : spaces.entrySet()) {
            if (e.getKey().equals(src)) continue;
            if (!e.getValue().overlapsFootprint(r[0], r[1])) free.add(e.getKey());
            if (e.getValue().overlapsKnown(r[0], r[1])) refusing.add(e.getKey());
        }
        boolean cow = rnd.nextBoolean();
        if (!faulted && !refusing.isEmpty() && rnd.nextInt(6) == 0) {
            String dst = refusing.get(rnd.nextInt(refusing.size()));
            emit(new Op.FailOp(new Op.CopyOp(dst, src, r[0], r[1] + 1, cow)));
            return;
        }
        String dst;
        if (spaces.size() < Generators.MAX_SPACES && (free.isEmpty() || rnd.nextInt(3) == 0)) {
            dst = newSpace();
        } else if (!free.isEmpty()) {
            dst = free.get(rnd.nextInt(free.size()));
        } else {
            List<String> others = new ArrayList<>(spaces.keySet());
            others.remove(src);
            dst = others.get(rnd.nextInt(others.size()));
            drop(dst);
        }
        Model to = spaces.get(dst);
        emit(new Op.CopyOp(dst, src, r[0], r[1] + 1, cow));
        to.copyFrom(from, r[0], r[1], !faulted);
        if (cow) {
            from.wrprotect(r[0], r[1]);
            to.wrprotect(r[0], r[1]);
        }
    }

    /**
     * A move ({@code mremap}) of a range to a destination the model knows is empty and free of
     * tables, not overlapping the source; the destination keeps the source's alignment modulo
     * some grain (so units and tables can move whole) or is off by a page (so they split).
     * Sometimes, under {@code fail}, onto a destination the model knows is mapped.
     */
    private void move(boolean faulted) {
        String id = busySpace();
        Model m = spaces.get(id);
        long[] r = targetRange(m);
        long len = r[1] - r[0] + 1;
        if (len <= 0 || len > (vaLast >>> 1)) return;              // no room for a second copy
        for (int attempt = 0; attempt < 8; attempt++) {
            long dst;
            if (rnd.nextInt(3) == 0) {
                dst = edges.edgeAddress();
            } else {
                int s = edges.grains[rnd.nextInt(edges.grains.length)];
                long grain = s >= 62 ? 1L << 62 : 1L << s;
                long offset = r[0] & (grain - 1);
                long past = ((r[1] + grain) & -grain) + offset;
                long before = (r[0] & -grain) - grain * (1 + (len - 1) / grain) + offset;
                dst = rnd.nextBoolean() ? past : before;
                if (rnd.nextInt(4) == 0) dst += page;
            }
            long dLast = dst + len - 1;
            if (dst < 0 || dLast < dst || dLast > vaLast || (dst & (page - 1)) != 0) continue;
            if (dst <= r[1] && dLast >= r[0]) continue;
            // units whose destination is not aligned to their size split first: a 256T leaf
            // moved by one page would become 2^36 base pages, so the misalignment is bounded
            int aligned = Long.numberOfTrailingZeros((dst - r[0]) >> g.pageShift());
            long pieces = aligned >= 62 ? 1 : (((r[1] - r[0]) >>> g.pageShift()) + 1) >>> aligned;
            if (pieces > MAX_UNITS) continue;
            Op op = new Op.MoveOp(id, r[0], r[1] + 1, dst);
            if (m.overlapsKnown(dst, dLast)) {
                if (faulted || rnd.nextInt(3) > 0) continue;
                emit(new Op.FailOp(op));
                return;
            }
            if (m.overlapsFootprint(dst, dLast)) continue;
            emit(op);
            m.move(r[0], r[1], dst, !faulted);
            return;
        }
    }

    private void walk() {
        String id = busySpace();
        long[] r = targetRange(spaces.get(id));
        emit(new Op.WalkOp(id, r[0], r[1] + 1));
    }

    /** An address inside a unit the model believes exists, at a run's edges or inside it. */
    private long insideUnit(Model m) {
        List<Model.Extent> xs = m.extents();
        if (xs.isEmpty()) return edges.edgeAddress() + rnd.nextLong(page);
        Model.Extent x = xs.get(rnd.nextInt(xs.size()));
        List<long[]> us = unitsOf(x);
        long[] u = us.get(rnd.nextInt(us.size()));
        for (long[] cand : us) {
            if (cand[2] == 1 && rnd.nextBoolean()) u = cand;   // prefer runs: touch-in-run
        }
        long uPages = Math.min(edges.pages(u[0], x.last()), 1L << u[1]);
        long pageIndex = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> uPages - 1;
            default -> rnd.nextLong(Math.max(1, uPages));
        };
        return u[0] + pageIndex * page + (rnd.nextInt(4) == 0 ? rnd.nextLong(page) : 0);
    }

    private void lookup() {
        String id = busySpace();
        emit(new Op.LookupOp(id, insideUnit(spaces.get(id))));
    }

    private void touch() {
        String id = busySpace();
        emit(new Op.TouchOp(id, insideUnit(spaces.get(id)), rnd.nextBoolean()));
    }

    private void drop() {
        drop(busySpace());
    }

    private void drop(String id) {
        emit(new Op.DropOp(id));
        spaces.get(id).clear();
    }

    /**
     * A statement certain to be refused whatever the tables hold (reversed, unaligned, empty
     * or out-of-range arguments, a copy onto itself), wrapped in {@code fail}: a trace holds no
     * plain statement that is refused.
     */
    private void bad() {
        String id = anySpace();
        long first = edges.edgeAddress();
        long last = edges.edgeLast(first);
        long start = first;
        long end = last + 1;
        switch (rnd.nextInt(5)) {
            case 0 -> {                         // reversed: both ends in range and aligned
                long k = page * (1 + rnd.nextInt(4));
                if (first >= k) {
                    end = first - k;
                } else {
                    start = Math.min(first + k, vaLast - page + 1);
                    end = start == first ? start - page : first;
                    if (end < 0) end = start;              // a one-page space: empty instead
                }
            }
            case 1 -> start = first + Math.max(1, page >>> 1);         // unaligned start
            case 2 -> end = last + 1 - Math.max(1, page >>> 2);         // unaligned end
            case 3 -> end = start;                                        // empty
            default -> end = g.vaEnd() + page;                           // beyond the top
        }
        Op op = switch (rnd.nextInt(moves ? 7 : 6)) {
            case 0 -> new Op.UnmapOp(id, start, end, false);
            case 1 -> new Op.ProtectOp(id, start, end, anyProt());
            case 2 -> new Op.WalkOp(id, start, end);
            case 3 -> badMap(id, start, end);
            case 4 -> badCopy(id, start, end);
            case 5 -> moves ? new Op.MoveOp(id, start, end, start)   // bad, and onto itself
                    : rnd.nextBoolean() ? new Op.LookupOp(id, outside())
                    : new Op.TouchOp(id, outside(), rnd.nextBoolean());
            default -> rnd.nextBoolean() ? new Op.LookupOp(id, outside())
                    : new Op.TouchOp(id, outside(), rnd.nextBoolean());
        };
        emit(new Op.FailOp(op));
    }

    private Op badMap(String id, long start, long end) {
        if (rnd.nextBoolean()) return new Op.MapOp(id, start, end, 0, anyProt(),
                MapPolicy.BASE);
        // a good range whose frames do not fit the format's frame field
        long first = edges.edgeAddress();
        long last = edges.lastOf(first, page * (1 + rnd.nextInt(4)));
        long pfn = g.format().maxPfn() - rnd.nextInt(2);
        if (edges.pages(first, last) < 3) last = edges.lastOf(first, 3 * page);
        if (edges.pages(first, last) < 3) pfn = g.format().maxPfn() + 1;
        return new Op.MapOp(id, first, last + 1, pfn, anyProt(), MapPolicy.LARGEST);
    }

    private Op badCopy(String id, long start, long end) {
        if (rnd.nextBoolean()) {
            long first = edges.edgeAddress();
            return new Op.CopyOp(id, id, first, edges.edgeLast(first) + 1, rnd.nextBoolean());
        }
        String other = spaces.size() > 1 ? anySpace() : id;
        return new Op.CopyOp(other, id, start, end, rnd.nextBoolean());
    }

    /** An address outside the space: at its top or beyond (negative reads as beyond 2^63). */
    private long outside() {
        if (g.vaBits() == 63) return Long.MIN_VALUE + rnd.nextLong(page);
        return g.vaEnd() + (rnd.nextBoolean() ? 0 : rnd.nextLong(page) * 4);
    }
}

package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;

/** A small world for the module's tests: one arena, address spaces on it, the ops, a gather. */
final class Fixture {
    static final int RW = Prot.R | Prot.W | Prot.U;
    static final int RO = Prot.R | Prot.U;
    static final long K = 1L << 10;
    static final long M = 1L << 20;
    static final long G = 1L << 30;

    final Geometry geometry;
    final Arena arena = new Arena();
    final LegacyOps ops = new LegacyOps();
    final TlbGather tlb = new TlbGather();
    final List<Mm> spaces = new ArrayList<>();

    Fixture(String geometry) {
        this.geometry = Geometries.byName(geometry);
    }

    Mm mm() {
        Mm mm = new Mm(geometry, arena);
        spaces.add(mm);
        return mm;
    }

    long map(Mm mm, long start, long size, long pfn, int prot, boolean largest) {
        MapPolicy policy = largest ? MapPolicy.LARGEST : MapPolicy.BASE;
        return ops.map(mm, start, start + size, pfn, prot, policy);
    }

    long unmap(Mm mm, long start, long size, boolean free) {
        tlb.reset();
        return ops.unmap(mm, start, start + size, free, tlb);
    }

    long protect(Mm mm, long start, long size, int prot) {
        tlb.reset();
        return ops.protect(mm, start, start + size, prot, tlb);
    }

    /** The translation of {@code va}, or null. */
    Translation lookup(Mm mm, long va) {
        Translation t = new Translation();
        return ops.lookup(mm, va, t) ? t : null;
    }

    /** Asserts the unit holding {@code va}: order, pfn of va's own page, prot, young, dirty. */
    void expect(Mm mm, long va, int order, long pfn, int prot, boolean young, boolean dirty) {
        Translation t = lookup(mm, va);
        assertTrue(t != null, () -> "nothing maps 0x" + Long.toHexString(va));
        String at = "at 0x" + Long.toHexString(va) + ": " + t;
        assertEquals(order, t.order, at);
        assertEquals(pfn, t.pfn, at);
        assertEquals(mm.format().normalise(prot), t.prot, at);
        assertEquals(young, t.young, at);
        assertEquals(dirty, t.dirty, at);
    }

    void expectOrder(Mm mm, long va, int order, long pfn) {
        Translation t = lookup(mm, va);
        assertTrue(t != null, () -> "nothing maps 0x" + Long.toHexString(va));
        assertEquals(order, t.order, () -> "order at 0x" + Long.toHexString(va));
        assertEquals(pfn, t.pfn, () -> "pfn at 0x" + Long.toHexString(va));
    }

    void expectNone(Mm mm, long va) {
        Translation t = lookup(mm, va);
        assertTrue(t == null, () -> "0x" + Long.toHexString(va) + " is mapped: " + t);
    }

    /** Tables per level, root first, and the arena's audit. */
    void expectTables(Mm mm, long... rootFirst) {
        long[] actual = new long[rootFirst.length];
        for (int i = 0; i < rootFirst.length; i++) actual[i] = mm.tables(geometry.rootLevel() - i);
        assertEquals(java.util.Arrays.toString(rootFirst), java.util.Arrays.toString(actual),
                "tables per level, root first");
        assertEquals(List.of(), arena.audit(spaces));
    }

    /** Units visited by walk over the range, each as "addr/order/level". */
    List<String> walk(Mm mm, long start, long end) {
        List<String> out = new ArrayList<>();
        long n = ops.walk(mm, start, end,
                (a, o, l, e) -> out.add("0x" + Long.toHexString(a) + "/" + o + "/" + l));
        assertEquals(out.size(), n, "walk's count");
        return out;
    }
}

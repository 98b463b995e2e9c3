package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;

/** One arena, one {@link PtPtrOps}, and readers that turn a walk into values a test compares. */
final class Fixture {
    static final long K = 1L << 10;
    static final long M = 1L << 20;
    static final long G = 1L << 30;
    static final long T = 1L << 40;

    final Arena arena = new Arena();
    final PtPtrOps ops = new PtPtrOps();

    /** One visit of {@code walk}, decoded through the format. */
    record Unit(long addr, int order, int level, long pfn, int prot, boolean contig,
                boolean young, boolean dirty) { }

    Mm mm(Geometry g) {
        return new Mm(g, arena);
    }

    /** Every unit meeting {@code [start, end)}, in walk order. */
    List<Unit> units(Mm mm, long start, long end) {
        EntryFormat f = mm.format();
        List<Unit> out = new ArrayList<>();
        long n = ops.walk(mm, start, end, (addr, order, level, e) -> out.add(new Unit(addr, order,
                level, f.pfn(level, e), f.prot(level, e), f.contig(level, e), f.young(level, e),
                f.dirty(level, e))));
        assertEquals(out.size(), n, "walk's count");
        return out;
    }

    /** Every unit of the space. */
    List<Unit> units(Mm mm) {
        return units(mm, 0, mm.geometry().vaEnd());
    }

    /** Tables per level, bottom-up, the root included. */
    static long[] tables(Mm mm) {
        long[] t = new long[mm.geometry().levels()];
        for (int l = 0; l < t.length; l++) t[l] = mm.tables(l);
        return t;
    }

    /** No leaked or doubly linked table in these spaces. */
    void audit(Mm... spaces) {
        assertEquals(List.of(), arena.audit(List.of(spaces)));
    }
}

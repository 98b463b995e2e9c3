package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * Test helpers that read the tables directly, by a plain recursive scan that shares nothing with
 * the iterator under test: a dump of every non-empty entry, a list of leaf units, audits.
 */
final class Fixture {
    private Fixture() { }

    static Mm mm(Geometry g) {
        return new Mm(g, new Arena());
    }

    /** Every non-empty entry, root first, depth first, as "level start kind …". */
    static List<String> dump(Mm mm) {
        List<String> out = new ArrayList<>();
        Geometry g = mm.geometry();
        dump(mm, mm.root(), g.rootLevel(), 0, out);
        out.add("rss " + mm.rss() + " bytes " + mm.tableBytes());
        for (int l = 0; l < g.levels(); l++) out.add("tables " + l + " " + mm.tables(l));
        return out;
    }

    private static void dump(Mm mm, int table, int level, long base, List<String> out) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        for (int i = 0; i < g.entries(level); i++) {
            long e = mm.get(table + i);
            long at = base + ((long) i << g.spanShift(level));
            if (f.table(level, e)) {
                out.add(String.format(Locale.ROOT, "L%d 0x%x table", level, at));
                dump(mm, f.tablePtr(level, e), level - 1, at, out);
            } else if (f.leaf(level, e)) {
                out.add(String.format(Locale.ROOT, "L%d 0x%x leaf pfn=0x%x %s c%d y%d d%d", level,
                        at, f.pfn(level, e), Prot.toString(f.prot(level, e)),
                        f.contig(level, e) ? 1 : 0, f.young(level, e) ? 1 : 0,
                        f.dirty(level, e) ? 1 : 0));
            } else if (e != 0) {
                out.add(String.format(Locale.ROOT, "L%d 0x%x junk 0x%x", level, at, e));
            }
        }
    }

    /** The walk's visits as "0xADDR/order/level/pfn/prot/young/dirty" lines. */
    static List<String> walk(VpteOps ops, Mm mm, long start, long end) {
        List<String> out = new ArrayList<>();
        EntryFormat f = mm.format();
        ops.walk(mm, start, end, (addr, order, level, e) -> out.add(String.format(Locale.ROOT,
                "0x%x/%d/%d/0x%x/%s/%d%d", addr, order, level, f.pfn(level, e),
                Prot.toString(f.prot(level, e)), f.young(level, e) ? 1 : 0,
                f.dirty(level, e) ? 1 : 0)));
        return out;
    }

    /** The arena's leak and double-link audit comes back clean. */
    static void audit(Mm... spaces) {
        assertEquals(List.of(), spaces[0].arena().audit(List.of(spaces)));
    }

    /** Counts tables reachable from the root, per level, and checks the Mm counters agree. */
    static void countsAgree(Mm mm) {
        Geometry g = mm.geometry();
        long[] seen = new long[g.levels()];
        count(mm, mm.root(), g.rootLevel(), seen);
        for (int l = 0; l < g.levels(); l++) assertEquals(seen[l], mm.tables(l), "tables at " + l);
    }

    private static void count(Mm mm, int table, int level, long[] seen) {
        seen[level]++;
        if (level == 0) return;
        for (int i = 0; i < mm.geometry().entries(level); i++) {
            long e = mm.get(table + i);
            if (mm.format().table(level, e)) {
                count(mm, mm.format().tablePtr(level, e), level - 1, seen);
            }
        }
    }
}

package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.Prot;

/**
 * {@link VpteCursor#seek}, the jump a following cursor makes (move's destination): from any
 * position to any later address it stands where a plain descent from the root stands, whatever
 * it climbed or stepped over; it allocates top-down only what is missing, and stops at a leaf or
 * a table as it should.
 */
class SeekTest {
    /** Root G2, then G1, then G0: 4 entries each; 64 pages of 4K. */
    private static final Geometry TINY = Geometries.byName("generic/12/2,2,2");
    /** The same, with leaves of 4 pages allowed at level 1. */
    private static final Geometry TINY_HUGE = Geometries.byName("generic/12/2,2L,2");
    private static final long PAGE = 0x1000;
    private final VpteOps ops = new VpteOps();

    /**
     * Where a plain descent for {@code addr} ends, read straight from the tables: the slot and
     * level of the first entry on the way that is not a table, or the entry at {@code stop}.
     */
    private static long[] expected(Mm mm, long addr, int stop) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        int table = mm.root();
        for (int l = g.rootLevel(); ; l--) {
            int sl = table + g.index(l, addr);
            long e = mm.get(sl);
            if (l == stop || !f.table(l, e)) return new long[] {sl, l};
            table = f.tablePtr(l, e);
        }
    }

    private static void assertStands(VpteIter it, Mm mm, long addr, int stop, String why) {
        long[] want = expected(mm, addr, stop);
        assertEquals(want[0], it.slot[it.level()], why + ": slot");
        assertEquals(want[1], it.level(), why + ": level");
        long e = mm.get((int) want[0]);
        int kind = mm.format().none(it.level(), e) ? VpteIter.HOLE
                : mm.format().leaf(it.level(), e) ? VpteIter.LEAF : VpteIter.TABLE;
        assertEquals(kind, it.kind(), why + ": kind");
        long span = mm.geometry().span(it.level());
        assertEquals(addr & -span, it.addr(), why + ": unit start");
        assertEquals(addr, it.pos(), why + ": position");
    }

    @Test
    void fromEveryPageToEveryLaterPageItStandsWhereADescentFromTheRootStands() {
        // a sparse tree: holes at every level, first and last slots of tables mapped
        Mm mm = Fixture.mm(TINY);
        for (int p : new int[] {0, 3, 4, 15, 16, 33, 47, 63}) {
            ops.map(mm, p * PAGE, (p + 1) * PAGE, p, Prot.R | Prot.U, MapPolicy.BASE);
        }
        VpteIter it = new VpteIter();
        for (int a = 0; a < 64; a++) {
            for (int b = a; b < 64; b++) {
                it.reset(mm, 0, TINY.vaEnd(), VpteIter.HOLES, null);
                it.seek(a * PAGE, 0);
                assertStands(it, mm, a * PAGE, 0, "first seek to page " + a);
                boolean hole = it.seek(b * PAGE, 0);
                String why = "page " + a + " then page " + b;
                assertStands(it, mm, b * PAGE, 0, why);
                assertEquals(it.level() == 0 && it.kind() == VpteIter.HOLE, hole, why);
            }
        }
    }

    @Test
    void afterAnyStepOfAPlainWalkASeekStandsWhereTheDescentStands() {
        Mm mm = Fixture.mm(TINY);
        for (int p : new int[] {0, 3, 4, 15, 16, 33, 47, 63}) {
            ops.map(mm, p * PAGE, (p + 1) * PAGE, p, Prot.R | Prot.U, MapPolicy.BASE);
        }
        int[] flags = {VpteIter.LEAVES, VpteIter.LEAVES | VpteIter.HOLES,
            VpteIter.LEAVES | VpteIter.TABLES | VpteIter.TABLES_POST};
        VpteIter it = new VpteIter();
        for (int fl : flags) {
            for (int steps = 0; steps < 40; steps++) {
                it.reset(mm, 0, TINY.vaEnd(), fl, null);
                int done = 0;
                while (done < steps && it.next()) done++;
                if (done < steps) break;                      // the walk is over: all seen
                long from = Math.max(it.pos(), it.addr());
                for (long b = (from + PAGE - 1) / PAGE; b < 64; b += 5) {
                    VpteIter follower = new VpteIter();
                    follower.reset(mm, 0, TINY.vaEnd(), fl, null);
                    for (int i = 0; i < steps; i++) follower.next();
                    follower.seek(b * PAGE, 0);
                    assertStands(follower, mm, b * PAGE, 0,
                            "flags " + fl + ", " + steps + " steps, then page " + b);
                }
            }
        }
    }

    @Test
    void aSeededAscendingTourAtMixedStopOrdersMatchesTheDescentEveryStep() {
        Mm mm = Fixture.mm(TINY);
        Random rnd = new Random(0x5eedL);
        for (int p = 0; p < 64; p++) {
            if (rnd.nextInt(3) == 0) {
                ops.map(mm, p * PAGE, (p + 1) * PAGE, p, Prot.R | Prot.U, MapPolicy.BASE);
            }
        }
        VpteIter it = new VpteIter();
        for (int tour = 0; tour < 200; tour++) {
            it.reset(mm, 0, TINY.vaEnd(), VpteIter.HOLES, null);
            for (long page = rnd.nextInt(8); page < 64; page += 1 + rnd.nextInt(9)) {
                int stopOrder = 2 * rnd.nextInt(3);          // a page, a G1 entry, a G2 entry
                int stop = stopOrder / 2;
                it.seek(page * PAGE, stopOrder);
                assertStands(it, mm, page * PAGE, stop,
                        "tour " + tour + " page " + page + " stop order " + stopOrder);
            }
        }
    }

    @Test
    void withAllocItBuildsOnlyTheMissingTablesTopDown() {
        Mm mm = Fixture.mm(TINY);
        VpteIter it = new VpteIter();
        it.reset(mm, 0, TINY.vaEnd(), VpteIter.HOLES | VpteIter.ALLOC, null);
        assertTrue(it.seek(5 * PAGE, 0));
        assertEquals(1, mm.tables(1));
        assertEquals(1, mm.tables(0));
        assertTrue(it.seek(6 * PAGE, 0));          // sideways in the same table: nothing new
        assertTrue(it.seek(9 * PAGE, 0));          // a new G0 table under the same G1 table
        assertEquals(1, mm.tables(1));
        assertEquals(2, mm.tables(0));
        assertTrue(it.seek(17 * PAGE, 0));         // up to the root, then two tables down
        assertEquals(2, mm.tables(1));
        assertEquals(3, mm.tables(0));
        assertTrue(it.seek(36 * PAGE, 2));         // down to G1 only
        assertEquals(3, mm.tables(1));
        assertEquals(3, mm.tables(0));
        assertStands(it, mm, 36 * PAGE, 1, "G1 hole");

        // the failing allocation is the lower one: the G1 table above it stays
        mm.arena().failAfter(2);
        assertThrows(OutOfTablesException.class, () -> it.seek(49 * PAGE, 0));
        assertEquals(4, mm.tables(1));
        assertEquals(3, mm.tables(0));
    }

    @Test
    void itStopsAtALeafAboveTheStopLevelAndAtATableAtIt() {
        Mm mm = Fixture.mm(TINY_HUGE);
        ops.map(mm, 8 * PAGE, 12 * PAGE, 0x40, Prot.R | Prot.U, MapPolicy.LARGEST);   // G1 leaf
        ops.map(mm, 12 * PAGE, 13 * PAGE, 0x80, Prot.R | Prot.U, MapPolicy.BASE);     // G0 table
        long tables = mm.tables(0) + mm.tables(1);
        VpteIter it = new VpteIter();
        it.reset(mm, 0, TINY_HUGE.vaEnd(), VpteIter.HOLES | VpteIter.ALLOC, null);
        assertFalse(it.seek(9 * PAGE, 0));
        assertEquals(VpteIter.LEAF, it.kind());
        assertEquals(1, it.level());
        assertEquals(8 * PAGE, it.addr());
        assertFalse(it.seek(13 * PAGE, 2));        // the G1 entry holds a table
        assertEquals(VpteIter.TABLE, it.kind());
        assertEquals(1, it.level());
        assertTrue(it.seek(13 * PAGE, 0));         // the page beside the mapped one
        assertEquals(tables, mm.tables(0) + mm.tables(1), "nothing allocated");
    }
}

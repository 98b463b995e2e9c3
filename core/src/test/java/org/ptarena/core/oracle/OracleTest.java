package org.ptarena.core.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;

/**
 * The oracle on hand-worked cases: every operation, every split, unfold and accessed/dirty rule.
 */
class OracleTest {
    static final int RWU = Prot.R | Prot.W | Prot.U;
    static final int RU = Prot.R | Prot.U;
    static final long K4 = 0x1000;
    static final long M2 = 0x200000;
    static final long G1 = 1L << 30;
    static final Geometry X86 = Geometries.X86_64_4LEVEL;
    static final Geometry ARM = Geometries.ARM64_4K_48;
    static final Geometry SV48 = Geometries.RISCV_SV48;

    /**
     * Root (level 3) 16 entries of 1M, no leaf; level 2 8 entries of 128K, leaves; level 1 4
     * entries of 32K, no leaf; level 0 8 entries of 4K. 24-bit space.
     */
    static final Geometry MIDDLE = Geometries.byName("generic/12/4,3L,2,3");

    final Events events = new Events();
    final Oracle oracle = new Oracle().events(events);
    final TlbGather tlb = new TlbGather();

    /** Records every event as a word, e.g. {@code split:unmap:1}. */
    static final class Events implements OracleEvents {
        final List<String> seen = new ArrayList<>();

        @Override
        public void unit(String op, int level, int order, boolean contiguous) {
            seen.add("unit:" + op + ":" + level + ":" + order + (contiguous ? ":run" : ""));
        }

        @Override
        public void split(String op, int level) {
            seen.add("split:" + op + ":" + level);
        }

        @Override
        public void unfold(String op, int level) {
            seen.add("unfold:" + op + ":" + level);
        }

        @Override
        public void accessRule(String op, String rule) {
            seen.add("rule:" + op + ":" + rule);
        }

        @Override
        public void tableFreed(String op, int level) {
            seen.add("free:" + op + ":" + level);
        }

        @Override
        public void tableAllocated(String op, int level) {
            seen.add("alloc:" + op + ":" + level);
        }

        @Override
        public void refused(String op, Class<? extends RuntimeException> e) {
            seen.add("refused:" + op + ":" + e.getSimpleName());
        }
    }

    static long[] tables(OracleMm mm) {
        long[] t = new long[mm.geometry().levels()];
        for (int l = 0; l < t.length; l++) t[l] = mm.tables(l);
        return t;
    }

    static List<String> units(OracleMm mm) {
        List<String> out = new ArrayList<>();
        for (Unit u : mm.units())
            out.add(
                    String.format(
                            java.util.Locale.ROOT,
                            "L%d 0x%x o%d pfn=0x%x %s%s",
                            u.level(),
                            u.start(),
                            u.order(),
                            u.pfn(),
                            Prot.toString(u.prot()),
                            u.contiguous() ? " run" : ""));
        return out;
    }

    static Unit unit(OracleMm mm, long va) {
        Unit u = mm.unitAt(va);
        assertTrue(u != null, "nothing at 0x" + Long.toHexString(va));
        return u;
    }

    // --- map --------------------------------------------------------------------------------

    @Test
    void mapBaseAllocatesTopDownAndInstallsYoungCleanLeaves() {
        OracleMm a = oracle.newMm(X86);
        assertEquals(2, oracle.map(a, 0, 2 * K4, 0x100, RWU, MapPolicy.BASE));
        assertEquals(List.of("L0 0x0 o0 pfn=0x100 rw-u", "L0 0x1000 o0 pfn=0x101 rw-u"), units(a));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        assertEquals(4 * 4096, a.tableBytes());
        assertEquals(2, a.rss());
        assertTrue(unit(a, 0).young(0));
        assertFalse(unit(a, 0).dirty(0));
        assertEquals(
                List.of(
                        "alloc:mm:3",
                        "alloc:map:2",
                        "alloc:map:1",
                        "alloc:map:0",
                        "unit:map:0:0",
                        "unit:map:0:0"),
                events.seen);
    }

    @Test
    void mapLargestTakesTheLargestAlignedUnitThatFits() {
        OracleMm a = oracle.newMm(X86);
        assertEquals(513, oracle.map(a, M2, 2 * M2 + K4, 0x200, RWU, MapPolicy.LARGEST));
        assertEquals(
                List.of("L1 0x200000 o9 pfn=0x200 rw-u", "L0 0x400000 o0 pfn=0x400 rw-u"),
                units(a));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        // pfn not aligned to 2M: base pages only, in two PT tables
        OracleMm b = oracle.newMm(X86);
        assertEquals(513, oracle.map(b, M2, 2 * M2 + K4, 0x201, RWU, MapPolicy.LARGEST));
        assertEquals(513, b.units().size());
        assertArrayEquals(new long[] {2, 1, 1, 1}, tables(b));
        // 1G leaf in the PDPT: no PD table at all
        OracleMm c = oracle.newMm(X86);
        oracle.map(c, G1, 2 * G1, 0x40000, RWU, MapPolicy.LARGEST);
        assertEquals(List.of("L2 0x40000000 o18 pfn=0x40000 rw-u"), units(c));
        assertArrayEquals(new long[] {0, 0, 1, 1}, tables(c));
    }

    @Test
    void mapLargestDescendsIntoAnExistingEmptyTable() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, M2 + K4, 1, RWU, MapPolicy.BASE);
        oracle.unmap(a, M2, M2 + K4, false, tlb);
        assertEquals(1, a.tables(0));
        oracle.map(a, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        assertEquals(512, a.units().size());
        assertEquals(0, unit(a, M2).order());
    }

    @Test
    void mapRefusesAnyMappedPageBeforeChangingAnything() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2 + K4, M2 + 2 * K4, 1, RWU, MapPolicy.BASE);
        OverlapException e =
                assertThrows(
                        OverlapException.class,
                        () -> oracle.map(a, 0, 4 * M2, 0, RWU, MapPolicy.LARGEST));
        assertEquals("map: 0x201000 is already mapped", e.getMessage());
        assertEquals(1, a.rss());
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        assertTrue(events.seen.contains("refused:map:OverlapException"));
    }

    @Test
    void mapChecksRangeThenProtThenPfns() {
        OracleMm a = oracle.newMm(X86);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> oracle.map(a, 0x800, K4, 1L << 40, 99, MapPolicy.BASE));
        assertTrue(e.getMessage().contains("start 0x800"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> oracle.map(a, 0, K4, 1L << 40, 99, MapPolicy.BASE));
        assertTrue(e.getMessage().contains("prot 99"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> oracle.map(a, 0, 2 * K4, (1L << 40) - 1, RWU, MapPolicy.BASE));
        assertTrue(e.getMessage().contains("pfn 0xffffffffff + 2 pages"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> oracle.map(a, 1L << 48, (1L << 48) + K4, 0, RWU, MapPolicy.BASE));
        assertTrue(e.getMessage().contains("outside the 48-bit"), e.getMessage());
        assertEquals(0, a.units().size());
        assertArrayEquals(new long[] {0, 0, 0, 1}, tables(a));
    }

    @Test
    void mapFailureRemovesItsLeavesAndKeepsItsTables() {
        OracleMm a = oracle.newMm(X86);
        // allocations: PDPT, PD, PT for 0x1ff000, PT for 0x200000 (the 4th fails)
        oracle.failAfter(4);
        assertThrows(
                OutOfTablesException.class,
                () -> oracle.map(a, M2 - K4, M2 + K4, 7, RWU, MapPolicy.BASE));
        assertEquals(0, a.rss());
        assertEquals(List.of(), units(a));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        // the failure disarmed itself
        assertEquals(2, oracle.map(a, M2 - K4, M2 + K4, 7, RWU, MapPolicy.BASE));
    }

    @Test
    void newAddressSpaceCountsItsRootForFaultInjection() {
        oracle.failAfter(1);
        assertThrows(OutOfTablesException.class, () -> oracle.newMm(X86));
        assertEquals(1, oracle.newMm(X86).tables(3));
    }

    // --- arm64 contiguous runs, accessed and dirty --------------------------------------------

    @Test
    void mapLargestBuildsContiguousRunsOnArm64() {
        OracleMm a = oracle.newMm(ARM);
        assertEquals(16 + 1, oracle.map(a, 0x10000, 0x21000, 0x10, RWU, MapPolicy.LARGEST));
        assertEquals(
                List.of("L0 0x10000 o4 pfn=0x10 rw-u run", "L0 0x20000 o0 pfn=0x20 rw-u"),
                units(a));
        assertEquals(16, unit(a, 0x1f000).entries());
        // 32M run of 2M blocks at level 1 (L2), pfn aligned to 8192 pages
        OracleMm b = oracle.newMm(ARM);
        oracle.map(b, 1L << 25, 1L << 26, 1L << 13, RWU, MapPolicy.LARGEST);
        assertEquals(List.of("L1 0x2000000 o13 pfn=0x2000 rw-u run"), units(b));
        assertArrayEquals(new long[] {0, 1, 1, 1}, tables(b));
    }

    @Test
    void mapLargestTakesARunOnlyWhenEverySlotOfItIsNone() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, 0x2000000 + 5 * M2, 0x2000000 + 5 * M2 + K4, 0, RWU, MapPolicy.BASE);
        oracle.unmap(a, 0x2000000 + 5 * M2, 0x2000000 + 5 * M2 + K4, false, tlb);
        // slot 5 of the run holds an empty table: single 2M blocks where possible, base pages in
        // slot 5
        oracle.map(a, 0x2000000, 0x4000000, 1L << 13, RWU, MapPolicy.LARGEST);
        assertEquals(15 + 32, a.units().size()); // 15 blocks of 2M, and 32 runs of 64K in slot 5
        assertEquals(9, unit(a, 0x2000000).order());
        Unit inSlot5 = unit(a, 0x2000000 + 5 * M2);
        assertEquals(4, inSlot5.order()); // 64K runs inside the existing PTE table
        assertTrue(inSlot5.contiguous());
    }

    @Test
    void touchSetsOneEntryAndWalkAndLookupReportTheOrOverTheRun() {
        OracleMm a = oracle.newMm(ARM);
        OracleMm b = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        oracle.copy(b, a, 0x10000, 0x20000, false, tlb); // shared: b's run is old and clean
        Unit run = unit(b, 0x10000);
        assertFalse(run.youngAny());
        assertTrue(oracle.touch(b, 0x13abc, true));
        for (int i = 0; i < 16; i++) {
            assertEquals(i == 3, run.young(i), "young " + i);
            assertEquals(i == 3, run.dirty(i), "dirty " + i);
        }
        Translation t = new Translation();
        assertTrue(oracle.lookup(b, 0x10000, t));
        assertTrue(t.young && t.dirty);
        assertEquals(4, t.order);
        List<long[]> visits = new ArrayList<>();
        assertEquals(
                1,
                oracle.walk(
                        b,
                        0x18000,
                        0x19000,
                        (addr, order, level, e) -> visits.add(new long[] {addr, order, level, e})));
        assertArrayEquals(
                new long[] {0x10000, 4, 0, ARM.format().makeLeaf(0, 0x10, RWU, true, true, true)},
                visits.get(0));
        assertTrue(events.seen.contains("rule:touch:touch-in-run"));
        assertTrue(events.seen.contains("rule:walk:or-over-run"));
        assertTrue(events.seen.contains("rule:lookup:or-over-run"));
    }

    @Test
    void partialProtectInsideARunUnfoldsItGivingEveryEntryTheOr() {
        OracleMm a = oracle.newMm(ARM);
        OracleMm b = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        oracle.copy(b, a, 0x10000, 0x20000, false, tlb);
        oracle.touch(b, 0x13000, true);
        tlb.reset();
        assertEquals(1, oracle.protect(b, 0x10000, 0x11000, RU, tlb));
        assertEquals(16, b.units().size());
        for (Unit u : b.units()) {
            assertFalse(u.contiguous());
            assertTrue(u.young(0) && u.dirty(0), u.toString());
            assertEquals(u.start() == 0x10000 ? RU : RWU, u.prot(), u.toString());
        }
        assertEquals(0x10000, tlb.start());
        assertEquals(0x20000, tlb.end());
        assertEquals(1, tlb.levels());
        assertTrue(events.seen.contains("unfold:protect:0"));
        assertTrue(events.seen.contains("rule:protect:or-on-unfold"));
    }

    @Test
    void partialProtectUnfoldsEvenWhenNothingThenChanges() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RU, MapPolicy.LARGEST);
        assertEquals(0, oracle.protect(a, 0x10000, 0x11000, RU, tlb));
        assertEquals(16, a.units().size());
        assertEquals(1, tlb.levels()); // the unfold was recorded
    }

    @Test
    void wholeRunProtectKeepsItContiguousAndIsOneUnit() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        oracle.touch(a, 0x11000, true);
        assertEquals(16, oracle.protect(a, 0x10000, 0x20000, RU, tlb));
        Unit run = unit(a, 0x10000);
        assertTrue(run.contiguous());
        assertEquals(RU, run.prot());
        assertTrue(run.dirty(1) && !run.dirty(0)); // protect keeps per-entry bits
        assertEquals(
                "gather{range=[0x10000, 0x20000) levels=1 tablesFreed=0 released=[]}",
                tlb.toString());
        tlb.reset();
        assertEquals(0, oracle.protect(a, 0x10000, 0x20000, RU, tlb));
        assertTrue(tlb.isEmpty());
    }

    @Test
    void copyCowWriteProtectsBothKeepsDirtyAndMakesTheChildOld() {
        OracleMm a = oracle.newMm(ARM);
        OracleMm c = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        oracle.touch(a, 0x12000, true);
        assertEquals(16, oracle.copy(c, a, 0x10000, 0x20000, true, tlb));
        Unit child = unit(c, 0x10000);
        Unit parent = unit(a, 0x10000);
        assertEquals(RU, child.prot());
        assertEquals(RU, parent.prot());
        assertTrue(child.contiguous());
        for (int i = 0; i < 16; i++) {
            assertFalse(child.young(i));
            assertTrue(child.dirty(i)); // the run's OR, on every entry
            assertTrue(parent.young(i)); // the parent keeps its own bits
            assertEquals(i == 2, parent.dirty(i));
        }
        assertEquals(
                "gather{range=[0x10000, 0x20000) levels=1 tablesFreed=0 released=[]}",
                tlb.toString());
        assertEquals(16, c.rss());
        assertTrue(events.seen.contains("rule:copy:copy-keep-dirty"));
        assertTrue(events.seen.contains("rule:copy:copy-mkold"));
    }

    @Test
    void copySharedMakesTheChildOldAndCleanAndLeavesTheParent() {
        OracleMm a = oracle.newMm(X86);
        OracleMm b = oracle.newMm(X86);
        oracle.map(a, 0, 2 * K4, 0x100, RWU, MapPolicy.BASE);
        oracle.touch(a, K4, true);
        assertEquals(2, oracle.copy(b, a, 0, 2 * K4, false, tlb));
        assertTrue(tlb.isEmpty());
        Unit child = unit(b, K4);
        assertEquals(RWU, child.prot());
        assertFalse(child.young(0) || child.dirty(0));
        assertEquals(RWU, unit(a, K4).prot());
        assertTrue(unit(a, K4).dirty(0));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(b));
        assertTrue(events.seen.contains("rule:copy:copy-mkclean"));
    }

    @Test
    void copyGivesAnEmptySourceTableAnEmptyDestinationTable() {
        OracleMm a = oracle.newMm(X86);
        OracleMm d = oracle.newMm(X86);
        oracle.map(a, M2, M2 + K4, 1, RWU, MapPolicy.BASE);
        oracle.unmap(a, M2, M2 + K4, false, tlb);
        assertEquals(0, oracle.copy(d, a, M2, 2 * M2, true, tlb));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(d));
        assertEquals(0, d.rss());
    }

    @Test
    void copyRefusesADestinationHoldingALeafOrATableInsideTheRange() {
        OracleMm a = oracle.newMm(X86);
        OracleMm d = oracle.newMm(X86);
        oracle.map(a, M2, M2 + K4, 1, RWU, MapPolicy.BASE);
        oracle.copy(d, a, M2, 2 * M2, true, tlb);
        OverlapException e =
                assertThrows(
                        OverlapException.class, () -> oracle.copy(d, a, M2, 2 * M2, true, tlb));
        assertEquals("copy: destination holds a table at 0x200000", e.getMessage());
        e = assertThrows(OverlapException.class, () -> oracle.copy(d, a, M2, M2 + K4, true, tlb));
        assertEquals("copy: 0x200000 is already mapped", e.getMessage());
        // a table that only partly meets the range is fine: copy into the rest of it
        oracle.map(a, M2 + K4, M2 + 2 * K4, 2, RWU, MapPolicy.BASE);
        assertEquals(1, oracle.copy(d, a, M2 + K4, M2 + 2 * K4, true, tlb));
        IllegalArgumentException same =
                assertThrows(
                        IllegalArgumentException.class, () -> oracle.copy(a, a, 0, K4, true, tlb));
        assertTrue(same.getMessage().contains("same address space"));
    }

    @Test
    void copySplitsAPartlyCoveredSourceLeafAndAllocatesInWalkOrder() {
        OracleMm a = oracle.newMm(X86);
        OracleMm e = oracle.newMm(X86);
        oracle.map(a, 2 * M2, 3 * M2, 0x400, RWU, MapPolicy.LARGEST);
        // allocations: e's PDPT and PD on entering a's, a's PT for the split (3rd), e's PT (4th)
        oracle.failAfter(3);
        assertThrows(
                OutOfTablesException.class,
                () -> oracle.copy(e, a, 2 * M2 + K4, 2 * M2 + 2 * K4, false, tlb));
        assertArrayEquals(new long[] {0, 1, 1, 1}, tables(e));
        assertEquals(List.of("L1 0x400000 o9 pfn=0x400 rw-u"), units(a));
        oracle.failAfter(2); // now: a's PT (1st) for the split, e's PT (2nd)
        assertThrows(
                OutOfTablesException.class,
                () -> oracle.copy(e, a, 2 * M2 + K4, 2 * M2 + 2 * K4, false, tlb));
        assertEquals(512, a.units().size()); // the source keeps its split
        assertEquals(0, e.tables(0));
        tlb.reset();
        assertEquals(1, oracle.copy(e, a, 2 * M2 + K4, 2 * M2 + 2 * K4, false, tlb));
        assertEquals(List.of("L0 0x401000 o0 pfn=0x401 rw-u"), units(e));
        assertTrue(tlb.isEmpty()); // split already done before
    }

    @Test
    void copyFailureRemovesTheCopiedLeavesAndKeepsTables() {
        OracleMm a = oracle.newMm(X86);
        OracleMm e = oracle.newMm(X86);
        oracle.map(a, 0, 2 * K4, 0x100, RWU, MapPolicy.BASE);
        oracle.map(a, M2, M2 + K4, 0x300, RWU, MapPolicy.BASE);
        oracle.failAfter(4); // e: PDPT, PD, PT@0, PT@2M fails after two leaves were copied
        assertThrows(OutOfTablesException.class, () -> oracle.copy(e, a, 0, 2 * M2, true, tlb));
        assertEquals(0, e.rss());
        assertEquals(List.of(), units(e));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(e));
        assertEquals(RU, unit(a, 0).prot()); // the source keeps its write-protection
        assertEquals(RWU, unit(a, M2).prot());
    }

    // --- unmap, splits, freeing ---------------------------------------------------------------

    @Test
    void unmapStartingMidLeafSplitsItAndRecordsTheGather() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        assertEquals(2, oracle.unmap(a, M2 + K4, M2 + 3 * K4, false, tlb));
        assertEquals(510, a.rss());
        assertEquals(1, a.tables(0));
        assertEquals(
                "gather{range=[0x200000, 0x400000) levels=11 tablesFreed=0 released=[0x201/0"
                        + " 0x202/0]}",
                tlb.toString());
        assertEquals(RWU, unit(a, M2 + 3 * K4).prot());
        assertTrue(unit(a, M2).young(0)); // children inherit the leaf's bits
        assertFalse(unit(a, M2).dirty(0));
        // an old, dirty leaf (copied with cow, then written) splits into old, dirty children
        OracleMm b = oracle.newMm(X86);
        OracleMm c = oracle.newMm(X86);
        oracle.map(b, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        oracle.touch(b, M2 + 5 * K4, true);
        oracle.copy(c, b, M2, 2 * M2, true, new TlbGather());
        oracle.protect(c, M2, M2 + K4, Prot.NONE, new TlbGather());
        for (Unit u : c.units()) {
            assertFalse(u.young(0), u.toString());
            assertTrue(u.dirty(0), u.toString());
        }
        assertEquals(512, c.units().size());
        assertEquals(Prot.NONE, unit(c, M2).prot());
        assertTrue(events.seen.contains("split:unmap:1"));
        assertTrue(events.seen.contains("rule:unmap:inherit-on-split"));
    }

    @Test
    void unmapFreesEmptyTablesButNeverTheRoot() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, 0, K4, 1, RWU, MapPolicy.BASE);
        oracle.map(a, M2, M2 + K4, 2, RWU, MapPolicy.BASE);
        oracle.unmap(a, K4, 2 * K4, true, tlb); // meets the PT at 0, which is not empty
        assertArrayEquals(new long[] {2, 1, 1, 1}, tables(a));
        assertEquals(1, oracle.unmap(a, 0, K4, true, tlb));
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        assertEquals(1, tlb.tablesFreed());
        tlb.reset();
        oracle.unmap(a, M2, M2 + K4, true, tlb);
        assertArrayEquals(new long[] {0, 0, 0, 1}, tables(a));
        assertEquals(3, tlb.tablesFreed());
        assertEquals(4096, a.tableBytes());
        tlb.reset();
        oracle.unmap(a, 0, 1L << 48, true, tlb);
        assertEquals(1, a.tables(3));
        assertEquals(0, tlb.tablesFreed());
    }

    @Test
    void unmapWithFreeFreesTablesLeftEmptyByAnEarlierFailure() {
        OracleMm a = oracle.newMm(X86);
        oracle.failAfter(3);
        assertThrows(
                OutOfTablesException.class, () -> oracle.map(a, 0, K4, 1, RWU, MapPolicy.BASE));
        assertArrayEquals(new long[] {0, 1, 1, 1}, tables(a));
        oracle.unmap(
                a, 4L << 30, (4L << 30) + K4, true, tlb); // meets the PDPT only: it holds the PD
        assertArrayEquals(new long[] {0, 1, 1, 1}, tables(a));
        assertEquals(0, oracle.unmap(a, K4, 2 * K4, true, tlb));
        assertArrayEquals(new long[] {0, 0, 0, 1}, tables(a));
        assertEquals(2, tlb.tablesFreed());
    }

    @Test
    void splitWhereTheLevelBelowMayNotHoldLeavesBuildsTablesDepthFirst() {
        OracleMm a = oracle.newMm(MIDDLE);
        long k128 = 128 << 10;
        oracle.map(a, k128, 2 * k128, 32, RWU, MapPolicy.LARGEST);
        assertEquals(List.of("L2 0x20000 o5 pfn=0x20 rw-u"), units(a));
        assertArrayEquals(new long[] {0, 0, 1, 1}, tables(a));
        // the split allocates the level-1 table, then four level-0 tables: the 3rd allocation fails
        oracle.failAfter(3);
        assertThrows(
                OutOfTablesException.class,
                () -> oracle.unmap(a, k128 + K4, k128 + 2 * K4, false, tlb));
        assertEquals(List.of("L2 0x20000 o5 pfn=0x20 rw-u"), units(a));
        assertArrayEquals(new long[] {0, 0, 1, 1}, tables(a));
        assertTrue(tlb.isEmpty());
        events.seen.clear();
        assertEquals(1, oracle.unmap(a, k128 + K4, k128 + 2 * K4, false, tlb));
        assertArrayEquals(new long[] {4, 1, 1, 1}, tables(a));
        assertEquals(31, a.units().size());
        assertEquals(
                List.of(
                        "alloc:unmap:1",
                        "alloc:unmap:0",
                        "alloc:unmap:0",
                        "alloc:unmap:0",
                        "alloc:unmap:0",
                        "split:unmap:2",
                        "rule:unmap:inherit-on-split",
                        "unit:unmap:0:0"),
                events.seen);
        assertEquals("L0 0x3f000 o0 pfn=0x3f rw-u", units(a).get(30));
        // the first 32K go, with their level-0 table; the level-1 table keeps the other three
        tlb.reset();
        assertEquals(7, oracle.unmap(a, k128, k128 + 0x8000, true, tlb));
        assertArrayEquals(new long[] {3, 1, 1, 1}, tables(a));
        assertEquals(1, tlb.tablesFreed());
    }

    @Test
    void mapLargestSkipsALevelThatMayNotHoldLeaves() {
        OracleMm a = oracle.newMm(MIDDLE);
        assertEquals(
                8, oracle.map(a, 0, 0x8000, 0, RWU, MapPolicy.LARGEST)); // 32K: level 1, no leaves
        assertEquals(8, a.units().size());
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
    }

    // --- riscv root leaf, splitting down three levels -------------------------------------------

    @Test
    void riscvRootLeafSplitsLevelByLevelOnAPartialProtect() {
        OracleMm a = oracle.newMm(SV48);
        long g512 = 1L << 39;
        oracle.map(a, 0, g512, 0, RWU, MapPolicy.LARGEST);
        assertEquals(List.of("L3 0x0 o27 pfn=0x0 rw-u"), units(a));
        assertArrayEquals(new long[] {0, 0, 0, 1}, tables(a));
        oracle.failAfter(2);
        assertThrows(OutOfTablesException.class, () -> oracle.protect(a, 0, K4, RU, tlb));
        assertEquals(512, a.units().size()); // the first split stays, the second failed
        assertArrayEquals(new long[] {0, 0, 1, 1}, tables(a));
        tlb.reset();
        assertEquals(1, oracle.protect(a, 0, K4, RU, tlb));
        assertEquals(511 + 511 + 511 + 1, a.units().size());
        assertArrayEquals(new long[] {1, 1, 1, 1}, tables(a));
        assertEquals(0b111, tlb.levels()); // two splits and the change
        assertEquals(RU, unit(a, 0).prot());
        assertEquals(RWU, unit(a, K4).prot());
        assertEquals(18, unit(a, G1).order());
        assertEquals(g512 >>> 12, a.rss());
    }

    // --- walk, lookup, touch, top of the space ---------------------------------------------------

    @Test
    void walkVisitsEveryUnitMeetingTheRangeAtItsOwnStart() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, 0, K4, 5, RWU, MapPolicy.BASE);
        oracle.map(a, M2, 2 * M2, 0x200, RU | Prot.X, MapPolicy.LARGEST);
        List<String> v = new ArrayList<>();
        assertEquals(
                2,
                oracle.walk(
                        a,
                        0,
                        1L << 48,
                        (addr, order, level, e) ->
                                v.add(
                                        Long.toHexString(addr)
                                                + "/"
                                                + order
                                                + "/"
                                                + level
                                                + "/"
                                                + Long.toHexString(e))));
        assertEquals(
                List.of(
                        "0/0/0/"
                                + Long.toHexString(
                                        X86.format().makeLeaf(0, 5, RWU, false, true, false)),
                        "200000/9/1/"
                                + Long.toHexString(
                                        X86.format()
                                                .makeLeaf(
                                                        1,
                                                        0x200,
                                                        RU | Prot.X,
                                                        false,
                                                        true,
                                                        false))),
                v);
        v.clear();
        assertEquals(
                1,
                oracle.walk(
                        a,
                        M2 + K4,
                        M2 + 2 * K4,
                        (addr, order, level, e) -> v.add(Long.toHexString(addr))));
        assertEquals(List.of("200000"), v);
        assertEquals(1, a.tables(1)); // walk never splits
    }

    @Test
    void lookupReportsTheBasePagesOwnPfnAndProtNone() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, M2, 2 * M2, 0x200, RWU, MapPolicy.LARGEST);
        oracle.map(a, 0, K4, 9, Prot.NONE, MapPolicy.BASE);
        Translation t = new Translation();
        assertTrue(oracle.lookup(a, M2 + 0x3abc, t));
        assertEquals(0x203, t.pfn);
        assertEquals(0x203abc, t.phys);
        assertEquals(9, t.order);
        assertEquals(1, t.level);
        assertTrue(oracle.lookup(a, 0x10, t));
        assertEquals(Prot.NONE, t.prot);
        assertFalse(oracle.lookup(a, K4, t));
        assertThrows(IllegalArgumentException.class, () -> oracle.lookup(a, 1L << 48, t));
    }

    @Test
    void touchNeedsUserAndReadOrWrite() {
        OracleMm a = oracle.newMm(X86);
        oracle.map(a, 0, K4, 1, Prot.NONE, MapPolicy.BASE);
        oracle.map(a, K4, 2 * K4, 2, RU, MapPolicy.BASE);
        oracle.map(a, 2 * K4, 3 * K4, 3, Prot.R | Prot.W, MapPolicy.BASE);
        OracleMm b = oracle.newMm(X86);
        oracle.copy(b, a, 0, 3 * K4, false, tlb); // all old
        assertFalse(oracle.touch(b, 0, false)); // PROT_NONE
        assertFalse(oracle.touch(b, K4, true)); // read-only
        assertTrue(oracle.touch(b, K4, false));
        assertFalse(oracle.touch(b, 2 * K4, false)); // no u
        assertFalse(oracle.touch(b, 3 * K4, false)); // nothing mapped
        assertFalse(unit(b, 0).young(0));
        assertTrue(unit(b, K4).young(0));
        assertFalse(unit(b, K4).dirty(0));
        assertFalse(unit(b, 2 * K4).young(0));
        assertTrue(events.seen.contains("rule:touch:touch-fault"));
    }

    @Test
    void rangeEndingAtTheTopOfA63BitSpace() {
        Geometry g = Geometries.FUTURE_6LEVEL;
        OracleMm a = oracle.newMm(g);
        long top = Long.MIN_VALUE; // 2^63
        assertEquals(2, oracle.map(a, top - 2 * K4, top, 0x10, RWU, MapPolicy.LARGEST));
        List<Long> v = new ArrayList<>();
        assertEquals(2, oracle.walk(a, 0, top, (addr, order, level, e) -> v.add(addr)));
        assertEquals(List.of(top - 2 * K4, top - K4), v);
        assertEquals(1, oracle.protect(a, top - K4, top, RU, tlb));
        assertEquals(top, tlb.end());
        assertEquals(2, oracle.unmap(a, 0, top, true, tlb));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1}, tables(a));
    }

    @Test
    void walkEntryIsTheFormatsCanonicalLeaf() {
        OracleMm a = oracle.newMm(ARM);
        oracle.map(a, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        assertEquals(
                ARM.format().makeLeaf(0, 0x10, RWU, true, true, false),
                Oracle.entry(ARM, unit(a, 0x10000)));
        assertNull(a.unitAt(0x20000));
    }
}

package org.ptarena.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Arena;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;

/**
 * CanonicalDump on hand-built tables and on the oracle; Invariants on broken tables; Differ's
 * words.
 */
class CheckersTest {
    static final int RWU = Prot.R | Prot.W | Prot.U;
    static final Geometry X86 = Geometries.X86_64_4LEVEL;
    static final Geometry ARM = Geometries.ARM64_4K_48;

    /**
     * x86: PDPT, PD at 0; PT at 0 with pfns 0x100, 0x101 (young, the second dirty); a 2M leaf at
     * 2M.
     */
    static Mm handBuilt(Arena arena) {
        Mm mm = new Mm(X86, arena);
        EntryFormat f = X86.format();
        int pdpt = mm.allocTable(2);
        int pd = mm.allocTable(1);
        int pt = mm.allocTable(0);
        mm.set(mm.root(), f.makeTable(3, pdpt));
        mm.set(pdpt, f.makeTable(2, pd));
        mm.set(pd, f.makeTable(1, pt));
        mm.set(pd + 1, f.makeLeaf(1, 0x200, RWU, false, true, false));
        mm.set(pt, f.makeLeaf(0, 0x100, RWU, false, true, false));
        mm.set(pt + 1, f.makeLeaf(0, 0x101, RWU, false, true, true));
        mm.addRss(2 + 512);
        return mm;
    }

    static OracleMm sameInTheOracle() {
        Oracle o = new Oracle();
        OracleMm mm = o.newMm(X86);
        o.map(mm, 0, 0x2000, 0x100, RWU, MapPolicy.BASE);
        o.map(mm, 0x200000, 0x400000, 0x200, RWU, MapPolicy.LARGEST);
        o.touch(mm, 0x1000, true);
        return mm;
    }

    @Test
    void dumpOfRealTablesEqualsDumpOfTheOracle() {
        CanonicalDump real = CanonicalDump.of(handBuilt(new Arena()));
        CanonicalDump oracle = CanonicalDump.of(sameInTheOracle());
        assertEquals(
                String.join(
                        "\n",
                        "L3 0x0 TABLE",
                        "L2 0x0 TABLE",
                        "L1 0x0 TABLE",
                        "L0 0x0 LEAF pfn=0x100 prot=rw-u young",
                        "L0 0x1000 LEAF pfn=0x101 prot=rw-u young dirty",
                        "L1 0x200000 LEAF pfn=0x200 prot=rw-u young",
                        ""),
                real.toString());
        assertEquals(real, oracle);
        assertEquals(-1, real.firstDifference(oracle));
        assertEquals(Outcome.Space.of(handBuilt(new Arena())), Outcome.Space.of(sameInTheOracle()));
    }

    @Test
    void oracleDumpListsRunEntriesAndEmptyTables() {
        Oracle o = new Oracle();
        OracleMm mm = o.newMm(ARM);
        o.map(mm, 0x10000, 0x20000, 0x10, RWU, MapPolicy.LARGEST);
        o.map(mm, 0x400000, 0x401000, 0x1, RWU, MapPolicy.BASE);
        o.unmap(mm, 0x400000, 0x401000, false, new TlbGather());
        CanonicalDump d = CanonicalDump.of(mm);
        assertEquals(3 + 16 + 1, d.size());
        assertEquals("L0 0x1f000 LEAF pfn=0x1f prot=rw-u contiguous young", d.get(18).toString());
        assertEquals("L1 0x400000 TABLE", d.get(19).toString());
    }

    @Test
    void invariantsHoldOnCleanTables() {
        Arena arena = new Arena();
        Mm a = handBuilt(arena);
        Mm b = new Mm(X86, arena);
        assertEquals(List.of(), Invariants.check(a, b));
        assertEquals(List.of(), Invariants.checkFreed("A", a, 0, 1L << 48));
    }

    @Test
    void invariantsFindLeaksDoubleLinksAndWrongCounters() {
        Arena arena = new Arena();
        Mm a = handBuilt(arena);
        int stray = arena.alloc(9, 0); // allocated, never linked, not counted
        List<String> p = Invariants.check(a);
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).startsWith("arena: leaked table at 0x" + Integer.toHexString(stray)),
                p.toString());
        arena.free(stray);
        int pd = X86.format().tablePtr(2, a.get(X86.format().tablePtr(3, a.get(a.root()))));
        a.set(pd + 2, a.get(pd)); // the PT linked twice
        p = Invariants.check(a);
        assertTrue(p.stream().anyMatch(s -> s.contains("linked 2 times")), p.toString());
        assertTrue(p.contains("#0: RSS 514 but the leaves hold 516 pages"), p.toString());
        assertTrue(p.contains("#0: 1 tables counted at L0 but 2 reachable"), p.toString());
        assertTrue(p.contains("#0: table bytes 16384 counted but 20480 reachable"), p.toString());
    }

    @Test
    void invariantsFindLeavesWhereTheyMayNotBeAndNonCanonicalWords() {
        Arena arena = new Arena();
        Mm a = handBuilt(arena);
        EntryFormat f = X86.format();
        a.set(a.root() + 1, f.makeLeaf(3, 0, RWU, false, true, false)); // a 512G leaf in the PML4
        int pt = f.tablePtr(1, a.get(f.tablePtr(2, a.get(f.tablePtr(3, a.get(a.root()))))));
        a.set(pt + 2, f.makeLeaf(0, 0x102, RWU) | (1L << 9)); // a stray software bit
        a.addRss((1L << 27) + 1);
        List<String> p = Invariants.check(java.util.Map.of("A", a));
        assertEquals(
                List.of(
                        "A: leaf at L0 0x2000 is not canonical: 0x"
                                + Long.toHexString(f.makeLeaf(0, 0x102, RWU) | (1L << 9))
                                + ", the format builds 0x"
                                + Long.toHexString(f.makeLeaf(0, 0x102, RWU))
                                + " for its fields",
                        "A: leaf at L3 0x8000000000, a level that may not hold leaves"),
                p);
    }

    @Test
    void invariantsCheckEveryContiguousRun() {
        Arena arena = new Arena();
        Mm a = new Mm(ARM, arena);
        EntryFormat f = ARM.format();
        int l2 = a.allocTable(2);
        int l1 = a.allocTable(1);
        int l0 = a.allocTable(0);
        a.set(a.root(), f.makeTable(3, l2));
        a.set(l2, f.makeTable(2, l1));
        a.set(l1, f.makeTable(1, l0));
        for (int i = 0; i < 16; i++)
            a.set(l0 + i, f.makeLeaf(0, 0x10 + i, RWU, i != 5, true, false));
        for (int i = 0; i < 16; i++)
            a.set(l0 + 16 + i, f.makeLeaf(0, 0x21 + i, RWU, true, true, false));
        for (int i = 0; i < 16; i++)
            a.set(l0 + 32 + i, f.makeLeaf(0, 0x30 + (i == 7 ? 8 : i), RWU, true, true, false));
        for (int i = 0; i < 16; i++)
            a.set(l0 + 48 + i, f.makeLeaf(0, 0x40 + i, i == 9 ? Prot.R : RWU, true, true, false));
        a.addRss(64);
        assertEquals(
                List.of(
                        "#0: contiguous run at L0 0x0 has 15 of 16 entries contiguous",
                        "#0: contiguous run at L0 0x10000: first pfn 0x21 is not aligned to the"
                                + " run",
                        "#0: contiguous run at L0 0x20000: entry 7 has pfn 0x38, expected 0x37",
                        "#0: contiguous run at L0 0x30000: entry 9 has prot r---, the run rw-u"),
                Invariants.check(a));
    }

    @Test
    void checkFreedFindsAnEmptyTableMeetingTheRange() {
        Arena arena = new Arena();
        Mm a = handBuilt(arena);
        EntryFormat f = X86.format();
        int pt = f.tablePtr(1, a.get(f.tablePtr(2, a.get(f.tablePtr(3, a.get(a.root()))))));
        a.set(pt, 0);
        a.set(pt + 1, 0);
        assertEquals(List.of(), Invariants.checkFreed("A", a, 0x200000, 0x400000));
        assertEquals(
                List.of("A: empty L0 table for 0x0 left after unmap with free of [0x1000, 0x2000)"),
                Invariants.checkFreed("A", a, 0x1000, 0x2000));
    }

    @Test
    void differNamesTheFirstDifferenceInWords() {
        OracleMm o = sameInTheOracle();
        Outcome oracle =
                Outcome.returned("2").space("A", Outcome.Space.of(o)).gather(new TlbGather());
        Mm real = handBuilt(new Arena());
        assertNull(
                Differ.firstDifference(
                        "vpte",
                        Outcome.returned("2")
                                .space("A", Outcome.Space.of(real))
                                .gather(new TlbGather()),
                        "oracle",
                        oracle,
                        X86));
        EntryFormat f = X86.format();
        int pt =
                f.tablePtr(
                        1, real.get(f.tablePtr(2, real.get(f.tablePtr(3, real.get(real.root()))))));
        real.set(pt, f.withProt(0, real.get(pt), Prot.R | Prot.U));
        assertEquals(
                "vpte differs from oracle: A: entry L0 0x0: prot r--u vs rw-u",
                Differ.firstDifference(
                        "vpte",
                        Outcome.returned("2").space("A", Outcome.Space.of(real)),
                        "oracle",
                        oracle,
                        X86));
        assertEquals(
                "vpte differs from oracle: returned 1 vs 2",
                Differ.firstDifference("vpte", Outcome.returned("1"), "oracle", oracle, X86));
        assertEquals(
                "legacy differs from oracle: threw OverlapException (x) vs returned 2",
                Differ.firstDifference(
                        "legacy",
                        Outcome.threw(new org.ptarena.core.OverlapException("x")),
                        "oracle",
                        oracle,
                        X86));
        real.set(pt, f.makeLeaf(0, 0x100, RWU));
        real.set(pt + 2, f.makeLeaf(0, 0x102, RWU));
        real.addRss(1);
        assertEquals(
                "p differs from oracle: A: entry L0 0x2000 LEAF pfn=0x102 prot=rw-u young only in"
                        + " p",
                Differ.firstDifference(
                        "p",
                        Outcome.returned("2").space("A", Outcome.Space.of(real)),
                        "oracle",
                        oracle,
                        X86));
        assertEquals(
                "oracle differs from p: A: entry L0 0x2000 LEAF pfn=0x102 prot=rw-u young missing"
                        + " in oracle",
                Differ.firstDifference(
                        "oracle",
                        oracle,
                        "p",
                        Outcome.returned("2").space("A", Outcome.Space.of(real)),
                        X86));
        TlbGather g = new TlbGather();
        g.tableFreed(0);
        assertEquals(
                "p differs from oracle: gather gather{no leaves tablesFreed=1 released=[]} vs"
                        + " gather{no leaves tablesFreed=0 released=[]}",
                Differ.firstDifference(
                        "p",
                        Outcome.returned("2").space("A", Outcome.Space.of(o)).gather(g),
                        "oracle",
                        oracle,
                        X86));
        Outcome.Space s = Outcome.Space.of(o);
        Outcome.Space moreRss =
                new Outcome.Space(s.dump(), s.rss() + 1, s.tables(), s.tableBytes());
        assertEquals("A: rss 515 vs 514", Differ.space("A", moreRss, s, "x", "y"));
        Outcome.Space moreTables =
                new Outcome.Space(s.dump(), s.rss(), new long[] {1, 1, 2, 1}, s.tableBytes());
        assertEquals("A: tables at L2 2 vs 1", Differ.space("A", moreTables, s, "x", "y"));
    }

    @Test
    void differComparesWalkVisits() {
        long e = X86.format().makeLeaf(1, 0x200, RWU, false, true, false);
        Outcome a = Outcome.returned("1").visits(List.of(new Outcome.Visit(0x200000, 9, 1, e)));
        Outcome b = Outcome.returned("1").visits(List.of(new Outcome.Visit(0x200000, 0, 0, e)));
        assertEquals(
                "x differs from oracle: walk visit 1: 0x200000 order=9 L1 entry 0x"
                        + Long.toHexString(e)
                        + " (pfn=0x200 prot=rw-u young) vs 0x200000 order=0 L0 entry 0x"
                        + Long.toHexString(e)
                        + " (pfn=0x200 prot=rw-u young)",
                Differ.firstDifference("x", a, "oracle", b, X86));
        assertEquals(
                "x differs from oracle: walk visit 2 0x200000 order=9 L1 entry 0x"
                        + Long.toHexString(e)
                        + " (pfn=0x200 prot=rw-u young) only in x",
                Differ.firstDifference(
                        "x",
                        Outcome.returned("1").visits(List.of(b.visits().get(0), a.visits().get(0))),
                        "oracle",
                        b,
                        X86));
    }
}

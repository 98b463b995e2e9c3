package org.ptarena.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleEvents;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;

class TraceRunnerTest {

    static TraceRunner.Result run(String text, PageTableOps... impls) {
        return new TraceRunner(List.of(impls)).run(TraceParser.parse("t.trace", text));
    }

    static final String AGREEING =
            String.join(
                    "\n",
                    "geometry x86-64/4level",
                    "mm A",
                    "mm B",
                    "map A 0x0 +8K pfn=0x100 prot=rw-u",
                    "map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest",
                    "expect A 0x203000 order=9 pfn=0x203 prot=rw-u young=1 dirty=0",
                    "touch A 0x1000 write",
                    "unmap A 0x201000 +4K            # splits the 2M leaf",
                    "expect A 0x200000 order=0",
                    "expect-none A 0x201000",
                    "protect A 0x0 +4K prot=r--u",
                    "copy B A 0x0 +4M cow",
                    "expect B 0x1000 prot=r--u young=0 dirty=1",
                    "expect A 0x1000 prot=r--u young=1 dirty=1",
                    "walk A 0x0 +4M",
                    "lookup B 0x203000",
                    "fail map A 0x0 +4K pfn=1 prot=rw-u",
                    "fail unmap A 0x2000 0x1000",
                    "fail protect A 0x800 +4K prot=r--u",
                    "fail copy B A 0x0 +4K shared",
                    "expect-rss A 513",
                    "expect-tables B 0 2",
                    "unmap A 0x0 +4M free",
                    "expect-tables A 0 0",
                    "expect-tables A 3 1",
                    "drop B",
                    "expect-tables B 2 0",
                    "expect-rss B 0");

    @Test
    void anAgreeingTracePassesOnTheOracleAlone() {
        TraceRunner.Result r = run(AGREEING);
        assertTrue(r.passed(), r.report());
        assertEquals(-1, r.failedIndex());
        assertEquals(27, r.statements());
        assertEquals("t.trace: 27 statements; oracle agree (x86-64/4level)", r.report());
    }

    @Test
    void anAgreeingTracePassesWithACorrectImplementation() {
        TraceRunner.Result r = run(AGREEING, new ShadowOps());
        assertTrue(r.passed(), r.report());
        assertEquals("t.trace: 27 statements; oracle, shadow agree (x86-64/4level)", r.report());
    }

    @Test
    void runsAndContiguousBitsAgreeOnArm64AndARootLeafOnRiscv() {
        TraceRunner.Result r =
                run(
                        String.join(
                                "\n",
                                "geometry arm64/4k-48",
                                "mm A",
                                "mm B",
                                "map A 0x10000 +64K pfn=0x10 prot=rw-u policy=largest",
                                "map A 0x2000000 +32M pfn=0x2000 prot=rw-u policy=largest",
                                "copy B A 0x0 +64M shared",
                                "touch B 0x13000 write",
                                "expect B 0x10000 order=4 young=1 dirty=1",
                                "protect B 0x10000 +4K prot=r--u",
                                "expect B 0x1f000 order=0 young=1 dirty=1",
                                "unmap A 0x2000000 +2M",
                                "expect A 0x2200000 order=9",
                                "walk B 0x0 +64M",
                                "drop A"),
                        new ShadowOps());
        assertTrue(r.passed(), r.report());
        r =
                run(
                        String.join(
                                "\n",
                                "geometry riscv/sv48",
                                "mm A",
                                "map A 0x0 +512G pfn=0x0 prot=rw-u policy=largest",
                                "expect-tables A 2 0",
                                "protect A 0x0 +4K prot=r--u",
                                "expect-tables A 0 1",
                                "expect A 0x1000 order=0 prot=rw-u",
                                "expect A 0x40000000 order=18",
                                "unmap A 0x0 0x8000000000 free",
                                "expect-tables A 2 0"),
                        new ShadowOps());
        assertTrue(r.passed(), r.report());
    }

    /** Decorates an implementation; each test overrides the one operation it breaks. */
    static class Decorator implements PageTableOps {
        final PageTableOps d = new ShadowOps();
        final String name;

        Decorator(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Support supports(Geometry g) {
            return d.supports(g);
        }

        @Override
        public long map(Mm mm, long s, long e, long pfn, int prot, MapPolicy p) {
            return d.map(mm, s, e, pfn, prot, p);
        }

        @Override
        public long unmap(Mm mm, long s, long e, boolean f, TlbGather t) {
            return d.unmap(mm, s, e, f, t);
        }

        @Override
        public long protect(Mm mm, long s, long e, int prot, TlbGather t) {
            return d.protect(mm, s, e, prot, t);
        }

        @Override
        public long copy(Mm a, Mm b, long s, long e, boolean cow, TlbGather t) {
            return d.copy(a, b, s, e, cow, t);
        }

        @Override
        public long walk(Mm mm, long s, long e, WalkVisitor v) {
            return d.walk(mm, s, e, v);
        }

        @Override
        public boolean lookup(Mm mm, long va, Translation out) {
            return d.lookup(mm, va, out);
        }

        @Override
        public boolean touch(Mm mm, long va, boolean w) {
            return d.touch(mm, va, w);
        }
    }

    /** Arena index of the leaf entry that maps {@code va}, found through the tables. */
    static int leafSlot(Mm mm, long va) {
        Geometry g = mm.geometry();
        EntryFormat f = g.format();
        int table = mm.root();
        for (int level = g.rootLevel(); ; level--) {
            int slot = table + g.index(level, va);
            if (!f.table(level, mm.get(slot))) return slot;
            table = f.tablePtr(level, mm.get(slot));
        }
    }

    static final String SPLIT_THEN_PROTECT =
            String.join(
                    "\n",
                    "geometry x86-64/4level",
                    "mm A",
                    "map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest",
                    "expect A 0x200000 order=9",
                    "protect A 0x200000 +4K prot=r--u",
                    "expect-rss A 512");

    @Test
    void aWrongEntryIsReportedAtItsLineWithTheDifference() {
        Decorator wrong =
                new Decorator("wrong") {
                    @Override
                    public long protect(Mm mm, long s, long e, int prot, TlbGather t) {
                        long changed = d.protect(mm, s, e, prot, t);
                        int slot = leafSlot(mm, s);
                        mm.set(
                                slot,
                                mm.format()
                                        .withProt(
                                                0,
                                                mm.get(slot),
                                                Prot.R | Prot.W
                                                        | Prot.U)); // forgets the first page
                        return changed;
                    }
                };
        TraceRunner.Result r = run(SPLIT_THEN_PROTECT, new ShadowOps(), wrong);
        assertFalse(r.passed());
        assertEquals(3, r.failedIndex());
        assertEquals(4, r.statements());
        assertEquals(
                "t.trace: after line 5 (protect A 0x200000 +4K prot=r--u): wrong differs from"
                        + " oracle: A: entry L0 0x200000: prot rw-u vs r--u",
                r.report());
    }

    @Test
    void aWrongReturnValueIsReported() {
        Decorator wrong =
                new Decorator("count") {
                    @Override
                    public long map(Mm mm, long s, long e, long pfn, int prot, MapPolicy p) {
                        return d.map(mm, s, e, pfn, prot, p) - 1;
                    }
                };
        TraceRunner.Result r = run(SPLIT_THEN_PROTECT, wrong);
        assertEquals(1, r.failedIndex());
        assertEquals(
                "t.trace: after line 3 (map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest): "
                        + "count differs from oracle: returned 511 vs 512",
                r.report());
    }

    @Test
    void aWrongWalkIsReportedByVisit() {
        Decorator wrong =
                new Decorator("walker") {
                    @Override
                    public long walk(Mm mm, long s, long e, WalkVisitor v) {
                        return d.walk(
                                mm,
                                s,
                                e,
                                (addr, order, level, entry) ->
                                        v.visit(
                                                addr,
                                                order,
                                                level,
                                                mm.format().mkold(level, entry)));
                    }
                };
        TraceRunner.Result r = run(SPLIT_THEN_PROTECT + "\nwalk A 0x0 +4M", wrong);
        assertEquals(5, r.failedIndex());
        assertTrue(
                r.report()
                        .startsWith(
                                "t.trace: after line 7 (walk A 0x0 +4M): walker differs from"
                                        + " oracle: walk visit 1: 0x200000 order=0 L0 entry 0x"),
                r.report());
        assertTrue(
                r.report()
                        .endsWith(
                                "(pfn=0x200 prot=r--u) vs 0x200000 order=0 L0 entry 0x"
                                        + Long.toHexString(
                                                Geometries.X86_64_4LEVEL
                                                        .format()
                                                        .makeLeaf(0, 0x200, Prot.R | Prot.U))
                                        + " (pfn=0x200 prot=r--u young)"),
                r.report());
    }

    @Test
    void aLeakedTableIsReportedAsABrokenInvariant() {
        Decorator leaky =
                new Decorator("leaky") {
                    @Override
                    public long unmap(Mm mm, long s, long e, boolean f, TlbGather t) {
                        long n = d.unmap(mm, s, e, f, t);
                        mm.arena().alloc(mm.geometry().bits(0), 0);
                        return n;
                    }
                };
        TraceRunner.Result r =
                run(SPLIT_THEN_PROTECT + "\nunmap A 0x0 +4K", new ShadowOps(), leaky);
        assertEquals(5, r.failedIndex());
        assertTrue(
                r.report()
                        .startsWith(
                                "t.trace: after line 7 (unmap A 0x0 +4K): leaky breaks an"
                                        + " invariant: arena: leaked table at 0x"),
                r.report());
    }

    @Test
    void anEmptyTableLeftByUnmapWithFreeIsReported() {
        Decorator keeper =
                new Decorator("keeper") {
                    @Override
                    public long unmap(Mm mm, long s, long e, boolean f, TlbGather t) {
                        return d.unmap(mm, s, e, false, t);
                    }
                };
        TraceRunner.Result r =
                run(
                        "geometry x86-64/4level\n"
                                + "mm A\n"
                                + "map A 0x0 +4K pfn=1 prot=rw-u\n"
                                + "unmap A 0x0 +4K free",
                        keeper);
        assertEquals(2, r.failedIndex());
        assertEquals(
                "t.trace: after line 4 (unmap A 0x0 +4K free): keeper differs from oracle: A: entry"
                        + " L3 0x0 TABLE only in keeper",
                r.report());
    }

    @Test
    void unsupportedImplementationsAreReportedNotFailed() {
        ShadowOps never =
                new ShadowOps() {
                    @Override
                    public Support supports(Geometry g) {
                        return Support.no("test: never");
                    }
                };
        TraceRunner.Result r = run(AGREEING, never);
        assertTrue(r.passed(), r.report());
        assertEquals(Map.of("shadow", "test: never"), r.unsupported());
        assertTrue(r.report().endsWith("; unsupported: shadow (test: never)"), r.report());
    }

    @Test
    void aFailedExpectationNamesTheWorldsAndTheValues() {
        TraceRunner.Result r =
                run(
                        SPLIT_THEN_PROTECT.replace(
                                "expect A 0x200000 order=9", "expect A 0x200000 order=0 pfn=0x201"),
                        new ShadowOps());
        assertEquals(2, r.failedIndex());
        assertEquals(
                "t.trace: after line 4 (expect A 0x200000 order=0 pfn=0x201): expectation failed:"
                        + " oracle, shadow: order 9, expected 0, pfn 0x200, expected 0x201",
                r.report());
        r = run(SPLIT_THEN_PROTECT + "\nexpect-tables A 4 1\n");
        assertTrue(
                r.report()
                        .endsWith(
                                "expectation failed: oracle: level 4 is above the root level 3 of"
                                        + " x86-64/4level"),
                r.report());
        r = run(SPLIT_THEN_PROTECT + "\nexpect-none A 0x3ff000\n");
        assertTrue(
                r.report()
                        .contains(
                                "expectation failed: oracle: 0x3ff000 is mapped: pa=0x3ff000"
                                        + " pfn=0x3ff"),
                r.report());
    }

    @Test
    void aFailLineMustBeRefusedAndChangeNothing() {
        TraceRunner.Result r =
                run("geometry x86-64/4level\nmm A\nfail map A 0x0 +4K pfn=1 prot=rw-u");
        assertEquals(
                "t.trace: after line 3 (fail map A 0x0 +4K pfn=0x1 prot=rw-u): fail: the operation"
                        + " was not refused: every world returned 1",
                r.report());
        r = run("geometry x86-64/4level\nmm A\nfault 2\nfail map A 0x0 +4K pfn=1 prot=rw-u");
        assertEquals(2, r.failedIndex());
        assertEquals(
                "t.trace: after line 4 (fail map A 0x0 +4K pfn=0x1 prot=rw-u): fail: oracle refused"
                    + " the operation (threw OutOfTablesException (injected failure of a level-1"
                    + " table allocation)) but changed A: entry L3 0x0 TABLE only in after",
                r.report());
    }

    @Test
    void aFaultedStatementMayFailAndTheFaultLastsOneStatement() {
        TraceRunner.Result r =
                run(
                        String.join(
                                "\n",
                                "geometry x86-64/4level",
                                "mm A",
                                "fault 3",
                                "map A 0x0 +8K pfn=1 prot=rw-u",
                                "expect-tables A 1 1",
                                "expect-tables A 0 0",
                                "expect-rss A 0",
                                "map A 0x0 +8K pfn=1 prot=rw-u",
                                "expect-rss A 2",
                                "fault 1",
                                "fail map A 0x200000 +4K pfn=1 prot=rw-u",
                                "fault 1",
                                "mm B",
                                "mm C",
                                "expect-rss C 0"));
        assertTrue(r.passed(), r.report());
        r = run("geometry x86-64/4level\nfault 1\nmm B\nexpect-rss B 0");
        assertEquals(
                "t.trace: after line 4 (expect-rss B 0): unknown address space 'B' — expected one"
                        + " created by an earlier mm line",
                r.report());
    }

    @Test
    void aStatementRefusedEverywhereWithoutFailIsAMistakeOfTheTrace() {
        TraceRunner.Result r =
                run(
                        "geometry x86-64/4level\nmm A\nmap A 0x800 +4K pfn=1 prot=rw-u",
                        new ShadowOps());
        assertEquals(
                "t.trace: after line 3 (map A 0x800 +4K pfn=0x1 prot=rw-u): every world threw"
                    + " IllegalArgumentException (map: start 0x800 is not aligned to the 4K page);"
                    + " a statement that must be refused is written as fail …",
                r.report());
    }

    @Test
    void moveUnknownGeometryAndUnknownSpacesAreReported() {
        TraceRunner.Result r =
                run(
                        "geometry x86-64/4level\nmm A\nmap A 0x0 +4K pfn=0x7 prot=rw-u\n"
                                + "move A 0x0 +4K 0x200000\nexpect A 0x200000 pfn=0x7\n"
                                + "expect-none A 0x0\nfail move A 0x0 +8K 0x1000");
        assertTrue(r.passed(), r.report());
        r = new TraceRunner(List.of()).run(new Trace("gen", "nope", List.of()));
        assertEquals(-1, r.failedIndex());
        assertTrue(r.report().startsWith("gen: unknown geometry 'nope'"), r.report());
        r =
                new TraceRunner(List.of())
                        .run(
                                new Trace(
                                        "gen",
                                        "x86-64/4level",
                                        List.of(new Trace.Line(0, new Op.DropOp("Z")))));
        assertEquals(
                "gen: after line 0 (drop Z): unknown address space 'Z' — expected one created by an"
                        + " earlier mm line",
                r.report());
    }

    @Test
    void oracleEventsReachTheObserver() {
        List<String> seen = new ArrayList<>();
        new TraceRunner(List.of())
                .events(
                        new OracleEvents() {
                            @Override
                            public void split(String op, int level) {
                                seen.add(op + " split " + level);
                            }
                        })
                .run(TraceParser.parse("t", SPLIT_THEN_PROTECT));
        assertEquals(List.of("protect split 1"), seen);
    }

    // --- a seeded property: the shadow implementation agrees on generated traces --------------

    @Test
    void generatedTracesAgreeWithTheShadowImplementation() {
        List<Geometry> geometries =
                List.of(
                        Geometries.X86_64_4LEVEL,
                        Geometries.ARM64_4K_48,
                        Geometries.RISCV_SV39,
                        Geometries.X86_PAE,
                        Geometries.byName("generic/12/4,3L,2,3Lc4"),
                        Geometries.FUTURE_6LEVEL);
        int applied = 0;
        for (long seed = 0; seed < 60; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Trace t = Generated.trace(geometries.get((int) (seed % geometries.size())), rnd, 30);
            TraceRunner.Result r = new TraceRunner(List.of(new ShadowOps())).run(t);
            long s = seed;
            assertTrue(r.passed(), () -> "seed " + s + ": " + r + "\n" + TraceWriter.write(t));
            for (Trace.Line l : t.lines()) {
                if (l.op() instanceof Op.MapOp || l.op() instanceof Op.CopyOp) applied++;
            }
        }
        assertTrue(applied > 200, "only " + applied + " maps and copies went through");
    }

    /**
     * A small generator for this test: keeps its own oracle to pick addresses inside mapped units
     * and at boundaries, and wraps in {@code fail} whatever its oracle refuses.
     */
    static final class Generated {
        static Trace trace(Geometry g, SplittableRandom rnd, int n) {
            Oracle o = new Oracle();
            List<OracleMm> spaces = new ArrayList<>();
            List<Trace.Line> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (spaces.isEmpty() || (spaces.size() < 3 && rnd.nextInt(10) == 0)) {
                    spaces.add(o.newMm(g));
                    lines.add(new Trace.Line(i, new Op.MmOp("S" + (spaces.size() - 1))));
                    continue;
                }
                int s = rnd.nextInt(spaces.size());
                OracleMm mm = spaces.get(s);
                String id = "S" + s;
                long start = address(g, mm, rnd);
                long end =
                        Math.min(
                                start + length(g, rnd),
                                g.vaEnd() - 1 < 0 ? Long.MAX_VALUE : g.vaEnd());
                if (g.vaBits() == 63 && rnd.nextInt(8) == 0) end = g.vaEnd();
                if (Long.compareUnsigned(end, start) <= 0) end = start + g.pageSize();
                int prot = rnd.nextInt(16);
                Op op;
                switch (rnd.nextInt(9)) {
                    case 0:
                    case 1:
                        op =
                                new Op.MapOp(
                                        id,
                                        start,
                                        end,
                                        pfn(g, start, rnd),
                                        prot,
                                        rnd.nextBoolean() ? MapPolicy.LARGEST : MapPolicy.BASE);
                        break;
                    case 2:
                        op = new Op.UnmapOp(id, start, end, rnd.nextBoolean());
                        break;
                    case 3:
                        op = new Op.ProtectOp(id, start, end, prot);
                        break;
                    case 4:
                        op =
                                new Op.CopyOp(
                                        "S" + rnd.nextInt(spaces.size()),
                                        id,
                                        start,
                                        end,
                                        rnd.nextBoolean());
                        break;
                    case 5:
                        op = new Op.WalkOp(id, start, end);
                        break;
                    case 6:
                        op = new Op.LookupOp(id, start + rnd.nextInt(4096));
                        break;
                    case 7:
                        op = new Op.TouchOp(id, start, rnd.nextBoolean());
                        break;
                    default:
                        op =
                                rnd.nextInt(4) == 0
                                        ? new Op.DropOp(id)
                                        : new Op.ExpectRssOp(id, mm.rss());
                        break;
                }
                lines.add(new Trace.Line(i, applies(o, spaces, op) ? op : new Op.FailOp(op)));
            }
            return new Trace("gen", g.name(), lines);
        }

        /** Runs {@code op} on the generator's oracle; false when it was refused. */
        private static boolean applies(Oracle o, List<OracleMm> spaces, Op op) {
            TlbGather tlb = new TlbGather();
            try {
                if (op instanceof Op.MapOp m)
                    o.map(mm(spaces, m.id()), m.start(), m.end(), m.pfn(), m.prot(), m.policy());
                else if (op instanceof Op.UnmapOp u)
                    o.unmap(mm(spaces, u.id()), u.start(), u.end(), u.free(), tlb);
                else if (op instanceof Op.ProtectOp p)
                    o.protect(mm(spaces, p.id()), p.start(), p.end(), p.prot(), tlb);
                else if (op instanceof Op.CopyOp c)
                    o.copy(
                            mm(spaces, c.dst()),
                            mm(spaces, c.src()),
                            c.start(),
                            c.end(),
                            c.cow(),
                            tlb);
                else if (op instanceof Op.WalkOp w)
                    o.walk(mm(spaces, w.id()), w.start(), w.end(), (a, b, c, d) -> {});
                else if (op instanceof Op.LookupOp l)
                    o.lookup(mm(spaces, l.id()), l.va(), new Translation());
                else if (op instanceof Op.TouchOp t) o.touch(mm(spaces, t.id()), t.va(), t.write());
                else if (op instanceof Op.DropOp d)
                    o.unmap(
                            mm(spaces, d.id()),
                            0,
                            mm(spaces, d.id()).geometry().vaEnd(),
                            true,
                            tlb);
                return true;
            } catch (IllegalArgumentException | org.ptarena.core.OverlapException e) {
                return false;
            }
        }

        private static OracleMm mm(List<OracleMm> spaces, String id) {
            return spaces.get(Integer.parseInt(id.substring(1)));
        }

        /** Inside a mapped unit, at a table or run boundary, or anywhere; sometimes unaligned. */
        private static long address(Geometry g, OracleMm mm, SplittableRandom rnd) {
            List<Unit> units = new ArrayList<>(mm.units());
            long a;
            int level = rnd.nextInt(g.levels());
            if (!units.isEmpty() && rnd.nextBoolean()) {
                Unit u = units.get(rnd.nextInt(units.size()));
                a = u.start() + (rnd.nextLong(u.pages()) << g.pageShift());
            } else {
                long spanEnd = g.vaBits() >= 40 ? 1L << 40 : g.vaEnd();
                a = rnd.nextLong(Math.max(1, spanEnd >>> g.spanShift(level))) << g.spanShift(level);
                if (rnd.nextBoolean()) a -= g.pageSize() * rnd.nextInt(3);
            }
            if (rnd.nextInt(20) == 0) a += 0x800;
            if (rnd.nextInt(20) == 0) a = g.vaEnd() - g.pageSize() * (1 + rnd.nextInt(3));
            return Math.max(0, a);
        }

        private static long length(Geometry g, SplittableRandom rnd) {
            int level = rnd.nextInt(Math.min(2, g.levels()));
            long unit = rnd.nextInt(3) == 0 ? g.span(level) * g.contig(level) : g.span(level);
            return unit * (1 + rnd.nextInt(3)) + (rnd.nextInt(4) == 0 ? g.pageSize() : 0);
        }

        private static long pfn(Geometry g, long start, SplittableRandom rnd) {
            long aligned = (start >>> g.pageShift()) & 0xffffff;
            return rnd.nextInt(4) == 0 ? aligned + 1 : aligned;
        }
    }
}

package org.ptarena.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

class TraceWriterTest {

    @Test
    void printsCanonicalLines() {
        int rwu = Prot.R | Prot.W | Prot.U;
        assertEquals(
                "map A 0x400000 +2M pfn=0x80000 prot=rw-u policy=largest",
                TraceWriter.line(
                        new Op.MapOp("A", 0x400000, 0x600000, 0x80000, rwu, MapPolicy.LARGEST)));
        assertEquals(
                "map A 0x0 +12K pfn=0x0 prot=----",
                TraceWriter.line(new Op.MapOp("A", 0, 0x3000, 0, 0, MapPolicy.BASE)));
        assertEquals(
                "unmap A 0x1000 +0x123 free",
                TraceWriter.line(new Op.UnmapOp("A", 0x1000, 0x1123, true)));
        assertEquals(
                "walk A 0x0 +8388608T", TraceWriter.line(new Op.WalkOp("A", 0, Long.MIN_VALUE)));
        assertEquals(
                "protect A 0x200000 +4K prot=r--u",
                TraceWriter.line(new Op.ProtectOp("A", 0x200000, 0x201000, Prot.R | Prot.U)));
        assertEquals(
                "copy B A 0x0 +1G shared",
                TraceWriter.line(new Op.CopyOp("B", "A", 0, 1L << 30, false)));
        assertEquals(
                "fail unmap A 0x2000 0x1000",
                TraceWriter.line(new Op.FailOp(new Op.UnmapOp("A", 0x2000, 0x1000, false))));
        assertEquals("fault 3", TraceWriter.line(new Op.FaultOp(3)));
        assertEquals("touch A 0xabc write", TraceWriter.line(new Op.TouchOp("A", 0xabc, true)));
        assertEquals(
                "move A 0x0 +2M 0x40000000",
                TraceWriter.line(new Op.MoveOp("A", 0, 0x200000, 0x40000000)));
        assertEquals(
                "expect A 0x1000 order=9 pfn=0x80001 prot=rw-u young=1 dirty=0",
                TraceWriter.line(new Op.ExpectOp("A", 0x1000, 9, 0x80001L, rwu, true, false)));
        assertEquals(
                "expect A 0x1000 dirty=1",
                TraceWriter.line(new Op.ExpectOp("A", 0x1000, null, null, null, null, true)));
        assertEquals(
                "expect-rss A 18446744073709551615",
                TraceWriter.line(new Op.ExpectRssOp("A", -1L)));
        assertEquals("expect-tables A 2 1", TraceWriter.line(new Op.ExpectTablesOp("A", 2, 1)));
    }

    @Test
    void writesGeometryFirstAndHeaderComments() {
        Trace t =
                new Trace(
                        "x",
                        "arm64/4k-48",
                        List.of(
                                new Trace.Line(3, new Op.MmOp("A")),
                                new Trace.Line(4, new Op.DropOp("A"))));
        assertEquals(
                "# seed 42\n# report: one\n# two\ngeometry arm64/4k-48\nmm A\ndrop A\n",
                TraceWriter.write(t, List.of("seed 42", "report: one\ntwo")));
    }

    /** parse(write(t)) == t up to line numbers, on seeded random traces of every statement form. */
    @Test
    void parseOfWriteIsIdentityOnGeneratedTraces() {
        for (long seed = 0; seed < 400; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Trace t = randomTrace(rnd);
            String text = TraceWriter.write(t, List.of("seed " + seed));
            Trace back = TraceParser.parse("gen", text);
            assertEquals(t.geometry(), back.geometry(), text);
            assertEquals(ops(t), ops(back), "seed " + seed + "\n" + text);
            assertEquals(text, TraceWriter.write(back, List.of("seed " + seed)));
        }
    }

    private static List<Op> ops(Trace t) {
        return t.lines().stream().map(Trace.Line::op).toList();
    }

    static Trace randomTrace(SplittableRandom rnd) {
        List<Geometry> catalog = Geometries.catalog();
        String geometry =
                rnd.nextInt(4) == 0
                        ? Geometries.random(rnd).name()
                        : catalog.get(rnd.nextInt(catalog.size())).name();
        List<String> ids = new ArrayList<>();
        List<Trace.Line> lines = new ArrayList<>();
        int n = 1 + rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            if (ids.isEmpty() || rnd.nextInt(8) == 0) {
                String id = (rnd.nextBoolean() ? "A" : "mm_") + ids.size();
                ids.add(id);
                lines.add(new Trace.Line(0, new Op.MmOp(id)));
                continue;
            }
            int kind = rnd.nextInt(16);
            Op op =
                    kind == 14
                            ? new Op.FaultOp(1 + (rnd.nextLong() >>> 1))
                            : kind == 15
                                    ? new Op.FailOp(operation(rnd, ids, true))
                                    : kind < 10
                                            ? operation(rnd, ids, false)
                                            : assertion(rnd, ids, kind);
            lines.add(new Trace.Line(0, op));
        }
        return new Trace("gen", geometry, lines);
    }

    private static Op operation(SplittableRandom rnd, List<String> ids, boolean bad) {
        String id = ids.get(rnd.nextInt(ids.size()));
        long start = number(rnd);
        long end = end(rnd, start, bad);
        switch (rnd.nextInt(9)) {
            case 0:
                return new Op.MapOp(
                        id,
                        start,
                        end,
                        number(rnd),
                        rnd.nextInt(16),
                        rnd.nextBoolean() ? MapPolicy.BASE : MapPolicy.LARGEST);
            case 1:
                return new Op.UnmapOp(id, start, end, rnd.nextBoolean());
            case 2:
                return new Op.ProtectOp(id, start, end, rnd.nextInt(16));
            case 3:
                return new Op.CopyOp(
                        ids.get(rnd.nextInt(ids.size())), id, start, end, rnd.nextBoolean());
            case 4:
                return new Op.WalkOp(id, start, end);
            case 5:
                return new Op.LookupOp(id, number(rnd));
            case 6:
                return new Op.TouchOp(id, number(rnd), rnd.nextBoolean());
            case 7:
                return new Op.MoveOp(id, start, end, number(rnd));
            default:
                return new Op.DropOp(id);
        }
    }

    private static Op assertion(SplittableRandom rnd, List<String> ids, int kind) {
        String id = ids.get(rnd.nextInt(ids.size()));
        switch (kind) {
            case 10:
                return new Op.ExpectOp(
                        id,
                        number(rnd),
                        rnd.nextBoolean() ? rnd.nextInt(64) : null,
                        rnd.nextBoolean() ? number(rnd) : null,
                        rnd.nextBoolean() ? rnd.nextInt(16) : null,
                        rnd.nextBoolean() ? rnd.nextBoolean() : null,
                        rnd.nextBoolean() ? rnd.nextBoolean() : null);
            case 11:
                return new Op.ExpectNoneOp(id, number(rnd));
            case 12:
                return new Op.ExpectRssOp(id, number(rnd));
            default:
                return new Op.ExpectTablesOp(id, rnd.nextInt(64), number(rnd));
        }
    }

    /**
     * Edge-biased unsigned 64-bit numbers: 0, powers of two and their neighbours, page multiples,
     * anything.
     */
    private static long number(SplittableRandom rnd) {
        switch (rnd.nextInt(5)) {
            case 0:
                return 0;
            case 1:
                return 1L << rnd.nextInt(64);
            case 2:
                return (1L << rnd.nextInt(64)) + (rnd.nextBoolean() ? -1 : 1);
            case 3:
                return (rnd.nextLong() >>> rnd.nextInt(64)) & -4096L;
            default:
                return rnd.nextLong();
        }
    }

    private static long end(SplittableRandom rnd, long start, boolean bad) {
        if (bad && rnd.nextInt(3) == 0)
            return rnd.nextBoolean()
                    ? start
                    : start - 1 - (rnd.nextLong() >>> 1) % Math.max(1, start);
        long room = -start; // bytes up to 2^64, unsigned; 0 means 2^64
        long size;
        do {
            size = rnd.nextBoolean() ? 1L << (10 * rnd.nextInt(5) + rnd.nextInt(10)) : number(rnd);
            if (room != 0) size = Long.remainderUnsigned(size, room);
        } while (size == 0);
        return start + size;
    }

    @Test
    void generatedRangesAreWellFormed() {
        for (long seed = 0; seed < 50; seed++) {
            for (Trace.Line l : randomTrace(new SplittableRandom(seed)).lines()) {
                if (l.op() instanceof Op.WalkOp w)
                    assertTrue(Long.compareUnsigned(w.end(), w.start()) > 0);
            }
        }
    }
}

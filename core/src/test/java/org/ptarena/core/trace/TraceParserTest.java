package org.ptarena.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

class TraceParserTest {
    private static final String HEAD = "geometry x86-64/4level\nmm A\n";

    /**
     * Parses {@code text} expecting an error at {@code line}:{@code column} whose message holds
     * every fragment.
     */
    private static TraceFormatException error(
            String text, int line, int column, String... fragments) {
        TraceFormatException e =
                assertThrows(TraceFormatException.class, () -> TraceParser.parse("t.trace", text));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertEquals("t.trace", e.source());
        assertTrue(
                e.getMessage().startsWith("t.trace:" + line + ":" + column + ": "), e.getMessage());
        for (String f : fragments)
            assertTrue(e.getMessage().contains(f), () -> e.getMessage() + " lacks " + f);
        return e;
    }

    @Test
    void parsesEveryStatementForm() {
        Trace t =
                TraceParser.parse(
                        "all.trace",
                        String.join(
                                "\n",
                                "# a comment line",
                                "geometry riscv/sv48   # trailing comment",
                                "mm A",
                                "mm B-2.x",
                                "map A 0x400000 +2M pfn=0x80000 prot=rw-u policy=largest",
                                "map A 4096 8192 prot=r--u pfn=7",
                                "unmap A 0x400000 +4K free",
                                "unmap A 0x0 0x8000000000000000",
                                "protect A 0x1000 +1G prot=r-x-",
                                "copy B-2.x A 0x0 +1T cow",
                                "copy B-2.x A 0x0 +16K shared",
                                "walk A 0x0 +0x3000",
                                "lookup A 0x401234",
                                "touch A 0x401000 write",
                                "touch A 0x401000",
                                "move A 0x400000 +2M 0x40000000",
                                "drop B-2.x",
                                "fault 2",
                                "\tfail map A 0x400000 +4K pfn=0x1 prot=----",
                                "expect A 0x401000 dirty=0 order=9 pfn=0x80001 prot=rw-u young=1",
                                "expect A 0x401000",
                                "expect-none A 0x400000",
                                "expect-rss A 512",
                                "expect-tables A 0 1"));
        assertEquals("riscv/sv48", t.geometry());
        assertEquals("all.trace", t.source());
        List<Op> ops = t.lines().stream().map(Trace.Line::op).toList();
        assertEquals(
                List.of(
                        new Op.MmOp("A"),
                        new Op.MmOp("B-2.x"),
                        new Op.MapOp(
                                "A",
                                0x400000,
                                0x600000,
                                0x80000,
                                Prot.R | Prot.W | Prot.U,
                                MapPolicy.LARGEST),
                        new Op.MapOp("A", 4096, 8192, 7, Prot.R | Prot.U, MapPolicy.BASE),
                        new Op.UnmapOp("A", 0x400000, 0x401000, true),
                        new Op.UnmapOp("A", 0, Long.MIN_VALUE, false),
                        new Op.ProtectOp("A", 0x1000, 0x1000 + (1L << 30), Prot.R | Prot.X),
                        new Op.CopyOp("B-2.x", "A", 0, 1L << 40, true),
                        new Op.CopyOp("B-2.x", "A", 0, 16384, false),
                        new Op.WalkOp("A", 0, 0x3000),
                        new Op.LookupOp("A", 0x401234),
                        new Op.TouchOp("A", 0x401000, true),
                        new Op.TouchOp("A", 0x401000, false),
                        new Op.MoveOp("A", 0x400000, 0x600000, 0x40000000),
                        new Op.DropOp("B-2.x"),
                        new Op.FaultOp(2),
                        new Op.FailOp(
                                new Op.MapOp(
                                        "A", 0x400000, 0x401000, 1, Prot.NONE, MapPolicy.BASE)),
                        new Op.ExpectOp(
                                "A", 0x401000, 9, 0x80001L, Prot.R | Prot.W | Prot.U, true, false),
                        new Op.ExpectOp("A", 0x401000, null, null, null, null, null),
                        new Op.ExpectNoneOp("A", 0x400000),
                        new Op.ExpectRssOp("A", 512),
                        new Op.ExpectTablesOp("A", 0, 1)),
                ops);
        assertEquals(3, t.lines().get(0).number());
        assertEquals(24, t.lines().get(t.lines().size() - 1).number());
    }

    @Test
    void numbersAreUnsigned64Bit() {
        Trace t =
                TraceParser.parse(
                        "t",
                        HEAD
                                + "walk A 0xffffffffffff0000 18446744073709551615\n"
                                + "expect-rss A 0xFFFFFFFFFFFFFFFF");
        assertEquals(new Op.WalkOp("A", 0xffffffffffff0000L, -1L), t.lines().get(1).op());
        assertEquals(new Op.ExpectRssOp("A", -1L), t.lines().get(2).op());
    }

    @Test
    void fileIsReadWithItsNameAsGiven(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("smoke.trace");
        Files.writeString(f, HEAD + "unmap A 0x2000 0x1000\n");
        TraceFormatException e =
                assertThrows(TraceFormatException.class, () -> TraceParser.parse(f));
        assertEquals(f + ":3:16: unmap: end 0x1000 is below start 0x2000", e.getMessage());
    }

    @Test
    void unknownKeyword() {
        error(
                HEAD + "mapp A 0x0 +4K",
                3,
                1,
                "unknown statement 'mapp'",
                "expected one of geometry, mm, map");
    }

    @Test
    void badNumber() {
        error(
                HEAD + "map A 0x12g +4K pfn=1 prot=rw-u",
                3,
                7,
                "map: start '0x12g' is not a number",
                "expected 0x");
        error(HEAD + "map A 0x0 +4K pfn=-1 prot=rw-u", 3, 19, "map: pfn '-1' is not a number");
        error(
                HEAD + "lookup A 18446744073709551616",
                3,
                10,
                "'18446744073709551616' is not a number");
        error(HEAD + "walk A 0x0 +4Q", 3, 12, "size '+4Q' is not a number");
        error(HEAD + "expect A 0x0 order=64", 3, 20, "expect: order 64", "expected 0..63");
        error(HEAD + "expect A 0x0 young=yes", 3, 20, "expect: young 'yes'", "expected 0 or 1");
        error(HEAD + "fault 0", 3, 7, "fault: K 0", "expected 1 or more");
    }

    @Test
    void missingField() {
        error(
                HEAD + "map A 0x1000",
                3,
                14,
                "map: missing END",
                "expected map ID START END pfn=PFN");
        error(HEAD + "map A 0x1000 +4K prot=rw-u", 3, 28, "map: missing pfn=PFN");
        error(HEAD + "map A 0x1000 pfn=1 prot=rw-u", 3, 14, "map: missing END");
        error(HEAD + "copy A A 0x0 +4K", 3, 18, "copy: missing cow|shared");
        error(HEAD + "mm", 3, 4, "mm: missing ID");
        error(HEAD + "fail", 3, 6, "fail: missing STATEMENT");
    }

    @Test
    void extraField() {
        error(
                HEAD + "unmap A 0x1000 +4K free now",
                3,
                25,
                "unmap: extra field 'now'",
                "expected unmap ID START END [free]");
        error(HEAD + "unmap A 0x1000 +4K frees", 3, 20, "unmap: extra field 'frees'");
        error(HEAD + "map A 0x0 +4K 0x5 pfn=1 prot=rw-u", 3, 15, "map: extra field '0x5'");
        error(HEAD + "drop A A", 3, 8, "drop: extra field 'A'");
        error("geometry x86-64/4level extra", 1, 24, "geometry: extra field 'extra'");
    }

    @Test
    void unknownOrDuplicateKey() {
        error(
                HEAD + "map A 0x0 +4K pfn=1 prot=rw-u colour=red",
                3,
                31,
                "map: unknown key 'colour'",
                "expected pfn=, prot=, policy=");
        error(HEAD + "map A 0x0 +4K pfn=1 pfn=2 prot=rw-u", 3, 21, "map: duplicate key 'pfn'");
    }

    @Test
    void badProt() {
        error(
                HEAD + "protect A 0x0 +4K prot=rwz-",
                3,
                24,
                "protect: prot 'rwz-'",
                "expected 'x' or '-'");
        error(
                HEAD + "protect A 0x0 +4K prot=rw",
                3,
                24,
                "protect: prot 'rw'",
                "expected four letters");
    }

    @Test
    void badPolicy() {
        error(
                HEAD + "map A 0x0 +4K pfn=1 prot=rw-u policy=huge",
                3,
                38,
                "map: policy 'huge'",
                "expected base or largest");
    }

    @Test
    void badCopyMode() {
        error(HEAD + "copy A A 0x0 +4K cw", 3, 18, "copy: mode 'cw'", "expected cow or shared");
    }

    @Test
    void unknownAddressSpace() {
        error(HEAD + "unmap B 0x0 +4K", 3, 7, "unmap: unknown address space 'B'", "(A)");
        error(
                "geometry x86-64/4level\nlookup A 0x0\nmm A",
                2,
                8,
                "lookup: unknown address space 'A'",
                "(none yet)");
        error(HEAD + "copy A Z 0x0 +4K cow", 3, 8, "copy: unknown address space 'Z'");
        error(HEAD + "mm 9lives", 3, 4, "mm: ID '9lives'", "starting with a letter");
    }

    @Test
    void duplicateAddressSpace() {
        error(HEAD + "# again\nmm A", 4, 4, "mm: address space 'A' already declared on line 2");
    }

    @Test
    void unknownGeometryListsTheCatalog() {
        error(
                "geometry x86\nmm A",
                1,
                10,
                "geometry: unknown geometry 'x86'",
                "x86-64/4level",
                "riscv/sv57",
                "generic/");
        error("geometry generic/12/9,9X", 1, 10, "level '9X'");
    }

    @Test
    void geometryFirstAndOnce() {
        error(
                "# comment\n\nmm A\ngeometry x86-64/4level",
                3,
                1,
                "mm: statement before the geometry",
                "expected geometry NAME");
        error(HEAD + "geometry x86-64/5level", 3, 1, "geometry: repeated (first on line 1)");
        error(HEAD + "fail geometry x86-64/4level", 3, 6, "fail: 'geometry' is not an operation");
    }

    @Test
    void reversedOrEmptyRangeIsMalformedButAllowedUnderFail() {
        error(HEAD + "unmap A 0x2000 0x1000", 3, 16, "unmap: end 0x1000 is below start 0x2000");
        error(HEAD + "protect A 0x2000 +0 prot=r---", 3, 18, "protect: empty range at 0x2000");
        error(HEAD + "walk A 0x2000 0x2000", 3, 15, "walk: empty range at 0x2000");
        Trace t =
                TraceParser.parse("t", HEAD + "fail unmap A 0x2000 0x1000\nfail walk A 0x2000 +0");
        assertEquals(
                new Op.FailOp(new Op.UnmapOp("A", 0x2000, 0x1000, false)), t.lines().get(1).op());
        assertEquals(new Op.FailOp(new Op.WalkOp("A", 0x2000, 0x2000)), t.lines().get(2).op());
    }

    @Test
    void sizeOverflow() {
        error(
                HEAD + "map A 0xfffffffffffff000 +8K pfn=1 prot=rw-u",
                3,
                26,
                "map: end +8K from start 0xfffffffffffff000 overflows 64 bits");
        error(HEAD + "map A 0xfffffffffffff000 +4K pfn=1 prot=rw-u", 3, 26, "overflows 64 bits");
        error(HEAD + "walk A 0x0 +0x1000000T", 3, 12, "walk: size +0x1000000T overflows 64 bits");
        Trace t =
                TraceParser.parse(
                        "t", HEAD + "walk A 0x1000 +0xfffffT\nwalk A 0xffffffffffffe000 +4K");
        assertEquals(new Op.WalkOp("A", 0x1000, 0x1000 + (0xfffffL << 40)), t.lines().get(1).op());
        assertEquals(
                new Op.WalkOp("A", 0xffffffffffffe000L, 0xfffffffffffff000L),
                t.lines().get(2).op());
    }

    @Test
    void emptyFile() {
        error("", 1, 1, "empty trace", "expected geometry NAME");
        error("# nothing but comments\n\n   \n", 1, 1, "empty trace");
    }

    @Test
    void failMustWrapAnOperation() {
        error(
                HEAD + "fail expect-rss A 3",
                3,
                6,
                "fail: 'expect-rss' is not an operation",
                "expected fail followed by one of map");
        error(
                HEAD + "fail fail map A 0x0 +4K pfn=1 prot=rw-u",
                3,
                6,
                "fail: 'fail' is not an operation");
        error(HEAD + "fail mm B", 3, 6, "fail: 'mm' is not an operation");
        error(HEAD + "fail fault 1", 3, 6, "'fault' is not an operation");
        error(HEAD + "fail unmap B 0x0 +4K", 3, 12, "unmap: unknown address space 'B'");
    }
}

package org.ptarena.core.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.ShadowOps;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;

/**
 * The importer on excerpts of real strace 6.1 logs: the workloads, and a test program (forms.c,
 * recorded with {@code strace -f -y -e trace=memory,process}) that makes every awkward form once.
 */
class StraceImporterTest {

    /**
     * Imports on x86-64/4level with seed 1, writing moves as unmap + map: the test design
     * ({@link ShadowOps}) has no move. Moves are tested on their own, and with the real designs
     * in the cli's tests.
     */
    private static StraceImporter.Result imp(String log, Populate p) {
        return StraceImporter.importLog("t.strace", log,
                new StraceImporter.Options(Geometries.X86_64_4LEVEL, p, 1, false, false));
    }

    /** The statements, canonical, without the log references. */
    private static List<String> ops(StraceImporter.Result r) {
        List<String> out = new ArrayList<>();
        for (Trace.Line l : r.trace().lines()) out.add(TraceWriter.line(l.op()));
        return out;
    }

    /** Pages mapped into {@code id} at addresses {@code [start, end)}, from the map statements. */
    private static long mapped(StraceImporter.Result r, String id, long start, long end) {
        long pages = 0;
        for (Trace.Line l : r.trace().lines()) {
            if (l.op() instanceof Op.MapOp m && m.id().equals(id) && m.start() >= start
                    && m.end() <= end) {
                pages += (m.end() - m.start()) >>> 12;
            }
        }
        return pages;
    }

    /**
     * The trace runs alike on the oracle and on a design: checked with checkpoints, and
     * statement by statement too when it is short (that check costs the square of its length).
     */
    private static void agrees(StraceImporter.Result r) {
        TraceRunner.Result fast =
                new TraceRunner(List.of(new ShadowOps())).checkpoints(100).run(r.trace());
        assertTrue(fast.passed(), fast.report());
        if (r.trace().lines().size() > 400) return;
        TraceRunner.Result slow =
                new TraceRunner(List.of(new ShadowOps())).checkpoints(1).run(r.trace());
        assertTrue(slow.passed(), slow.report());
    }

    private static final String START = String.join("\n",
            "27892 execve(\"./forms\", [\"./forms\"], 0x7ffdc24758d0 /* 1 var */) = 0",
            "27892 brk(NULL)                         = 0x5626c69fb000",
            "");

    @Test
    void mmapRoundsTheLengthToPagesAndMapsEveryPageWithItsProt() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 20580, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n", Populate.ALL);
        List<String> ops = ops(r);
        assertEquals("mm p27892", ops.get(0));
        assertEquals(6, mapped(r, "p27892", 0x7fe2ccf29000L, 0x7fe2ccf2f000L), "20580 bytes");
        assertEquals(6, r.summary().pagesMapped());
        long at = 0x7fe2ccf29000L;
        for (Trace.Line l : r.trace().lines().subList(1, ops.size())) {
            Op.MapOp m = (Op.MapOp) l.op();
            assertEquals(at, m.start(), "the runs tile the mapping");
            assertEquals(Prot.R | Prot.W | Prot.U, m.prot());
            at = m.end();
        }
        assertTrue(r.text().contains("  # 3 mmap\n"), "each statement names its log line");
        agrees(r);
    }

    @Test
    void mapFixedOverAMappingUnmapsItFirst() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 20580, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n"
                + "27892 mmap(0x7fe2ccf2a000, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS"
                + "|MAP_FIXED, -1, 0) = 0x7fe2ccf2a000\n", Populate.ALL);
        List<String> ops = ops(r);
        int unmap = ops.indexOf("unmap p27892 0x7fe2ccf2a000 +8K free");
        assertTrue(unmap > 0, ops.toString());
        long pages = 0;
        for (Trace.Line l : r.trace().lines().subList(unmap + 1, ops.size())) {
            Op.MapOp m = (Op.MapOp) l.op();
            assertEquals(Prot.R | Prot.U, m.prot());
            pages += (m.end() - m.start()) >>> 12;
        }
        assertEquals(2, pages, "the replaced pages are mapped anew, read-only");
        agrees(r);
    }

    @Test
    void failedCallsChangeNothingAndAreCounted() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 20580, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n"
                + "27892 mremap(0x7fe2ccf2c000, 8192, 12288, 0) = -1 ENOMEM (Cannot allocate"
                + " memory)\n"
                + "27892 mremap(0x7fe2cccc0000, 16384, 16384, MREMAP_MAYMOVE|MREMAP_DONTUNMAP) ="
                + " -1 EINVAL (Invalid argument)\n"
                + "29899 execve(\"/usr/bin/as\", [\"as\", \"--64\"], 0x36c8bd30 /* 39 vars */) ="
                + " -1 ENOENT (No such file or directory)\n", Populate.NONE);
        assertEquals(Map.of("mremap", 2, "execve", 1), r.summary().failed());
        assertEquals(List.of("mm p27892", "mm p29899"), ops(r));
        assertTrue(r.text().contains("# failed calls: execve x1, mremap x2"), r.text());
    }

    @Test
    void munmapOfAnUnalignedLengthUnmapsWholePages() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 39011, PROT_READ, MAP_PRIVATE, 3</etc/ld.so.cache>, 0) ="
                + " 0x7fe2ccf25000\n"
                + "27892 munmap(0x7fe2ccf25000, 39011)     = 0\n"
                + "27892 munmap(0x7fe2ccf25000, 39011)     = 0\n", Populate.ALL);
        List<String> ops = ops(r);
        assertEquals(10, mapped(r, "p27892", 0x7fe2ccf25000L, 0x7fe2ccf2f000L));
        assertEquals("unmap p27892 0x7fe2ccf25000 +40K free", ops.get(ops.size() - 1),
                "the second munmap finds nothing mapped and writes nothing");
        agrees(r);
    }

    @Test
    void mprotectChangesPagesAndPopulatesWhatItMakesReachable() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 20580, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n"
                + "27892 mprotect(0x7fe2ccf29000, 4096, PROT_NONE) = 0\n"
                + "27892 mprotect(0x7fe2ccf29000, 4096, PROT_READ|PROT_WRITE) = 0\n"
                + "27892 mmap(NULL, 1048576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,"
                + " -1, 0) = 0x7fe2ccc40000\n"
                + "27892 mprotect(0x7fe2ccc40000, 65536, PROT_READ|PROT_WRITE) = 0\n",
                Populate.ALL);
        List<String> ops = ops(r);
        assertTrue(ops.contains("protect p27892 0x7fe2ccf29000 +4K prot=---u"), ops.toString());
        assertTrue(ops.contains("protect p27892 0x7fe2ccf29000 +4K prot=rw-u"), ops.toString());
        assertEquals(6, mapped(r, "p27892", 0x7fe2ccf29000L, 0x7fe2ccf2f000L),
                "pages kept through PROT_NONE are not mapped again");
        assertEquals(16, mapped(r, "p27892", 0x7fe2ccc40000L, 0x7fe2ccd40000L),
                "the PROT_NONE reservation gets pages where mprotect opens it, only there");
        assertFalse(ops.stream().anyMatch(s -> s.startsWith("protect p27892 0x7fe2ccc40000")),
                "protecting a range without pages writes nothing");
        agrees(r);
    }

    @Test
    void withoutMoveMremapMovesGrowsAndShrinksWithTheSameFrames() {
        StraceImporter.Result r = imp(START
                + "27892 mmap(NULL, 20580, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n"
                + "27892 mmap(NULL, 1048576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,"
                + " -1, 0) = 0x7fe2ccc40000\n"
                + "27892 mremap(0x7fe2ccf29000, 4096, 16384, MREMAP_MAYMOVE) = 0x7fe2ccf25000\n"
                + "27892 mremap(0x7fe2ccf25000, 16384, 16384, MREMAP_MAYMOVE|MREMAP_FIXED,"
                + " 0x7fe2cccc0000) = 0x7fe2cccc0000\n"
                + "27892 mremap(0x7fe2cccc0000, 16384, 4096, 0) = 0x7fe2cccc0000\n"
                + "29885 mremap(0x7fd3c5fdb000, 315392, 352256, MREMAP_MAYMOVE) ="
                + " 0x7fd3c5fdb000\n", Populate.ALL);
        List<String> ops = ops(r);
        long firstPfn = ((Op.MapOp) r.trace().lines().get(1).op()).pfn();
        int move = ops.indexOf("unmap p27892 0x7fe2ccf29000 +4K free");
        assertTrue(move > 0, ops.toString());
        assertEquals("map p27892 0x7fe2ccf25000 +4K pfn=0x" + Long.toHexString(firstPfn)
                + " prot=rw-u", ops.get(move + 1), "the moved page keeps its frame");
        assertEquals(3, mapped(r, "p27892", 0x7fe2ccf26000L, 0x7fe2ccf29000L),
                "the grown tail gets pages");
        assertTrue(ops.contains("unmap p27892 0x7fe2cccc0000 +16K free"),
                "MREMAP_FIXED replaces what is at the destination: " + ops);
        assertTrue(ops.contains("unmap p27892 0x7fe2cccc1000 +12K free"), "shrink: " + ops);
        assertTrue(r.text().contains("# mremap (log line 5) moves 0x7fe2ccf29000 +4K to"
                + " 0x7fe2ccf25000: written as unmap + map"), r.text());
        assertEquals(2, r.summary().moves());
        assertEquals(Map.of("mremap(of a mapping made before the log)", 1),
                r.summary().skipped(), "pid 29885's mapping is unknown to the log");
        agrees(r);
    }

    @Test
    void mremapThatMovesIsAMoveAndMremapFixedReplacesTheDestination() {
        StraceImporter.Result r = StraceImporter.importLog("t.strace", START
                + "27892 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1,"
                + " 0) = 0x7fe2ccf29000\n"
                + "27892 mmap(NULL, 1048576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,"
                + " -1, 0) = 0x7fe2ccc40000\n"
                + "27892 mremap(0x7fe2ccf29000, 8192, 16384, MREMAP_MAYMOVE) = 0x7fe2ccf25000\n"
                + "27892 mremap(0x7fe2ccf25000, 16384, 16384, MREMAP_MAYMOVE|MREMAP_FIXED,"
                + " 0x7fe2cccc0000) = 0x7fe2cccc0000\n", StraceImporter.Options.defaults());
        List<String> ops = ops(r);
        int first = ops.indexOf("move p27892 0x7fe2ccf29000 +8K 0x7fe2ccf25000");
        assertTrue(first > 0, ops.toString());
        assertFalse(ops.contains("unmap p27892 0x7fe2ccf29000 +8K free"), "the move frees");
        assertEquals(2, mapped(r, "p27892", 0x7fe2ccf27000L, 0x7fe2ccf29000L), "grown tail");
        assertEquals(List.of("unmap p27892 0x7fe2cccc0000 +16K free",
                "move p27892 0x7fe2ccf25000 +16K 0x7fe2cccc0000"),
                ops.subList(ops.size() - 2, ops.size()));
        assertEquals(2, r.summary().moves());
        assertTrue(r.text().contains("# mremap (log line 5) moves 0x7fe2ccf29000 +8K to"
                + " 0x7fe2ccf25000\n"), r.text());
        TraceRunner.Result oracleAlone = new TraceRunner(List.of()).run(r.trace());
        assertTrue(oracleAlone.passed(), "every move is one the oracle accepts: "
                + oracleAlone.report());
    }

    @Test
    void brkGrowsAndShrinksTheHeap() {
        StraceImporter.Result r = imp(START
                + "27892 brk(0x5626c6a0b000)               = 0x5626c6a0b000\n"
                + "27892 brk(0x5626c6a03000)               = 0x5626c6a03000\n"
                + "27892 brk(0x5626c6a24000)               = 0x5626c6a24000\n"
                + "27892 brk(0x5626c6b24000)               = 0x5626c6a24000\n", Populate.ALL);
        List<String> ops = ops(r);
        int shrink = ops.indexOf("unmap p27892 0x5626c6a03000 +32K free");
        assertTrue(shrink > 0, ops.toString());
        long[] pages = new long[2];
        long[] ends = {0x5626c69fb000L, 0x5626c6a03000L};
        for (int i = 1; i < ops.size(); i++) {
            if (i == shrink) continue;
            Op.MapOp m = (Op.MapOp) r.trace().lines().get(i).op();
            int part = i < shrink ? 0 : 1;
            assertEquals(ends[part], m.start(), "the heap grows upwards without holes");
            ends[part] = m.end();
            pages[part] += (m.end() - m.start()) >>> 12;
        }
        assertEquals(16, pages[0]);
        assertEquals(0x5626c6a0b000L, ends[0]);
        assertEquals(33, pages[1]);
        assertEquals(0x5626c6a24000L, ends[1]);
        assertEquals(16 + 33, r.summary().pagesMapped(), "grown again from the shrunk top;"
                + " a refused growth (the old break returned) maps nothing");
        agrees(r);
    }

    /** A resource next to this class: an excerpt of a real log. */
    private static String resource(String name) {
        try (var in = StraceImporterTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** forms.c's log: fixed maps, moves, zaps, a thread, a fork, a vfork that execs, exits. */
    private static final String FORMS = resource("forms.strace");

    @Test
    void forkCopiesEveryVmaThreadsAndVforkShareAndExitsDrop() {
        StraceImporter.Result r = imp(FORMS, Populate.ALL);
        List<String> ops = ops(r);
        assertTrue(ops.contains("unmap p27892 0x7fe2ccc40000 +64K"), "MADV_DONTNEED zaps: " + ops);
        assertFalse(ops.contains("mm p27893"), "a thread shares its process's space");
        assertTrue(ops.contains("unmap p27892 0x7fe2ccf28000 +8K free"), "the thread's munmap");
        int fork = ops.indexOf("mm p27896");
        assertEquals(List.of(
                "copy p27896 p27892 0x5626c69fb000 +164K cow",
                "copy p27896 p27892 0x7fe2ccc50000 +448K shared",
                "copy p27896 p27892 0x7fe2cccc0000 +4K cow",
                "copy p27896 p27892 0x7fe2cccc4000 +496K shared",
                "copy p27896 p27892 0x7fe2ccd40000 +12K cow",
                "copy p27896 p27892 0x7fe2ccd43000 +152K shared",
                "copy p27896 p27892 0x7fe2ccd69000 +1368K shared",
                "copy p27896 p27892 0x7fe2ccebf000 +348K shared",
                "copy p27896 p27892 0x7fe2ccf16000 +8K cow",
                "copy p27896 p27892 0x7fe2ccf18000 +52K cow",
                "copy p27896 p27892 0x7fe2ccf2a000 +8K shared",
                "copy p27896 p27892 0x7fe2ccf2c000 +20K cow"), ops.subList(fork + 1, fork + 13),
                "every VMA but the MADV_DONTFORK one, cow where private and writable");
        assertTrue(ops.get(fork + 13).startsWith("map p27896 0x7fe2ccf29000 +4K pfn="),
                "the child maps into its own space: " + ops);
        assertEquals("drop p27896", ops.get(fork + 14));
        assertTrue(r.text().contains("# pid 27898 shares p27892 (vfork, log line 51)"));
        int exec = ops.indexOf("mm p27898");
        assertTrue(exec > fork + 14, "vfork shares until execve: " + ops);
        assertTrue(ops.indexOf("drop p27898") > exec);
        assertEquals(List.of("unmap p27892 0x7fe2ccc40000 +1M free", "drop p27892"),
                ops.subList(ops.size() - 2, ops.size()));
        assertEquals(Map.of("wait4", 2), r.summary().skipped());
        assertEquals(Map.of("mremap", 2), r.summary().failed());
        assertEquals(2, r.summary().signals());
        agrees(r);
    }

    @Test
    void copyOnWriteLeavesThePagesReadOnlyAndSharedInBothSpaces() {
        StraceImporter.Result r = imp(FORMS, Populate.ALL);
        List<Trace.Line> lines = r.trace().lines();
        int fork = ops(r).indexOf("mm p27896");
        long heapPfn = pfnAt(lines.subList(0, fork), "p27892", 0x5626c69fb000L);
        long libcPfn = pfnAt(lines.subList(0, fork), "p27892", 0x7fe2ccd43000L);
        List<Trace.Line> probe = new ArrayList<>(lines.subList(0, fork + 13));
        for (String id : List.of("p27892", "p27896")) {
            probe.add(new Trace.Line(0, new Op.ExpectOp(id, 0x5626c69fb000L, 0, heapPfn,
                    Prot.R | Prot.U, null, null)));
            probe.add(new Trace.Line(0, new Op.ExpectOp(id, 0x7fe2ccd43000L, 0, libcPfn,
                    Prot.R | Prot.U, null, null)));
        }
        Trace t = new Trace("probe", r.trace().geometry(), probe);
        TraceRunner.Result res = new TraceRunner(List.of(new ShadowOps())).run(t);
        assertTrue(res.passed(), res.report());
    }

    private static long pfnAt(List<Trace.Line> lines, String id, long va) {
        long pfn = -1;
        for (Trace.Line l : lines) {
            if (l.op() instanceof Op.MapOp m && m.id().equals(id) && m.start() <= va
                    && va < m.end()) {
                pfn = m.pfn() + ((va - m.start()) >>> 12);
            }
        }
        assertTrue(pfn >= 0, "mapped: 0x" + Long.toHexString(va));
        return pfn;
    }

    @Test
    void aChildSeenBeforeItsParentsVforkReturnsSharesItsSpaceUntilExec() {
        StraceImporter.Result r = imp(resource("gcc-vfork.strace"), Populate.ALL);
        List<String> ops = ops(r);
        String text = r.text();
        int shares = text.indexOf("# pid 29899 shares p29897 (vfork, log line 20)");
        assertTrue(shares > 0, text);
        assertTrue(shares < text.indexOf("mm p29899"), "created at its first line: " + text);
        assertEquals(1, ops.stream().filter(s -> s.equals("mm p29899")).count(), ops.toString());
        assertFalse(ops.stream().anyMatch(s -> s.startsWith("copy")), "vfork copies nothing");
        assertFalse(ops.contains("drop p29897"), "the parent still uses its space");
        assertEquals(8, r.summary().failed().get("execve"));
        assertTrue(ops.stream().anyMatch(o -> o.startsWith("map p29899 0x7f73b5d07000 +")),
                "the exec'd child maps into its own space: " + ops);
        agrees(r);
    }

    @Test
    void unknownCallsAreSkippedAndCountedGarbageNamesItsLine() {
        StraceImporter.Result r = imp(START + "27892 arch_prctl(0x3001, 0x7ffd8c6a7c30) ="
                + " -1 EINVAL (Invalid argument)\n"
                + "27892 membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x7f\n"
                + "27892 madvise(0x7fe2ccc40000, 65536, MADV_HUGEPAGE) = 0\n", Populate.ALL);
        assertEquals(Map.of("membarrier", 1, "madvise(MADV_HUGEPAGE)", 1), r.summary().skipped());
        assertEquals(Map.of("brk", 1), r.summary().handled());
        assertEquals(Map.of("arch_prctl", 1), r.summary().failed());
        assertTrue(r.text().contains("# calls written: brk x1\n"), r.text());
        StraceFormatException e = assertThrows(StraceFormatException.class, () -> imp(START
                + "27892 mmap(NULL, 4096, PROT_READ|PROT_WRITE\n", Populate.ALL));
        assertTrue(e.getMessage().startsWith("t.strace:3: cannot read: "), e.getMessage());
        StraceImporter.Result lenient = StraceImporter.importLog("t.strace", START
                + "27892 mmap(NULL, 4096, PROT_READ|PROT_WRITE\n",
                new StraceImporter.Options(Geometries.X86_64_4LEVEL, Populate.ALL, 1, true,
                        false));
        assertEquals(List.of(3), lenient.summary().garbage());
        assertTrue(lenient.text().contains("# garbage lines skipped (--lenient): 1, first at"
                + " line 3"), lenient.text());
    }

    @Test
    void addressesBeyondTheGeometryAreRefusedNamingTheLine() {
        StraceFormatException e = assertThrows(StraceFormatException.class,
                () -> StraceImporter.importLog("t.strace", START + "27892 mmap(NULL, 8192,"
                        + " PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe2ccf29000\n",
                        new StraceImporter.Options(Geometries.RISCV_SV39, Populate.ALL, 1,
                                false, false)));
        assertTrue(e.getMessage().startsWith("t.strace:3: mmap: 0x7fe2ccf29000-0x7fe2ccf2b000"
                + " lies beyond the 39-bit address space of riscv/sv39"), e.getMessage());
    }

    @Test
    void aPercentagePopulatesAboutThatShareInClustersAndTheSeedDecides() {
        String log = START + "27892 mmap(NULL, 67108864, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n";
        StraceImporter.Result r = imp(log, Populate.parse("30%"));
        double share = r.summary().pagesMapped() / 16384.0;
        assertTrue(share > 0.25 && share < 0.35, "30% asked, " + share + " given");
        assertEquals(r.text(), imp(log, new Populate(30)).text(), "same seed, same trace");
        StraceImporter.Result other = StraceImporter.importLog("t.strace", log,
                new StraceImporter.Options(Geometries.X86_64_4LEVEL, new Populate(30), 2, false,
                        false));
        assertNotEquals(r.text(), other.text(), "another seed, other pages");
        assertEquals(0, imp(log, Populate.NONE).summary().pagesMapped());
        assertTrue(r.text().contains("# populate 30%, seed 1"), r.text());
    }

    @Test
    void aHugeReservationIsPopulatedOnlyInItsFirstPages() {
        StraceImporter.Result r = imp(START + "27892 mmap(NULL, 70368744177664,"
                + " PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) ="
                + " 0x16268b600000\n", new Populate(1));
        assertTrue(r.summary().pagesMapped() < Populate.MAX_PAGES / 50, "about 1% of the cap");
        assertEquals(1, r.summary().skipped().get("pages beyond the first 65536 of a mapping"));
    }

    @Test
    void framesAreRealisticRunsAndFilePagesAreSharedBetweenProcesses() {
        StraceImporter.Result r = imp(FORMS, Populate.ALL);
        Map<Long, Long> libc = new HashMap<>();
        Map<Long, Long> libcAfterExec = new HashMap<>();
        long runs = 0;
        long pages = 0;
        for (Trace.Line l : r.trace().lines()) {
            if (!(l.op() instanceof Op.MapOp m)) continue;
            runs++;
            pages += (m.end() - m.start()) >>> 12;
            for (long a = m.start(); a < m.end(); a += 4096) {
                long pfn = m.pfn() + ((a - m.start()) >>> 12);
                if (m.id().equals("p27892") && a >= 0x7fe2ccd43000L && a < 0x7fe2ccf18000L) {
                    libc.put(a - 0x7fe2ccd43000L, pfn);
                }
                if (m.id().equals("p27898") && a >= 0x7f64ee71dL << 12 && a < 0x7f64ee8f2L << 12) {
                    libcAfterExec.put(a - 0x7f64ee71d000L, pfn);
                }
            }
        }
        assertEquals(0x1d5, libc.size());
        assertEquals(libc, libcAfterExec, "page i of libc.so.6 has one frame in every process");
        assertTrue(runs > pages / 4 && runs < pages, runs + " runs of " + pages + " pages");
    }
}

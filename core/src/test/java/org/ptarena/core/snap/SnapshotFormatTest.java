package org.ptarena.core.snap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.Geometries;
import org.ptarena.core.Prot;

class SnapshotFormatTest {

    /** A small snapshot in the file form, as ptarena capture writes it. */
    static final String SMALL = String.join("\n",
            "# ptarena capture of pid 4242 (sleep); kernel 6.1.0; 2025-01-01",
            "# pfns real",
            "snapshot 1",
            "arch x86_64",
            "page-shift 12",
            "pfns real",
            "vma 400000-402000 r-xp sleep",
            " 0 2 1000",
            "vma 600000-a00000 rw-p [heap]",
            " 0 1 2000",
            " 2 3 2010  # comments may follow a run",
            " 200 200 3000 thp",
            "vma 7ffc0000-7ffc1000 rw-s memfd:shared (deleted)",
            " 0 1 5000",
            "vma 7fff0000-7fff4000 ---p",
            "");

    @Test
    void readsEveryStatementForm() {
        Snapshot s = SnapshotReader.parse("small.snap", SMALL);
        assertEquals(List.of("ptarena capture of pid 4242 (sleep); kernel 6.1.0; 2025-01-01",
                "pfns real"), s.notes());
        assertEquals("x86_64", s.arch());
        assertEquals(12, s.pageShift());
        assertTrue(s.realPfns());
        assertEquals(4, s.vmas().size());
        Snapshot.Vma heap = s.vmas().get(1);
        assertEquals("[heap]", heap.name());
        assertEquals(List.of(new Snapshot.Run(0x600000, 1, 0x2000, false),
                new Snapshot.Run(0x602000, 3, 0x2010, false),
                new Snapshot.Run(0x800000, 0x200, 0x3000, true)), heap.runs());
        assertEquals("memfd:shared (deleted)", s.vmas().get(2).name());
        assertTrue(s.vmas().get(2).shared());
        assertEquals("", s.vmas().get(3).name());
        assertEquals(Prot.U, s.vmas().get(3).prot());
        assertEquals(2 + 1 + 3 + 0x200 + 1, s.pages());
        assertEquals(5, s.runs());
        assertEquals(Geometries.X86_64_4LEVEL, s.defaultGeometry());
    }

    @Test
    void writeThenReadGivesTheSameSnapshot(@TempDir Path dir) throws IOException {
        Snapshot s = SnapshotReader.parse("small.snap", SMALL);
        assertEquals(s, SnapshotReader.parse("again", SnapshotWriter.write(s)));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int k = 0; k < 20; k++) {
            Snapshot r = random(rnd);
            Path f = dir.resolve("r" + k + ".snap");
            r.write(f);
            assertEquals(r, Snapshot.read(f), "seed 7, snapshot " + k);
        }
        try (var files = Files.list(dir)) {
            assertEquals(20, files.count(), "no temporary file is left behind");
        }
    }

    /** A random valid snapshot: VMAs with gaps, runs with gaps, some THPs. */
    static Snapshot random(SplittableRandom rnd) {
        return random(rnd, 2048);
    }

    /** {@link #random(SplittableRandom)} with VMAs of at most {@code maxPages} pages. */
    static Snapshot random(SplittableRandom rnd, int maxPages) {
        List<Snapshot.Vma> vmas = new ArrayList<>();
        long at = 0x10000L << rnd.nextInt(20);
        String[] perms = {"r--p", "rw-p", "r-xp", "rw-s", "---p"};
        for (int v = rnd.nextInt(6); v >= 0; v--) {
            at += (1L + rnd.nextInt(64)) << 21;
            long pages = 1 + rnd.nextInt(maxPages);
            List<Snapshot.Run> runs = new ArrayList<>();
            long p = rnd.nextInt(4);
            while (p < pages) {
                long start = at + (p << 12);
                if ((start & 0x1fffff) == 0 && pages - p >= 512 && rnd.nextBoolean()) {
                    runs.add(new Snapshot.Run(start, 512, 0x200L << rnd.nextInt(12), true));
                    p += 512;
                } else {
                    long n = Math.min(pages - p, 1 + rnd.nextInt(40));
                    runs.add(new Snapshot.Run(start, n, rnd.nextLong(1L << 36), false));
                    p += n;
                }
                p += rnd.nextInt(5);
            }
            vmas.add(new Snapshot.Vma(at, at + (pages << 12), perms[rnd.nextInt(perms.length)],
                    rnd.nextBoolean() ? "" : "lib" + rnd.nextInt(9) + ".so", runs));
            at += pages << 12;
        }
        return new Snapshot(List.of("random"), "x86_64", 12, rnd.nextBoolean(), vmas);
    }

    @Test
    void malformedInputsNameTheLineAndWhatWasExpected() {
        String head = "snapshot 1\narch x86_64\npage-shift 12\npfns real\n";
        assertError("", "t.snap:1: empty snapshot");
        assertError("vma 0-1000 r--p\n", "t.snap:1: not a snapshot: vma 0-1000 r--p");
        assertError("snapshot 2\n", "t.snap:1: unknown version: 2 — expected version 1");
        assertError("snapshot 1\narch x86_64\npfns real\nvma 0-1000 r--p\n",
                "t.snap:4: missing page-shift");
        assertError(head + "vma 400000-400800 r--p\n", "t.snap:5: vma not page aligned");
        assertError(head + "vma 402000-400000 r--p\n", "t.snap:5: vma end not above start");
        assertError(head + "vma 400000-402000 r--p\nvma 401000-403000 r--p\n",
                "t.snap:6: vma overlaps or precedes the previous one");
        assertError(head + "vma 400000-402000 rwx\n", "t.snap:5: perms: rwx");
        assertError(head + "vma 400000-402000 r--p\n 1 2 10\n", "t.snap:6: run outside its vma");
        assertError(head + "vma 400000-402000 r--p\n 1 1 10\n 0 1 20\n",
                "t.snap:7: run overlaps or precedes the previous one");
        assertError(head + "vma 400000-402000 r--p\n 0 0 10\n", "t.snap:6: empty run");
        assertError(head + "vma 400000-402000 r--p\n 0 1 0x10\n", "t.snap:6: run pfn: 0x10");
        assertError(head + "vma 0-400000 rw-p\n 1 200 200 thp\n", "t.snap:6: thp run not aligned");
        assertError(head + " 0 1 10\n", "t.snap:5: run before any vma");
        assertError(head + "vma 0-1000 r--p\npfns synthetic\n",
                "t.snap:6: header after the first vma");
        assertError(head + "pfns real\n", "t.snap:5: repeated: pfns");
        assertError(head + "mapping 0-1000\n", "t.snap:5: unknown statement: mapping");
        assertError("snapshot 1\narch x86_64\npage-shift 0x0c\n", "t.snap:3: page shift: 0x0c");
    }

    private static void assertError(String text, String start) {
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> SnapshotReader.parse("t.snap", text));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().contains(" — expected "), e.getMessage());
    }

    @Test
    void misfitSaysWhyAGeometryCannotHoldTheSnapshot() {
        Snapshot s = SnapshotReader.parse("small.snap", SMALL);
        assertEquals(null, s.misfit(Geometries.X86_64_4LEVEL));
        assertEquals(null, s.misfit(Geometries.ARM64_4K_39));
        assertTrue(s.misfit(Geometries.ARM64_64K_48).contains("4K pages"), s.misfit(
                Geometries.ARM64_64K_48));
        Snapshot high = new Snapshot(List.of(), "x86_64", 12, true, List.of(new Snapshot.Vma(
                0x7fff00000000L, 0x7fff00001000L, "rw-p", "[stack]", List.of())));
        assertFalse(high.misfit(Geometries.X86_64_4LEVEL) != null);
        assertTrue(high.misfit(Geometries.ARM64_4K_39).contains("39-bit"));
    }
}

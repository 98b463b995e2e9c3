package org.ptarena.core.snap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture from a directory laid out like {@code /proc} (every case, including the ones a live
 * system cannot produce on demand), and from the real {@code /proc} of a process the test starts.
 */
class ProcCaptureTest {
    private static final int PID = 4242;
    private static final long PRESENT = 1L << 63;
    private static final String MAPS = String.join("\n",
            "00400000-00402000 r-xp 00000000 08:01 1234  /srv/users/someone/bin/sleep",
            "00600000-00a00000 rw-p 00000000 00:00 0     [heap]",
            "00c00000-00c02000 rw-p 00000000 00:00 0",
            "7f0000000000-7f0000001000 r--s 00000000 00:05 77  /memfd:jit (deleted)",
            "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]",
            "");

    @TempDir Path proc;
    private Path dir;

    @BeforeEach
    void fakeProc() throws IOException {
        dir = Files.createDirectories(proc.resolve(Integer.toString(PID)));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.1.0-test\n");
        Files.writeString(dir.resolve("comm"), "sleep\n");
        Files.writeString(dir.resolve("stat"), PID + " (sleep) S 1 4242 4242 0 -1 4194560 100 0 0"
                + " 0 0 0 0 0 20 0 1 0 987654 5566 44 18446744073709551615\n");
        Files.writeString(dir.resolve("maps"), MAPS);
        smaps(2048, 8);
        pagemap(dir.resolve("pagemap"), 0x400, PRESENT | 0x1000, PRESENT | 0x1001);
        pagemap(dir.resolve("pagemap"), 0x600, PRESENT | 0x2000, PRESENT | 0x2005, 0,
                PRESENT | 0x2006);
        long[] huge = new long[512];
        for (int i = 0; i < 512; i++) huge[i] = PRESENT | (0x3000 + i);
        pagemap(dir.resolve("pagemap"), 0x800, huge);
        pagemap(dir.resolve("pagemap"), 0xc00, PRESENT | 0x4000);
        pagemap(dir.resolve("pagemap"), 0x7f0000000L, PRESENT | 0x5000);
        pagemap(proc.resolve("kpageflags"), 0x3000,
                ProcCapture.KPF_THP | ProcCapture.KPF_COMPOUND_HEAD);
    }

    /** smaps with the heap's PMD-mapped kilobytes and the third VMA's Rss. */
    private void smaps(long heapPmdKb, long thirdRssKb) throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] lines = MAPS.split("\n");
        long[] rss = {8, 4096, thirdRssKb, 4, 0};
        for (int i = 0; i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
            sb.append("Size:               4 kB\nKernelPageSize:        4 kB\n");
            sb.append("Rss:            ").append(rss[i]).append(" kB\n");
            sb.append("AnonHugePages:  ").append(i == 1 ? heapPmdKb : 0).append(" kB\n");
            sb.append("ShmemPmdMapped:     0 kB\nFilePmdMapped:      0 kB\n");
        }
        Files.writeString(dir.resolve("smaps"), sb.toString());
    }

    /** Writes 64-bit little-endian words at word index {@code at} of {@code file}. */
    private static void pagemap(Path file, long at, long... words) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer b = ByteBuffer.allocate(8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long w : words) b.putLong(w);
            f.seek(at * 8);
            f.write(b.array());
        }
    }

    private Snapshot capture() throws CaptureException {
        return new ProcCapture(proc).capture(PID, List.of("started by a test"));
    }

    @Test
    void realPfnsGiveRunsCutWherePfnsBreakAndThpFromKpageflags() throws CaptureException {
        Snapshot s = capture();
        assertTrue(s.realPfns());
        assertEquals(12, s.pageShift());
        assertEquals(4, s.vmas().size(), "the kernel's [vsyscall] is left out");
        assertEquals("sleep", s.vmas().get(0).name(), "no directory of the machine");
        assertEquals("memfd:jit (deleted)", s.vmas().get(3).name());
        assertEquals(List.of(new Snapshot.Run(0x400000, 2, 0x1000, false)),
                s.vmas().get(0).runs());
        assertEquals(List.of(new Snapshot.Run(0x600000, 1, 0x2000, false),
                new Snapshot.Run(0x601000, 1, 0x2005, false),
                new Snapshot.Run(0x603000, 1, 0x2006, false),
                new Snapshot.Run(0x800000, 512, 0x3000, true)), s.vmas().get(1).runs());
        assertEquals(List.of(new Snapshot.Run(0xc00000, 1, 0x4000, false)),
                s.vmas().get(2).runs());
        assertTrue(s.notes().get(0).startsWith("ptarena capture of pid 4242 (sleep); kernel"
                + " 6.1.0-test; "), s.notes().get(0));
        assertTrue(s.notes().get(1).contains("kpageflags"), s.notes().get(1));
        assertEquals("started by a test", s.notes().get(2));
    }

    @Test
    void withoutKpageflagsSmapsAloneDecidesHowManyStretchesAreThp() throws Exception {
        Files.delete(proc.resolve("kpageflags"));
        assertTrue(capture().vmas().get(1).runs().get(3).thp());
        smaps(0, 8);
        assertFalse(capture().vmas().get(1).runs().get(3).thp(), "nothing PMD-mapped in smaps");
    }

    @Test
    void kpageflagsWithoutThpKeepsTheStretchInBasePages() throws Exception {
        pagemap(proc.resolve("kpageflags"), 0x3000, 0);
        Snapshot.Run r = capture().vmas().get(1).runs().get(3);
        assertFalse(r.thp());
        assertEquals(512, r.pages());
    }

    @Test
    void aVmaWithNoRssIsNotReadFromPagemap() throws Exception {
        smaps(2048, 0);
        assertEquals(List.of(), capture().vmas().get(2).runs());
    }

    @Test
    void zeroPfnsMeanSyntheticPfnsAndTheFileSaysSo() throws Exception {
        Path pm = dir.resolve("pagemap");
        Files.delete(pm);
        pagemap(pm, 0x400, PRESENT, PRESENT);
        pagemap(pm, 0x600, PRESENT, PRESENT, 0, PRESENT);
        long[] huge = new long[512];
        java.util.Arrays.fill(huge, PRESENT);
        pagemap(pm, 0x800, huge);
        pagemap(pm, 0xc00, PRESENT);
        pagemap(pm, 0x7f0000000L, PRESENT);
        Snapshot s = capture();
        assertFalse(s.realPfns());
        assertTrue(s.notes().get(1).startsWith("pfns synthetic"), s.notes().get(1));
        List<Snapshot.Run> heap = s.vmas().get(1).runs();
        assertEquals(2, heap.get(0).pages(), "present pages make one run whatever their frames");
        long last = -1;
        for (Snapshot.Vma v : s.vmas()) {
            for (Snapshot.Run r : v.runs()) {
                assertEquals((r.start() >>> 12) % 512, r.pfn() % 512, "congruent: " + r);
                assertTrue(r.pfn() > last, "ascending, never reused");
                last = r.pfn() + r.pages() - 1;
            }
        }
        assertTrue(heap.get(2).thp(), "smaps says the heap has a PMD-mapped 2M");
        assertTrue(SnapshotCheck.run(s, s.defaultGeometry(),
                List.of(new org.ptarena.core.trace.ShadowOps()), "synthetic").passed());
    }

    @Test
    void aMissingProcessIsNamed() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> new ProcCapture(proc).capture(4243, List.of()));
        assertEquals("no process with pid 4243", e.getMessage());
    }

    @Test
    void aProcessThatExitsDuringTheCaptureLeavesNoSnapshot() throws Exception {
        Files.delete(dir.resolve("pagemap"));
        CaptureException e = assertThrows(CaptureException.class, this::capture);
        assertEquals("process 4242 exited during the capture; nothing written", e.getMessage());
        pagemap(dir.resolve("pagemap"), 0x400, PRESENT | 0x1000);
        e = assertThrows(CaptureException.class, this::capture, "pagemap ends early");
        assertTrue(e.getMessage().contains("exited during the capture"), e.getMessage());
    }

    @Test
    void aZombieHasNoAddressSpace() throws Exception {
        Files.writeString(dir.resolve("maps"), "");
        CaptureException e = assertThrows(CaptureException.class, this::capture);
        assertTrue(e.getMessage().contains("no user address space"), e.getMessage());
    }

    @Test
    void namesKeepTheProgramAndDropTheDirectories() {
        assertEquals("libc.so.6", ProcCapture.name("/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals("a b (deleted)", ProcCapture.name("/tmp/x y/a b (deleted)"));
        assertEquals("[stack]", ProcCapture.name("[stack]"));
        assertEquals("bad?name", ProcCapture.name("/x/bad\u0001name"));
    }

    /**
     * A live capture of a process this test starts. As root pfns are real; as a plain user the
     * kernel zeroes them in one's own pagemap and the snapshot says synthetic.
     */
    @Test
    void capturesALiveProcessStartedByTheTest() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            awaitSleeping(p);
            Snapshot s = new ProcCapture().capture((int) p.pid(), List.of());
            assertEquals(isRoot(), s.realPfns());
            assertTrue(s.vmas().stream().anyMatch(v -> v.name().equals("[stack]")));
            assertTrue(s.vmas().stream().anyMatch(v -> v.name().startsWith("libc")));
            assertTrue(s.vmas().stream().noneMatch(v -> v.name().contains("/")));
            assertTrue(s.pages() > 10, "a running process has pages: " + s.pages());
            assertTrue(s.notes().get(0).contains("(sleep)"), s.notes().get(0));
            assertEquals(s, SnapshotReader.parse("live", SnapshotWriter.write(s)));
            assertTrue(SnapshotCheck.run(s, s.defaultGeometry(),
                    List.of(new org.ptarena.core.trace.ShadowOps()), "live").passed());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        CaptureException e = assertThrows(CaptureException.class,
                () -> new ProcCapture().capture((int) p.pid(), List.of()));
        assertEquals("no process with pid " + p.pid(), e.getMessage());
    }

    /**
     * The plain-user path: one's own process gives present bits with the pfns zeroed (synthetic
     * pfns), another user's process gives no permission. As root the capture runs in a child JVM
     * under {@code setpriv} as user nobody; as a plain user it runs here.
     */
    @Test
    void aPlainUserGetsSyntheticPfnsForTheirOwnProcessAndNothingOfOthers() throws Exception {
        List<String> asNobody = isRoot()
                ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
                : List.of();
        Process p = start(asNobody, List.of("sleep", "30"));
        try {
            awaitSleeping(p);
            assertTrue(capture(asNobody, p.pid()).matches("synthetic \\d+"),
                    capture(asNobody, p.pid()));
            assertEquals("error no permission to read /proc/1/maps: capture needs the process"
                    + " to be your own (or root)", capture(asNobody, 1));
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process start(List<String> prefix, List<String> command) throws IOException {
        List<String> all = new java.util.ArrayList<>(prefix);
        all.addAll(command);
        return new ProcessBuilder(all).redirectErrorStream(true).start();
    }

    /** One line from {@link CaptureMain} run as the user {@code prefix} makes (or as we are). */
    private static String capture(List<String> prefix, long pid) throws Exception {
        if (prefix.isEmpty()) {
            try {
                Snapshot s = new ProcCapture().capture((int) pid, List.of());
                return (s.realPfns() ? "real " : "synthetic ") + s.pages();
            } catch (CaptureException e) {
                return "error " + e.getMessage();
            }
        }
        String cp = Path.of(CaptureMain.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()) + java.io.File.pathSeparator + Path.of(ProcCapture.class
                .getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process c = start(prefix, List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", cp, CaptureMain.class.getName(), Long.toString(pid)));
        String out = new String(c.getInputStream().readAllBytes()).strip();
        assertTrue(c.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** Waits until {@code p} has exec'd sleep, loaded its libraries and gone to sleep. */
    static void awaitSleeping(Process p) throws IOException, InterruptedException {
        Path dir = Path.of("/proc", Long.toString(p.pid()));
        for (int i = 0; i < 500; i++) {
            try {
                String stat = Files.readString(dir.resolve("stat"));
                if (stat.contains("(sleep) S ") && Files.readString(dir.resolve("maps"))
                        .contains("libc")) {
                    return;
                }
            } catch (IOException e) {
                // not there yet, or exiting: try again
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + p.pid() + " never went to sleep");
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
        }
        return false;
    }
}

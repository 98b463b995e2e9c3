package org.ptarena.core.snap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a live process's address space from {@code /proc} into a {@link Snapshot}.
 *
 * <ul>
 * <li>{@code /proc/PID/maps}: the VMAs. Addresses with the top bit set (x86-64's {@code
 *     [vsyscall]}, a kernel address) are left out. File names are cut to their base name
 *     ({@code libc.so.6}), so no directory of the machine ends up in the file.</li>
 * <li>{@code /proc/PID/smaps}, when readable: the page size ({@code KernelPageSize}), which VMAs
 *     hold pages at all ({@code Rss}; the others are not read from pagemap, so that a 1 TiB
 *     {@code PROT_NONE} reservation costs nothing), and how much of each is mapped by PMDs
 *     ({@code AnonHugePages}, {@code ShmemPmdMapped}, {@code FilePmdMapped}).</li>
 * <li>{@code /proc/PID/pagemap}: one 64-bit word per page, bit 63 present, bits 0–54 the pfn.
 *     The pfn reads as zero without {@code CAP_SYS_ADMIN} (Documentation/admin-guide/mm/
 *     pagemap.rst); a plain user can still read the present bits of a process of their own.
 *     When every present page reads pfn 0 the snapshot's pfns are <b>synthetic</b>, and the
 *     file says so: each run of consecutive present pages gets consecutive made-up pfns, its
 *     first congruent to its virtual page number modulo the PMD span (so a present, aligned 2M
 *     could be a huge leaf), runs handed out in address order from 4 GiB up.</li>
 * <li>{@code /proc/kpageflags}, when readable (root) and pfns are real: a PMD-aligned stretch of
 *     present pages with consecutive, aligned pfns is a THP when its first frame is a compound
 *     head with {@code KPF_THP}. Without kpageflags, the first such stretches of a VMA are THPs
 *     up to the amount smaps reports PMD-mapped. Either way no more than that amount.</li>
 * </ul>
 *
 * <p>Failures are {@link CaptureException}s saying what happened: no such process, a process
 * that exited while it was read (its {@code /proc} directory vanished, a read came up short, or
 * its start time changed: a new process with the same pid), no permission. Nothing is written
 * here; the caller writes the finished snapshot atomically, so no partial file remains.
 */
public final class ProcCapture {
    /** Pagemap bits (Documentation/admin-guide/mm/pagemap.rst). */
    static final long PM_PRESENT = 1L << 63;
    static final long PM_PFN_MASK = (1L << 55) - 1;
    /** kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
    static final long KPF_COMPOUND_HEAD = 1L << 15;
    static final long KPF_THP = 1L << 22;
    /** The first synthetic pfn: 4 GiB into physical memory on 4K pages. */
    static final long SYNTHETIC_BASE = 0x100000;
    /** Pagemap entries read at a time. */
    private static final int CHUNK = 1 << 16;

    private final Path proc;

    /** Captures from the machine's own {@code /proc}. */
    public ProcCapture() {
        this(Path.of("/proc"));
    }

    /** Captures from {@code proc}, a directory laid out like {@code /proc} (tests use a copy). */
    public ProcCapture(Path proc) {
        this.proc = proc;
    }

    /** One line of maps, with what smaps says about it. */
    private static final class Area {
        long start;
        long end;
        String perms;
        String name;
        long rssKb = -1;
        long pmdKb;
        /** Present stretches as {@code {first page (from start), pages, pfn of the first}}. */
        final List<long[]> present = new ArrayList<>();
    }

    /**
     * Captures process {@code pid}.
     *
     * @param notes extra header lines (how the process was started), put after the capture's own
     * @throws CaptureException no such process, it exited during the capture, or no permission
     */
    public Snapshot capture(int pid, List<String> notes) throws CaptureException {
        Path dir = proc.resolve(Integer.toString(pid));
        if (pid <= 0 || !Files.isDirectory(dir)) {
            throw new CaptureException("no process with pid " + pid);
        }
        String started = startTime(pid, dir);
        String comm = read(pid, dir.resolve("comm")).strip();
        List<Area> areas = maps(pid, dir);
        if (areas.isEmpty()) {
            throw new CaptureException("process " + pid + " (" + comm + ") has no user address"
                    + " space: a kernel thread, or a zombie that has exited");
        }
        int pageShift = smaps(pid, dir, areas);
        pagemap(pid, dir, areas, pageShift);
        if (!started.equals(startTimeIfAlive(dir))) {
            throw new CaptureException("process " + pid + " (" + comm + ") exited during the"
                    + " capture; nothing written");
        }
        boolean real = false;
        for (Area a : areas) {
            for (long[] p : a.present) real |= p[2] != 0;
        }
        Path kpageflags = proc.resolve("kpageflags");
        boolean flags = real && Files.isReadable(kpageflags);
        List<Snapshot.Vma> vmas = new ArrayList<>();
        long[] nextPfn = {SYNTHETIC_BASE};
        try (FileChannel kpf =
                flags ? FileChannel.open(kpageflags, StandardOpenOption.READ) : null) {
            for (Area a : areas) vmas.add(vma(a, pageShift, real, nextPfn, kpf));
        } catch (IOException e) {
            throw new CaptureException("cannot read " + kpageflags + ": " + e.getMessage(), e);
        }
        List<String> all = new ArrayList<>();
        all.add(String.format(Locale.ROOT, "ptarena capture of pid %d (%s); kernel %s; %s", pid,
                comm, kernel(), LocalDate.now(ZoneOffset.UTC)));
        all.add(real
                ? "pfns real: read from /proc/PID/pagemap with CAP_SYS_ADMIN"
                        + (flags ? "; THP from smaps and /proc/kpageflags" : "; THP from smaps")
                : "pfns synthetic: pagemap gave present bits without frame numbers (not root);"
                        + " each run of present pages got consecutive made-up pfns");
        all.addAll(notes);
        return new Snapshot(all, arch(), pageShift, real, vmas);
    }

    /** The VMA with its runs (synthetic pfns given out here when pfns are not real), THPs cut. */
    private static Snapshot.Vma vma(Area a, int pageShift, boolean real, long[] nextPfn,
            FileChannel kpf) throws IOException {
        List<Snapshot.Run> runs = new ArrayList<>();
        long span = 1L << (pageShift - 3);
        long firstVpn = a.start >>> pageShift;
        for (long[] p : a.present) {
            long pfn = p[2];
            if (!real) {
                long vpn = firstVpn + p[0];
                pfn = nextPfn[0] + Math.floorMod(vpn - nextPfn[0], span);
                nextPfn[0] = pfn + p[1];
            }
            runs.add(new Snapshot.Run(a.start + (p[0] << pageShift), p[1], pfn, false));
        }
        long hugeBudget = (a.pmdKb << 10) >>> (pageShift + pageShift - 3);
        List<Snapshot.Run> cut = new ArrayList<>();
        for (Snapshot.Run r : runs) hugeBudget = cutThp(r, pageShift, span, hugeBudget, kpf, cut);
        return new Snapshot.Vma(a.start, a.end, a.perms, a.name, cut);
    }

    /**
     * Adds {@code r} to {@code out}, cut so that each THP stretch inside it is a run of its own
     * (adjacent THPs together); returns the THP budget left.
     */
    private static long cutThp(Snapshot.Run r, int pageShift, long span, long budget,
            FileChannel kpf, List<Snapshot.Run> out) throws IOException {
        long vpn = r.start() >>> pageShift;
        long from = 0;     // first page of r not yet added
        long hugeAt = -1;  // first page of the THP stretch being grown, or -1
        long p = Math.floorMod(-vpn, span);
        for (; p + span <= r.pages(); p += span) {
            boolean aligned = ((r.pfn() + p) & (span - 1)) == 0;
            boolean huge = budget > 0 && aligned && (kpf == null || thpHead(kpf, r.pfn() + p));
            if (huge) {
                budget--;
                if (hugeAt < 0) {
                    if (p > from) out.add(piece(r, from, p, pageShift, false));
                    hugeAt = p;
                }
            } else if (hugeAt >= 0) {
                out.add(piece(r, hugeAt, p, pageShift, true));
                from = p;
                hugeAt = -1;
            }
        }
        if (hugeAt >= 0) {
            out.add(piece(r, hugeAt, p, pageShift, true));
            from = p;
        }
        if (from < r.pages()) out.add(piece(r, from, r.pages(), pageShift, false));
        return budget;
    }

    private static Snapshot.Run piece(Snapshot.Run r, long from, long to, int pageShift,
            boolean thp) {
        return new Snapshot.Run(r.start() + (from << pageShift), to - from, r.pfn() + from, thp);
    }

    private static boolean thpHead(FileChannel kpf, long pfn) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (kpf.read(b, pfn * 8) != 8) return false;
        long f = b.getLong(0);
        return (f & KPF_THP) != 0 && (f & KPF_COMPOUND_HEAD) != 0;
    }

    /** The user VMAs of {@code maps}. */
    private List<Area> maps(int pid, Path dir) throws CaptureException {
        List<Area> areas = new ArrayList<>();
        for (String line : read(pid, dir.resolve("maps")).split("\n")) {
            if (line.isBlank()) continue;
            String[] t = line.strip().split("\\s+", 6);
            int dash = t[0].indexOf('-');
            if (t.length < 5 || dash < 0 || !t[1].matches("[r-][w-][x-][ps]")) {
                throw new CaptureException("cannot read /proc/" + pid + "/maps: line '" + line
                        + "'");
            }
            Area a = new Area();
            a.start = Long.parseUnsignedLong(t[0].substring(0, dash), 16);
            a.end = Long.parseUnsignedLong(t[0].substring(dash + 1), 16);
            a.perms = t[1];
            a.name = t.length > 5 ? name(t[5]) : "";
            if (a.start < 0 || a.end < 0) continue;
            areas.add(a);
        }
        return areas;
    }

    /** A maps path cut to what identifies the program, not the machine. */
    static String name(String path) {
        String p = path.strip();
        String deleted = " (deleted)";
        String suffix = p.endsWith(deleted) ? deleted : "";
        p = p.substring(0, p.length() - suffix.length());
        if (p.startsWith("/")) p = p.substring(p.lastIndexOf('/') + 1);
        StringBuilder sb = new StringBuilder();
        for (char c : (p + suffix).toCharArray()) sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        return sb.toString();
    }

    /** Reads smaps into the areas; returns the page shift (12 if smaps cannot be read). */
    private int smaps(int pid, Path dir, List<Area> areas) throws CaptureException {
        String text;
        try {
            text = Files.readString(dir.resolve("smaps"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw exited(pid);
        } catch (IOException e) {
            return 12;
        }
        Map<Long, Area> byStart = new HashMap<>();
        for (Area a : areas) byStart.put(a.start, a);
        Area cur = null;
        long pageKb = Long.MAX_VALUE;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            int dash = line.indexOf('-');
            if (dash > 0 && (colon < 0 || dash < colon) && line.matches("[0-9a-f]+-[0-9a-f]+ .*")) {
                cur = byStart.get(Long.parseUnsignedLong(line.substring(0, dash), 16));
                continue;
            }
            if (cur == null || colon < 0) continue;
            String key = line.substring(0, colon);
            String[] v = line.substring(colon + 1).strip().split("\\s+");
            if (v.length == 0 || !v[0].matches("\\d+")) continue;
            long kb = Long.parseLong(v[0]);
            switch (key) {
                case "Rss" -> cur.rssKb = kb;
                case "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped" -> cur.pmdKb += kb;
                case "KernelPageSize" -> pageKb = Math.min(pageKb, kb);
                default -> { }
            }
        }
        if (pageKb == Long.MAX_VALUE) return 12;
        return 63 - Long.numberOfLeadingZeros(pageKb << 10);
    }

    /**
     * Reads the pagemap words of every area with resident pages, a chunk at a time, into its
     * present stretches: consecutive present pages whose pfns are consecutive, or all zero (a
     * plain user's view, where the kernel hides the frames).
     */
    private void pagemap(int pid, Path dir, List<Area> areas, int pageShift)
            throws CaptureException {
        Path file = dir.resolve("pagemap");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (Area a : areas) {
                if (a.rssKb == 0) continue;
                long pages = (a.end - a.start) >>> pageShift;
                long pos = (a.start >>> pageShift) * 8;
                long[] open = null;  // the stretch being grown
                for (long done = 0; done < pages; ) {
                    int want = (int) Math.min(CHUNK, pages - done);
                    buf.clear().limit(want * 8);
                    while (buf.hasRemaining()) {
                        int got = ch.read(buf, pos + done * 8 + buf.position());
                        if (got <= 0) throw exited(pid);
                    }
                    buf.flip();
                    for (int k = 0; k < want; k++) {
                        long e = buf.getLong();
                        long page = done + k;
                        if ((e & PM_PRESENT) == 0) {
                            open = null;
                            continue;
                        }
                        long pfn = e & PM_PFN_MASK;
                        boolean goesOn = open != null && (pfn == 0 && open[2] == 0
                                || pfn != 0 && pfn == open[2] + open[1]);
                        if (goesOn) {
                            open[1]++;
                        } else {
                            open = new long[] {page, 1, pfn};
                            a.present.add(open);
                        }
                    }
                    done += want;
                }
            }
        } catch (NoSuchFileException e) {
            throw exited(pid);
        } catch (AccessDeniedException e) {
            throw denied(pid, "pagemap");
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) throw exited(pid);
            if (String.valueOf(e.getMessage()).contains("ermission")) throw denied(pid, "pagemap");
            throw new CaptureException("cannot read /proc/" + pid + "/pagemap: " + e.getMessage(),
                    e);
        }
    }

    /** Field 22 of {@code stat}: the start time, which tells a process from a later one. */
    private String startTime(int pid, Path dir) throws CaptureException {
        String s = startTimeIfAlive(dir);
        if (s == null) throw new CaptureException("no process with pid " + pid);
        return s;
    }

    private static String startTimeIfAlive(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split("\\s+");
            return f.length > 19 ? f[19] : stat;
        } catch (IOException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private String read(int pid, Path file) throws CaptureException {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw exited(pid);
        } catch (AccessDeniedException e) {
            throw denied(pid, file.getFileName().toString());
        } catch (IOException e) {
            if (!Files.isDirectory(file.getParent())) throw exited(pid);
            throw new CaptureException("cannot read /proc/" + pid + "/" + file.getFileName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static CaptureException exited(int pid) {
        return new CaptureException("process " + pid + " exited during the capture; nothing"
                + " written");
    }

    private static CaptureException denied(int pid, String what) {
        return new CaptureException("no permission to read /proc/" + pid + "/" + what
                + ": capture needs the process to be your own (or root)");
    }

    private String kernel() {
        try {
            return Files.readString(proc.resolve("sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    /** {@code uname -m} of this machine. */
    static String arch() {
        String a = System.getProperty("os.arch", "unknown");
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a;
        };
    }
}

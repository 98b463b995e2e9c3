package org.ptarena.core.snap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.Prot;

/**
 * A real process's address space, as {@link ProcCapture} read it from {@code /proc}: its VMAs,
 * and inside each the runs of consecutive present pages whose pfns are consecutive too. The file
 * form ({@code .snap}) is described, as a grammar, in {@link SnapshotReader}; {@link
 * SnapshotWriter} prints it and {@link SnapshotReplay} builds an address space from it.
 *
 * @param notes the header comments: how the snapshot was made (command, kernel, date)
 * @param arch the machine ({@code x86_64}, {@code aarch64}, …), for {@link #defaultGeometry}
 * @param pageShift log2 of the base page of the machine it was captured on
 * @param realPfns whether pfns are the machine's own (read as root) or synthetic (see {@link
 *     ProcCapture})
 * @param vmas the VMAs in address order, none overlapping
 */
public record Snapshot(
        List<String> notes, String arch, int pageShift, boolean realPfns, List<Vma> vmas) {

    /** The file format's version, the number after {@code snapshot}. */
    public static final int VERSION = 1;

    public Snapshot {
        notes = List.copyOf(notes);
        vmas = List.copyOf(vmas);
    }

    /**
     * One VMA: a line of {@code /proc/PID/maps}.
     *
     * @param start first byte, page aligned
     * @param end byte after the last, page aligned, above {@code start}
     * @param perms the four letters of {@code maps}: {@code r w x} or {@code -}, then {@code p}
     *     (private) or {@code s} (shared)
     * @param name {@code [heap]}, {@code [stack]}, …, a file's base name, or empty (anonymous)
     * @param runs present pages, ascending, inside the VMA, none overlapping
     */
    public record Vma(long start, long end, String perms, String name, List<Run> runs) {
        public Vma {
            runs = List.copyOf(runs);
        }

        /** The prot of the VMA's pages: {@code r w x} from the perms, always {@code u}. */
        public int prot() {
            int p = Prot.U;
            if (perms.charAt(0) == 'r') p |= Prot.R;
            if (perms.charAt(1) == 'w') p |= Prot.W;
            if (perms.charAt(2) == 'x') p |= Prot.X;
            return p;
        }

        public boolean writable() { return perms.charAt(1) == 'w'; }

        public boolean shared() { return perms.charAt(3) == 's'; }

        /** Whether fork write-protects it for copy-on-write: private and writable. */
        public boolean cow() { return !shared() && writable(); }

        /** Present pages. */
        public long pages() {
            long n = 0;
            for (Run r : runs) n += r.pages();
            return n;
        }
    }

    /**
     * Present pages {@code [start, start + pages * pageSize)} backed by frames {@code pfn,
     * pfn + 1, …}.
     *
     * @param thp a transparent huge page: aligned to the PMD span in address and pfn, a whole
     *     number of PMD spans long, replayed with {@code map … policy=largest}
     */
    public record Run(long start, long pages, long pfn, boolean thp) { }

    /** Reads a {@code .snap} file. */
    public static Snapshot read(Path file) throws IOException {
        return SnapshotReader.read(file);
    }

    /** Writes this snapshot to {@code file} atomically (all of it or nothing). */
    public void write(Path file) throws IOException {
        SnapshotWriter.write(this, file);
    }

    /** Base page size in bytes. */
    public long pageSize() { return 1L << pageShift; }

    /** Log2 of a PMD-mapped huge page in base pages: a table of 8-byte entries fills a page. */
    public int thpOrder() { return pageShift - 3; }

    /** Present pages over all VMAs. */
    public long pages() {
        long n = 0;
        for (Vma v : vmas) n += v.pages();
        return n;
    }

    /** Runs over all VMAs. */
    public long runs() {
        long n = 0;
        for (Vma v : vmas) n += v.runs().size();
        return n;
    }

    /** The end of the highest VMA (0 when there is none). */
    public long top() {
        return vmas.isEmpty() ? 0 : vmas.get(vmas.size() - 1).end();
    }

    /**
     * The geometry a snapshot replays on by default: the machine's own user layout. x86-64 (4K
     * pages, 47-bit user space): {@code x86-64/4level}; arm64 with 4K, 16K or 64K pages: {@code
     * arm64/4k-48}, {@code arm64/16k-48}, {@code arm64/64k-48}; riscv64: {@code riscv/sv48}.
     *
     * @throws IllegalArgumentException for a machine ptarena has no layout for
     */
    public Geometry defaultGeometry() {
        String name = switch (arch + "/" + pageShift) {
            case "x86_64/12" -> "x86-64/4level";
            case "aarch64/12" -> "arm64/4k-48";
            case "aarch64/14" -> "arm64/16k-48";
            case "aarch64/16" -> "arm64/64k-48";
            case "riscv64/12" -> "riscv/sv48";
            default -> throw new IllegalArgumentException("no default geometry for arch " + arch
                    + " with " + Geometries.size(pageSize()) + " pages — name one");
        };
        return Geometries.byName(name);
    }

    /**
     * Why this snapshot cannot be replayed on {@code g}, or {@code null} when it can: the page
     * size must be the snapshot's and every VMA must lie inside the address space.
     */
    public String misfit(Geometry g) {
        if (g.pageShift() != pageShift) {
            return "the snapshot has " + Geometries.size(pageSize()) + " pages, " + g.name()
                    + " has " + Geometries.size(g.pageSize());
        }
        if (Long.compareUnsigned(top(), g.vaEnd()) > 0) {
            return "the snapshot reaches 0x" + Long.toHexString(top()) + ", beyond the "
                    + g.vaBits() + "-bit address space of " + g.name();
        }
        return null;
    }

    /** The same snapshot with {@code more} header comments appended. */
    public Snapshot withNotes(List<String> more) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(more);
        return new Snapshot(all, arch, pageShift, realPfns, vmas);
    }
}

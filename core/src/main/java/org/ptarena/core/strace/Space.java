package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ptarena.core.Prot;

/**
 * The importer's picture of one address space: its VMAs (what the log created: the kernel's own
 * mappings at {@code execve} — program, interpreter, stack, vdso — are no system calls and stay
 * unknown) and the runs of pages it gave them, with their pfns and the prot their entries carry.
 * The picture follows the trace it emits, so that {@code mremap} can move pages, a fork knows
 * which VMAs to copy, and {@code mprotect} knows which pages it makes reachable.
 */
final class Space {
    /** A VMA. {@code file} is null for anonymous memory; {@code offset} is in bytes. */
    record Vma(long start, long end, int prot, boolean shared, String file, long offset,
            boolean dontFork) {
        Vma from(long s) {
            return new Vma(s, end, prot, shared, file, offset + (s - start), dontFork);
        }

        Vma to(long e) {
            return new Vma(start, e, prot, shared, file, offset, dontFork);
        }

        Vma withProt(int p) {
            return new Vma(start, end, p, shared, file, offset, dontFork);
        }

        Vma withDontFork(boolean d) {
            return new Vma(start, end, prot, shared, file, offset, d);
        }

        boolean cow() {
            return !shared && Prot.writable(prot);
        }
    }

    /** Pages {@code [start, end)} with frames from {@code pfn}, entries at {@code prot}. */
    record Run(long start, long end, long pfn, int prot) {
        Run from(long s, int pageShift) {
            return new Run(s, end, pfn + ((s - start) >>> pageShift), prot);
        }

        Run to(long e) {
            return new Run(start, e, pfn, prot);
        }
    }

    final String id;
    final int pageShift;
    /** Processes and threads using this space. */
    int users;
    long brkStart = -1;
    long brk = -1;
    final TreeMap<Long, Vma> vmas = new TreeMap<>();
    final TreeMap<Long, Run> runs = new TreeMap<>();

    Space(String id, int pageShift) {
        this.id = id;
        this.pageShift = pageShift;
    }

    /** Whether any VMA meets {@code [start, end)}. */
    boolean hasVma(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e != null && e.getValue().end() > start;
    }

    /** Whether any run meets {@code [start, end)}. */
    boolean hasRun(long start, long end) {
        Map.Entry<Long, Run> e = runs.lowerEntry(end);
        return e != null && e.getValue().end() > start;
    }

    /** Cuts VMAs and runs at {@code at}, so that none straddles it. */
    void cut(long at) {
        Map.Entry<Long, Vma> v = vmas.lowerEntry(at);
        if (v != null && v.getValue().end() > at) {
            vmas.put(v.getKey(), v.getValue().to(at));
            vmas.put(at, v.getValue().from(at));
        }
        Map.Entry<Long, Run> r = runs.lowerEntry(at);
        if (r != null && r.getValue().end() > at) {
            runs.put(r.getKey(), r.getValue().to(at));
            runs.put(at, r.getValue().from(at, pageShift));
        }
    }

    /** Removes VMAs and runs inside {@code [start, end)}. */
    void remove(long start, long end) {
        cut(start);
        cut(end);
        vmas.subMap(start, end).clear();
        runs.subMap(start, end).clear();
    }

    /** Removes the runs inside {@code [start, end)}, keeping the VMAs (a zap). */
    void zap(long start, long end) {
        cut(start);
        cut(end);
        runs.subMap(start, end).clear();
    }

    /** The VMAs inside {@code [start, end)} after cutting at both ends. */
    List<Vma> vmasIn(long start, long end) {
        cut(start);
        cut(end);
        return new ArrayList<>(vmas.subMap(start, end).values());
    }

    /** The runs inside {@code [start, end)} after cutting at both ends. */
    List<Run> runsIn(long start, long end) {
        cut(start);
        cut(end);
        return new ArrayList<>(runs.subMap(start, end).values());
    }

    /** Adds a VMA over a range that holds none. */
    void add(Vma v) {
        vmas.put(v.start(), v);
    }

    void add(Run r) {
        runs.put(r.start(), r);
    }

    /** The stretches of {@code [start, end)} no run covers, as {@code {start, end}} pairs. */
    List<long[]> holes(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long at = start;
        for (Run r : runsIn(start, end)) {
            if (r.start() > at) out.add(new long[] {at, r.start()});
            at = r.end();
        }
        if (at < end) out.add(new long[] {at, end});
        return out;
    }

    /** Sets the prot of the VMAs and runs inside {@code [start, end)}. */
    void protect(long start, long end, int prot) {
        for (Vma v : vmasIn(start, end)) vmas.put(v.start(), v.withProt(prot));
        for (Run r : runsIn(start, end)) {
            runs.put(r.start(), new Run(r.start(), r.end(), r.pfn(), prot));
        }
    }

    /** Write-protects the runs of {@code v} (fork's copy-on-write). */
    void writeProtect(Vma v) {
        for (Run r : runsIn(v.start(), v.end())) {
            runs.put(r.start(), new Run(r.start(), r.end(), r.pfn(), r.prot() & ~Prot.W));
        }
    }

    /**
     * Joins neighbouring VMAs with the same attributes (and, for files, consecutive offsets), as
     * the kernel's {@code vma_merge} does, so that a fork copies one range where the kernel has
     * one VMA.
     */
    void merge() {
        List<Vma> all = new ArrayList<>(vmas.values());
        vmas.clear();
        Vma prev = null;
        for (Vma v : all) {
            if (prev != null && prev.end() == v.start() && prev.prot() == v.prot()
                    && prev.shared() == v.shared() && prev.dontFork() == v.dontFork()
                    && (prev.file() == null ? v.file() == null
                            : prev.file().equals(v.file())
                                    && prev.offset() + (prev.end() - prev.start())
                                            == v.offset())) {
                prev = new Vma(prev.start(), v.end(), prev.prot(), prev.shared(), prev.file(),
                        prev.offset(), prev.dontFork());
            } else {
                if (prev != null) vmas.put(prev.start(), prev);
                prev = v;
            }
        }
        if (prev != null) vmas.put(prev.start(), prev);
    }
}

package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;

/**
 * What the memory system calls do to an address space, written as trace statements: {@code mmap}
 * ({@code MAP_FIXED} over a mapping: unmap, then map), {@code munmap}, {@code mprotect} (and
 * {@code pkey_mprotect}), {@code mremap} (in place: unmap the tail or map more; moving: {@code
 * move}, or unmap + map of the same frames when imported without move), {@code brk}, and {@code
 * madvise} where it changes page tables ({@code MADV_DONTNEED}, {@code MADV_DONTNEED_LOCKED} and
 * {@code MADV_REMOVE} zap pages; {@code MADV_DONTFORK}/{@code MADV_DOFORK} decide what a fork
 * copies). Lengths are rounded up to the page, as the kernel's {@code PAGE_ALIGN} does. Unmaps
 * that end a mapping free emptied tables ({@code free_pgtables}); zaps do not ({@code
 * zap_page_range_single}).
 */
final class MemoryCalls {
    private static final int MREMAP_FIXED = 2;
    private static final int MREMAP_DONTUNMAP = 4;
    private final String source;
    private final Geometry g;
    private final Output out;
    private final Populate populate;
    private final SplittableRandom rnd;
    private final Frames frames;
    private final boolean moves;

    MemoryCalls(String source, Geometry g, Output out, Populate populate, SplittableRandom rnd,
            boolean moves) {
        this.moves = moves;
        this.source = source;
        this.g = g;
        this.out = out;
        this.populate = populate;
        this.rnd = rnd;
        this.frames = new Frames(rnd);
    }

    /**
     * Runs {@code c} on {@code s} and counts it as written, or as skipped (a {@code madvise}
     * advice that leaves page tables alone); false when the call is none of these.
     */
    boolean handle(Space s, StraceLog.Call c) {
        switch (c.name()) {
            case "mmap", "mmap2" -> mmap(s, c);
            case "munmap" -> munmap(s, c);
            case "mprotect", "pkey_mprotect" -> mprotect(s, c);
            case "mremap" -> mremap(s, c);
            case "brk" -> brk(s, c);
            case "madvise" -> {
                if (!madvise(s, c)) return true;
            }
            default -> {
                return false;
            }
        }
        Output.count(out.handled, c.name());
        return true;
    }

    private void mmap(Space s, StraceLog.Call c) {
        args(c, 6);
        long start = c.value();
        long end = start + pageUp(c, num(c, 1));
        Set<String> flags = flags(c.args().get(3));
        boolean anon = flags.contains("MAP_ANONYMOUS") || num(c, 4) == -1;
        int prot = prot(c, c.args().get(2));
        range(c, start, end);
        if (s.hasVma(start, end)) {
            unmap(s, start, end, c, flags.contains("MAP_FIXED") ? "mmap MAP_FIXED replaces"
                    : "mmap over a mapping the log never unmapped");
        }
        boolean shared = flags.contains("MAP_SHARED") || flags.contains("MAP_SHARED_VALIDATE");
        long offset = c.name().equals("mmap2") ? num(c, 5) * 4096 : num(c, 5);
        String file = anon ? null : Objects.requireNonNullElse(file(c.args().get(4)), "");
        Space.Vma v = new Space.Vma(start, end, prot, shared, file, offset, false);
        s.add(v);
        Populate p = flags.contains("MAP_POPULATE") && populate.percent() > 0
                ? Populate.ALL : populate;
        fill(s, v, start, end, p, c, "mmap");
        s.merge();
    }

    private void munmap(Space s, StraceLog.Call c) {
        args(c, 2);
        long start = num(c, 0);
        long end = start + pageUp(c, num(c, 1));
        range(c, start, end);
        if (s.hasVma(start, end)) unmap(s, start, end, c, "munmap");
    }

    private void mprotect(Space s, StraceLog.Call c) {
        args(c, 3);
        long start = num(c, 0);
        long end = start + pageUp(c, num(c, 1));
        int prot = prot(c, c.args().get(2));
        range(c, start, end);
        if (s.hasRun(start, end)) {
            out.op(new Op.ProtectOp(s.id, start, end, prot), c.line(), c.name());
        }
        List<Space.Vma> reached = new ArrayList<>();
        for (Space.Vma v : s.vmasIn(start, end)) {
            if (Prot.isNone(v.prot()) && !Prot.isNone(prot)) reached.add(v.withProt(prot));
        }
        s.protect(start, end, prot);
        for (Space.Vma v : reached) fill(s, v, v.start(), v.end(), populate, c, c.name());
        s.merge();
    }

    private void mremap(Space s, StraceLog.Call c) {
        args(c, 4);
        long old = num(c, 0);
        long oldLen = pageUp(c, num(c, 1));
        long newLen = pageUp(c, num(c, 2));
        long flags = mremapFlags(c.args().get(3));
        long to = c.value();
        if (oldLen == 0) {
            Output.count(out.skipped, "mremap(old_size=0)");
            return;
        }
        range(c, old, old + oldLen);
        range(c, to, to + newLen);
        if (to == old) {
            if (newLen < oldLen && s.hasVma(old + newLen, old + oldLen)) {
                unmap(s, old + newLen, old + oldLen, c, "mremap shrinks");
            } else if (newLen > oldLen) {
                grow(s, old + oldLen, old + newLen, c);
            }
            s.merge();
            return;
        }
        out.comment(String.format(Locale.ROOT, "mremap (log line %d) moves 0x%x +%s to 0x%x%s",
                c.line(), old, Geometries.size(Math.min(oldLen, newLen)), to, moves ? ""
                        : ": written as unmap + map of the same frames (import without move)"));
        out.moves++;
        if ((flags & MREMAP_FIXED) != 0 && s.hasVma(to, to + newLen)) {
            unmap(s, to, to + newLen, c, "mremap MREMAP_FIXED replaces");
        }
        long moved = Math.min(oldLen, newLen);
        List<Space.Vma> vmas = s.vmasIn(old, old + moved);
        List<Space.Run> runs = s.runsIn(old, old + moved);
        if (moves) {
            if (s.hasRun(old, old + moved)) {
                out.op(new Op.MoveOp(s.id, old, old + moved, to), c.line(), "mremap");
            }
            s.zap(old, old + moved);
            if ((flags & MREMAP_DONTUNMAP) == 0) {
                if (oldLen > moved && s.hasVma(old + moved, old + oldLen)) {
                    unmap(s, old + moved, old + oldLen, c, "mremap");
                }
                s.remove(old, old + oldLen);
            }
            moveHere(s, vmas, runs, to - old, c, false);
            if (newLen > oldLen) grow(s, to + oldLen, to + newLen, c);
            s.merge();
            return;
        }
        if ((flags & MREMAP_DONTUNMAP) != 0) {
            if (s.hasRun(old, old + oldLen)) {
                out.op(new Op.UnmapOp(s.id, old, old + oldLen, false), c.line(), "mremap");
            }
            s.zap(old, old + oldLen);
        } else if (s.hasVma(old, old + oldLen)) {
            unmap(s, old, old + oldLen, c, "mremap");
        }
        moveHere(s, vmas, runs, to - old, c, true);
        if (newLen > oldLen) grow(s, to + oldLen, to + newLen, c);
        s.merge();
    }

    /** Puts moved VMAs and runs {@code delta} bytes on; {@code map}: write a map per run. */
    private void moveHere(Space s, List<Space.Vma> vmas, List<Space.Run> runs, long delta,
            StraceLog.Call c, boolean map) {
        for (Space.Vma v : vmas) {
            s.add(new Space.Vma(v.start() + delta, v.end() + delta, v.prot(), v.shared(), v.file(),
                    v.offset(), v.dontFork()));
        }
        for (Space.Run r : runs) {
            Space.Run m = new Space.Run(r.start() + delta, r.end() + delta, r.pfn(), r.prot());
            s.add(m);
            if (map) out.map(s.id, m.start(), m.end(), m.pfn(), m.prot(), c.line(), "mremap");
        }
    }

    /** mremap growing a mapping in place: the VMA before {@code start} goes on to {@code end}. */
    private void grow(Space s, long start, long end, StraceLog.Call c) {
        var before = s.vmas.lowerEntry(start);
        if (before == null || before.getValue().end() != start) {
            Output.count(out.skipped, "mremap(of a mapping made before the log)");
            return;
        }
        Space.Vma b = before.getValue();
        Space.Vma v = new Space.Vma(start, end, b.prot(), b.shared(), b.file(),
                b.offset() + (start - b.start()), b.dontFork());
        if (s.hasVma(start, end)) unmap(s, start, end, c, "mremap");
        s.add(v);
        fill(s, v, start, end, populate, c, "mremap");
    }

    private void brk(Space s, StraceLog.Call c) {
        long now = c.value();
        if (s.brk < 0) {
            s.brkStart = now;
            s.brk = now;
            return;
        }
        long oldTop = pageUp(c, s.brk);
        long newTop = pageUp(c, now);
        s.brk = now;
        if (newTop > oldTop) {
            range(c, oldTop, newTop);
            if (s.hasVma(oldTop, newTop)) unmap(s, oldTop, newTop, c, "brk");
            Space.Vma v = new Space.Vma(oldTop, newTop, Prot.R | Prot.W | Prot.U, false, null, 0,
                    false);
            s.add(v);
            fill(s, v, oldTop, newTop, populate, c, "brk");
            s.merge();
        } else if (newTop < oldTop && s.hasVma(newTop, oldTop)) {
            unmap(s, newTop, oldTop, c, "brk shrinks");
        }
    }

    /** Whether the advice changes page tables or what a fork copies (then it is carried out). */
    private boolean madvise(Space s, StraceLog.Call c) {
        args(c, 3);
        long start = num(c, 0);
        long end = start + pageUp(c, num(c, 1));
        String advice = c.args().get(2);
        switch (advice) {
            case "MADV_DONTNEED", "MADV_DONTNEED_LOCKED", "MADV_REMOVE" -> {
                range(c, start, end);
                if (s.hasRun(start, end)) {
                    out.op(new Op.UnmapOp(s.id, start, end, false), c.line(), "madvise " + advice);
                }
                s.zap(start, end);
            }
            case "MADV_DONTFORK", "MADV_DOFORK" -> {
                range(c, start, end);
                for (Space.Vma v : s.vmasIn(start, end)) {
                    s.add(v.withDontFork(advice.equals("MADV_DONTFORK")));
                }
                s.merge();
            }
            default -> {
                Output.count(out.skipped, "madvise(" + advice + ")");
                return false;
            }
        }
        return true;
    }

    /** Unmaps {@code [start, end)}, freeing emptied tables, and forgets what was there. */
    void unmap(Space s, long start, long end, StraceLog.Call c, String what) {
        out.op(new Op.UnmapOp(s.id, start, end, true), c.line(), what);
        s.remove(start, end);
    }

    /**
     * Gives the unpopulated pages of {@code [start, end)} (inside VMA {@code v}) frames as
     * {@code p} says, one {@code map} per run of consecutive frames.
     */
    private void fill(Space s, Space.Vma v, long start, long end, Populate p, StraceLog.Call c,
            String what) {
        if (Prot.isNone(v.prot()) || p.percent() == 0) return;
        int shift = g.pageShift();
        if ((end - start) >>> shift > Populate.MAX_PAGES) {
            Output.count(out.skipped, "pages beyond the first " + Populate.MAX_PAGES
                    + " of a mapping");
            end = start + (Populate.MAX_PAGES << shift);
        }
        for (long[] hole : s.holes(start, end)) {
            for (long[] stretch : p.choose((hole[1] - hole[0]) >>> shift, rnd)) {
                long at = hole[0] + (stretch[0] << shift);
                long firstPage = (v.offset() + (at - v.start())) >>> shift;
                List<long[]> runs = v.file() == null ? frames.anon(stretch[1])
                        : frames.file(v.file().isEmpty() ? null : v.file(), firstPage, stretch[1]);
                for (long[] r : runs) {
                    long e = at + (r[1] << shift);
                    s.add(new Space.Run(at, e, r[0], v.prot()));
                    out.map(s.id, at, e, r[0], v.prot(), c.line(), what);
                    at = e;
                }
            }
        }
    }

    // --- arguments ---------------------------------------------------------------------------

    private void args(StraceLog.Call c, int n) {
        if (c.args().size() < n) {
            throw new StraceFormatException(source, c.line(), c.name() + ": " + c.args().size()
                    + " arguments", String.join(", ", c.args()), "at least " + n);
        }
    }

    private long num(StraceLog.Call c, int i) {
        String a = c.args().get(i);
        int lt = a.indexOf('<');
        if (lt > 0 && Character.isDigit(a.charAt(lt - 1))) a = a.substring(0, lt);
        try {
            return StraceLog.number(a);
        } catch (NumberFormatException e) {
            throw new StraceFormatException(source, c.line(), c.name() + ": argument " + (i + 1),
                    a, "a number");
        }
    }

    /** {@code len} rounded up to the page; refused when it wraps. */
    private long pageUp(StraceLog.Call c, long len) {
        long ps = g.pageSize();
        long up = (len + ps - 1) & -ps;
        if (len < 0 || up < len) {
            throw new StraceFormatException(source, c.line(), c.name() + ": length",
                    Long.toUnsignedString(len), "a length below 2^63");
        }
        return up;
    }

    /** Checks that {@code [start, end)} is page aligned and inside the geometry. */
    private void range(StraceLog.Call c, long start, long end) {
        if ((start & (g.pageSize() - 1)) != 0) {
            throw new StraceFormatException(source, c.line(), c.name() + ": address 0x"
                    + Long.toHexString(start) + " is not aligned to the "
                    + Geometries.size(g.pageSize()) + " pages of " + g.name(), "",
                    "a geometry with the log's page size");
        }
        if (start < 0 || end < start || Long.compareUnsigned(end, g.vaEnd()) > 0) {
            throw new StraceFormatException(source, c.line(), c.name() + ": 0x"
                    + Long.toHexString(start) + "-0x" + Long.toHexString(end)
                    + " lies beyond the " + g.vaBits() + "-bit address space of " + g.name(), "",
                    "a geometry as large as the machine's (x86-64: x86-64/4level)");
        }
    }

    static Set<String> flags(String arg) {
        return new HashSet<>(Arrays.asList(arg.strip().split("\\s*\\|\\s*")));
    }

    /** {@code PROT_READ|PROT_WRITE} to {@code rw-u}; user mappings always carry {@code u}. */
    private int prot(StraceLog.Call c, String arg) {
        int p = Prot.U;
        for (String f : flags(arg)) {
            switch (f) {
                case "PROT_READ" -> p |= Prot.R;
                case "PROT_WRITE" -> p |= Prot.W;
                case "PROT_EXEC" -> p |= Prot.X;
                case "PROT_NONE", "PROT_GROWSDOWN", "PROT_GROWSUP", "PROT_SEM", "PROT_BTI",
                        "PROT_MTE" -> { }
                default -> {
                    try {
                        long v = StraceLog.number(f);
                        p |= (v & 1) != 0 ? Prot.R : 0;
                        p |= (v & 2) != 0 ? Prot.W : 0;
                        p |= (v & 4) != 0 ? Prot.X : 0;
                    } catch (NumberFormatException e) {
                        throw new StraceFormatException(source, c.line(), c.name() + ": prot", f,
                                "PROT_READ, PROT_WRITE, PROT_EXEC or PROT_NONE");
                    }
                }
            }
        }
        return p;
    }

    private static long mremapFlags(String arg) {
        long v = 0;
        for (String f : flags(arg)) {
            switch (f) {
                case "MREMAP_FIXED" -> v |= MREMAP_FIXED;
                case "MREMAP_DONTUNMAP" -> v |= MREMAP_DONTUNMAP;
                default -> { }
            }
        }
        return v;
    }

    /**
     * The file an fd argument names ({@code 3</usr/lib/libc.so.6>}, from {@code -y}), or null. In
     * a VMA, null stands for anonymous memory and the empty string for a file the log does not
     * name.
     */
    static String file(String fd) {
        int lt = fd.indexOf('<');
        return lt > 0 && fd.endsWith(">") ? fd.substring(lt + 1, fd.length() - 1) : null;
    }
}

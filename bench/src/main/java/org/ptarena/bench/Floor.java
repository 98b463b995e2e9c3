package org.ptarena.bench;

import java.util.List;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The floor: the same leaf entries every operation touches, with no traversal at all — flat loops
 * over precomputed {@link Slices} (or precomputed slots, for single addresses) doing the same
 * entry change, copy or clear through the same {@link EntryFormat} and {@link Mm} accessors the
 * designs use. It is the cost of the memory itself; every design is reported as a multiple of it.
 * It allocates no tables and gathers no TLB record.
 */
public final class Floor {
    private Floor() { }

    /**
     * walk: reads every leaf entry and hands each unit to {@code visitor}, as a design's walk
     * does: a run once, with its first entry's word and young and dirty ORed over the run.
     * Returns the units.
     */
    public static long walk(Mm mm, Slices s, WalkVisitor visitor) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        long units = 0;
        for (int i = 0; i < s.size(); i++) {
            int lvl = s.level(i);
            int from = s.first(i);
            int n = s.count(i);
            int step = s.contig(i) ? g.contig(lvl) : 1;
            int order = g.order(lvl) + Integer.numberOfTrailingZeros(step);
            long addr = s.addr(i);
            long unitSize = g.unitSize(order);
            for (int k = 0; k < n; k += step, addr += unitSize) {
                long e = mm.get(from + k);
                if (step > 1) {
                    long or = e;
                    for (int r = 1; r < step; r++) or |= mm.get(from + k + r);
                    e = f.withAccess(lvl, e, f.young(lvl, or), f.dirty(lvl, or));
                }
                visitor.visit(addr, order, lvl, e);
                units++;
            }
        }
        return units;
    }

    /**
     * lookup: reads the slot each address resolves to and decodes it into {@code out} (young and
     * dirty ORed over a run); returns the sum over found addresses of {@code phys + 1}, as
     * {@link Probes#lookupSum} does for a design.
     */
    public static long lookup(Mm mm, Probes p, Translation out) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        int pageShift = g.pageShift();
        long sum = 0;
        for (int i = 0; i < p.size(); i++) {
            int lvl = p.level(i);
            long e = mm.get(p.slot(i));
            if (!f.leaf(lvl, e)) continue;
            long va = p.va(i);
            int order = g.order(lvl);
            long pfn = f.pfn(lvl, e) + ((va >>> pageShift) & ((1L << order) - 1));
            long phys = (pfn << pageShift) | (va & (g.pageSize() - 1));
            long or = e;
            if (f.contig(lvl, e)) {
                order += g.contigShift(lvl);
                int n = g.contig(lvl);
                int first = p.slot(i) & -n;         // runs are aligned in their table
                for (int r = 0; r < n; r++) or |= mm.get(first + r);
            }
            out.set(phys, pfn, f.prot(lvl, e), order, lvl, f.young(lvl, or), f.dirty(lvl, or));
            sum += out.phys + 1;
        }
        return sum;
    }

    /**
     * touch: the permission check and the accessed (and dirty) bit on each address's slot;
     * returns how many were permitted.
     */
    public static long touch(Mm mm, Probes p) {
        EntryFormat f = mm.format();
        long permitted = 0;
        for (int i = 0; i < p.size(); i++) {
            int lvl = p.level(i);
            int slot = p.slot(i);
            long e = mm.get(slot);
            if (!f.leaf(lvl, e)) continue;
            boolean write = p.write(i);
            int prot = f.prot(lvl, e);
            if ((prot & Prot.U) == 0 || (prot & (write ? Prot.W : Prot.R)) == 0) continue;
            long n = write ? f.mkdirty(lvl, f.mkyoung(lvl, e)) : f.mkyoung(lvl, e);
            if (n != e) mm.set(slot, n);
            permitted++;
        }
        return permitted;
    }

    /** protect: gives every leaf entry {@code prot}; returns base pages changed. */
    public static long protect(Mm mm, Slices s, int prot) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        long changed = 0;
        for (int i = 0; i < s.size(); i++) {
            int lvl = s.level(i);
            int from = s.first(i);
            int to = from + s.count(i);
            for (int j = from; j < to; j++) {
                long e = mm.get(j);
                if (f.prot(lvl, e) == prot) continue;
                mm.set(j, f.withProt(lvl, e, prot));
                changed += 1L << g.order(lvl);
            }
        }
        return changed;
    }

    /**
     * map then unmap: {@link #install} of every part with its prot, then {@link #clear}; returns
     * pages twice.
     */
    public static long mapUnmap(Populated space) {
        Mm mm = space.mm();
        long pages = 0;
        List<Populated.Part> parts = space.parts();
        for (int i = 0; i < parts.size(); i++) {
            pages += install(mm, parts.get(i).slices(), parts.get(i).prot());
        }
        return pages + clear(mm, space.slices());
    }

    /** Writes every leaf entry of {@code s}, young and clean, with {@code prot}; returns pages. */
    public static long install(Mm mm, Slices s, int prot) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        long pages = 0;
        for (int i = 0; i < s.size(); i++) {
            int lvl = s.level(i);
            int from = s.first(i);
            int n = s.count(i);
            int order = g.order(lvl);
            long pfn = s.pfn(i);
            boolean contig = s.contig(i);
            for (int k = 0; k < n; k++) {
                long p = pfn + ((long) k << order);
                mm.set(from + k, f.makeLeaf(lvl, p, prot, contig, true, false));
            }
            pages += (long) n << order;
        }
        return pages;
    }

    /** Clears every leaf entry of {@code s}; returns base pages. */
    public static long clear(Mm mm, Slices s) {
        Geometry g = mm.geometry();
        long pages = 0;
        for (int i = 0; i < s.size(); i++) {
            int from = s.first(i);
            int n = s.count(i);
            for (int k = 0; k < n; k++) mm.set(from + k, 0L);
            pages += (long) n << g.order(s.level(i));
        }
        return pages;
    }

    /**
     * fork: {@link #copy} of every part of {@code space} into the same part of the same-shaped
     * {@code mirror}, cow for the parts fork copies cow, then {@link #clear} of the copies;
     * returns pages twice.
     */
    public static long fork(Populated space, Populated mirror) {
        long pages = 0;
        List<Populated.Part> from = space.parts();
        List<Populated.Part> to = mirror.parts();
        for (int i = 0; i < from.size(); i++) {
            Populated.Part p = from.get(i);
            pages += copy(space.mm(), p.slices(), mirror.mm(), to.get(i).slices(), p.cow());
        }
        return pages + clear(mirror.mm(), mirror.slices());
    }

    /**
     * move: every leaf entry of {@code s} written, as it is (young and dirty kept), into the
     * same-shaped slices {@code d} of {@code dst}, and cleared in {@code src}; returns pages.
     * The entry-by-entry work of {@code move_ptes}; a design that moves whole tables does less.
     */
    public static long move(Mm src, Slices s, Mm dst, Slices d) {
        Geometry g = src.geometry();
        long pages = 0;
        for (int i = 0; i < s.size(); i++) {
            int from = s.first(i);
            int to = d.first(i);
            int n = s.count(i);
            for (int k = 0; k < n; k++) {
                dst.set(to + k, src.get(from + k));
                src.set(from + k, 0L);
            }
            pages += (long) n << g.order(s.level(i));
        }
        return pages;
    }

    /**
     * Copies every leaf entry of {@code src} into the same-shaped slices of {@code dst}, made old,
     * and clean unless {@code cow}; with {@code cow}, writable entries lose w in both. Returns
     * pages copied.
     */
    public static long copy(Mm src, Slices s, Mm dst, Slices d, boolean cow) {
        EntryFormat f = src.format();
        Geometry g = src.geometry();
        long pages = 0;
        for (int i = 0; i < s.size(); i++) {
            int lvl = s.level(i);
            int from = s.first(i);
            int to = d.first(i);
            int n = s.count(i);
            for (int k = 0; k < n; k++) {
                long e = src.get(from + k);
                if (cow && Prot.writable(f.prot(lvl, e))) {
                    e = f.wrprotect(lvl, e);
                    src.set(from + k, e);
                }
                long child = f.mkold(lvl, e);
                dst.set(to + k, cow ? child : f.mkclean(lvl, child));
            }
            pages += (long) n << g.order(lvl);
        }
        return pages;
    }
}

package org.ptarena.legacy;

import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * Huge leaves and contiguous runs at any level, as {@code mm/huge_memory.c} and arm64's
 * {@code contpte.c} treat them: fitting a unit to a range ({@code __split_huge_pmd},
 * {@code __split_huge_pud}, {@code contpte_convert}), and acting on a unit covered whole
 * ({@code zap_huge_pmd}, {@code change_huge_pmd}, {@code copy_huge_pmd}, {@code set_ptes} of a
 * run, {@code contpte_ptep_get}). A unit is {@code n} slots: 1 for a single leaf,
 * {@code geometry.contig(level)} for a run, whose first slot is {@code slot & -n} because
 * tables are aligned to their size.
 */
final class Huge {
    private Huge() { }

    /** Whether {@code [addr, end)} holds the aligned 2^shift-byte block starting at addr. */
    static boolean covers(long addr, long end, int shift) {
        long size = 1L << shift;
        return (addr & (size - 1)) == 0 && Long.compareUnsigned(addr + size - 1, end - 1) <= 0;
    }

    /**
     * Makes the leaf in {@code slot} fit {@code [addr, end)}, where {@code addr} is the first
     * address of the range inside it: a run covered in part is unfolded, then a leaf covered in
     * part is split (the kernel splits before it looks).
     *
     * @return slots of the unit now covered whole at {@code slot}, or 0 when the slot now holds
     *         a table to descend into
     */
    static int fit(Mm mm, int slot, int level, long addr, long end, TlbGather tlb) {
        Geometry g = mm.geometry();
        int shift = g.spanShift(level);
        if (mm.format().contig(level, mm.get(slot))) {
            if (covers(addr, end, shift + g.contigShift(level))) return g.contig(level);
            Leaves.unfoldRun(mm, slot, level, addr, tlb);
        }
        if (covers(addr, end, shift)) return 1;
        Leaves.splitLeaf(mm, slot, level, addr, tlb);
        return 0;
    }

    /** Young and dirty ORed over {@code n} slots from {@code slot}: bit 0 young, bit 1 dirty. */
    static int accessOr(Mm mm, int slot, int level, int n) {
        EntryFormat f = mm.format();
        int bits = 0;
        for (int i = 0; i < n; i++) {
            long e = mm.get(slot + i);
            if (f.young(level, e)) bits |= 1;
            if (f.dirty(level, e)) bits |= 2;
        }
        return bits;
    }

    /** {@code zap_huge_pmd}, or a whole run cleared: one released unit. @return base pages */
    static long zap(Mm mm, int slot, int level, long addr, int n, TlbGather tlb) {
        Geometry g = mm.geometry();
        long pfn = mm.format().pfn(level, mm.get(slot));
        for (int i = 0; i < n; i++) Levels.clear(mm, slot + i);
        int order = g.order(level) + Integer.numberOfTrailingZeros(n);
        tlb.leafRemoved(addr, g.unitSize(order), level, pfn, order);
        mm.addRss(-(1L << order));
        return 1L << order;
    }

    /** {@code change_huge_pmd}, or a whole run: kept contiguous. @return base pages changed */
    static long change(Mm mm, int slot, int level, long addr, int n, int prot, TlbGather tlb) {
        EntryFormat f = mm.format();
        if (f.prot(level, mm.get(slot)) == prot) return 0;
        for (int i = 0; i < n; i++) mm.set(slot + i, f.withProt(level, mm.get(slot + i), prot));
        int order = mm.geometry().order(level) + Integer.numberOfTrailingZeros(n);
        tlb.leafChanged(addr, mm.geometry().unitSize(order), level);
        return 1L << order;
    }

    /**
     * {@code copy_huge_pmd}, or a whole run: the child's entries are old, and clean unless
     * {@code cow}, where they get the unit's dirty ORed over the run; a writable unit is
     * write-protected in both under {@code cow}. @return base pages copied
     */
    static long copy(Mm dst, Mm src, int dstSlot, int srcSlot, int level, long addr, int n,
                     boolean cow, TlbGather srcTlb) {
        EntryFormat f = src.format();
        boolean dirty = cow && (accessOr(src, srcSlot, level, n) & 2) != 0;
        boolean wrprotect = cow && Prot.writable(f.prot(level, src.get(srcSlot)));
        for (int i = 0; i < n; i++) {
            long e = src.get(srcSlot + i);
            if (wrprotect) {
                e = f.wrprotect(level, e);
                src.set(srcSlot + i, e);
            }
            dst.set(dstSlot + i, f.withAccess(level, e, false, dirty));
        }
        int order = src.geometry().order(level) + Integer.numberOfTrailingZeros(n);
        if (wrprotect) srcTlb.leafChanged(addr, src.geometry().unitSize(order), level);
        dst.addRss(1L << order);
        return 1L << order;
    }

    /**
     * {@code set_ptes} of the largest unit that fits at {@code slot}, which is none: a whole run
     * if the level has runs, {@code addr} and {@code pfn} are aligned to it, {@code [addr, end)}
     * holds it and all its slots are none; else a single leaf if aligned and held; else nothing.
     *
     * @return slots filled, 0 when no unit of this level fits
     */
    static int set(Mm mm, int slot, int level, long addr, long end, long pfn, int prot) {
        Geometry g = mm.geometry();
        if (!g.leafAllowed(level)) return 0;
        EntryFormat f = mm.format();
        int order = g.order(level);
        int n = g.contig(level);
        int c = g.contigShift(level);
        if (n > 1 && fits(addr, end, pfn, g.spanShift(level) + c, order + c)
                && allNone(mm, slot, level, n)) {
            for (int i = 0; i < n; i++) {
                long p = pfn + ((long) i << order);
                mm.set(slot + i, f.makeLeaf(level, p, prot, true, true, false));
            }
            mm.addRss(1L << (order + c));
            return n;
        }
        if (!fits(addr, end, pfn, g.spanShift(level), order)) return 0;
        mm.set(slot, f.makeLeaf(level, pfn, prot));
        mm.addRss(1L << order);
        return 1;
    }

    private static boolean fits(long addr, long end, long pfn, int shift, int order) {
        return (pfn & ((1L << order) - 1)) == 0 && covers(addr, end, shift);
    }

    private static boolean allNone(Mm mm, int slot, int level, int n) {
        for (int i = 0; i < n; i++) if (!mm.format().none(level, mm.get(slot + i))) return false;
        return true;
    }

    /**
     * {@code walk_page_range}'s visit of the unit whose entry is in {@code slot}, found at
     * {@code addr}: its own start, order, level and entry ({@code contpte_ptep_get} for a run).
     *
     * @return the end of the unit, or {@code end} if that comes first
     */
    static long visit(Mm mm, int slot, int level, long addr, long end, WalkVisitor visitor) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        long e = mm.get(slot);
        int shift = g.spanShift(level);
        if (f.contig(level, e)) {
            int n = g.contig(level);
            int first = slot & -n;
            int bits = accessOr(mm, first, level, n);
            e = f.withAccess(level, mm.get(first), (bits & 1) != 0, (bits & 2) != 0);
            shift += g.contigShift(level);
        }
        long start = addr & -(1L << shift);
        visitor.visit(start, shift - g.pageShift(), level, e);
        return Geometry.addrEnd(addr, end, shift);
    }

    /** {@code follow_page}'s answer for {@code va} in the leaf at {@code slot}. @return true */
    static boolean translate(Mm mm, int slot, int level, long va, Translation out) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        long e = mm.get(slot);
        int order = g.order(level);
        boolean young = f.young(level, e);
        boolean dirty = f.dirty(level, e);
        if (f.contig(level, e)) {
            int n = g.contig(level);
            int bits = accessOr(mm, slot & -n, level, n);
            young = (bits & 1) != 0;
            dirty = (bits & 2) != 0;
            order += g.contigShift(level);
        }
        long pfn = f.pfn(level, e) + ((va & (g.span(level) - 1)) >>> g.pageShift());
        long phys = (pfn << g.pageShift()) | (va & (g.pageSize() - 1));
        out.set(phys, pfn, f.prot(level, e), order, level, young, dirty);
        return true;
    }
}

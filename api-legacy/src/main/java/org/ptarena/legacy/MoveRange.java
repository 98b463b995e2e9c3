package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Leaves;
import org.ptarena.core.Mm;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * move: {@code move_page_tables} as a cascade, {@code move_pgd_range} → … → {@code move_ptes},
 * with the kernel's table shortcuts at the PMD and PUD steps only ({@code move_normal_pmd},
 * {@code move_normal_pud}), then {@link FreePgtables} over the old range. Differs from Linux: no
 * VMA or realignment; destination tables are allocated when something is placed under them.
 */
final class MoveRange {
    private MoveRange() { }

    static long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        Geometry g = mm.geometry();
        Args.range(g, "move", oldStart, oldEnd);
        long newEnd = newStart + (oldEnd - oldStart);
        Args.range(g, "move", newStart, newEnd);
        if (Long.compareUnsigned(oldEnd, newStart) > 0
                && Long.compareUnsigned(newEnd, oldStart) > 0) {
            throw new IllegalArgumentException("move: new range " + Args.hex(newStart) + "-"
                    + Args.hex(newEnd) + " overlaps old range " + Args.hex(oldStart) + "-"
                    + Args.hex(oldEnd));
        }
        long used = RangeCheck.firstUsed(mm, newStart, newEnd, true);
        if (used != RangeCheck.EMPTY) {
            if ((used & 1) != 0) throw OverlapException.table("move", used & ~1L);
            throw OverlapException.mapped("move", used);
        }
        movePgdRange(mm, oldStart, oldEnd, newStart - oldStart, tlb);
        FreePgtables.freePgdRange(mm, oldStart, oldEnd, tlb);
        return Args.pages(g, oldStart, oldEnd);
    }

    /** The PGD step: leaves at the root move or are fitted; tables are descended into. */
    static void movePgdRange(Mm mm, long addr, long end, long delta, TlbGather tlb) {
        int level = Levels.pgdLevel(mm);
        int pgd = Levels.pgdOffset(mm, addr);
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdLeaf(mm, e)) {
                int n = fit(mm, pgd, level, addr, end, delta, tlb);
                if (n > 0) {
                    moveLeaves(mm, pgd, Levels.pgdOffset(mm, addr + delta), level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pgd += n - 1;
                    continue;
                }
                e = mm.get(pgd);
            }
            if (Levels.pgdNone(mm, e) || Levels.pgdBad(mm, e)) continue;
            moveP4dRange(mm, pgd, addr, next, delta, tlb);
        }
    }

    static void moveP4dRange(Mm mm, int pgd, long addr, long end, long delta, TlbGather tlb) {
        int level = Levels.p4dLevel(mm);
        int p4d = Levels.p4dOffset(mm, pgd, addr);
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dLeaf(mm, e)) {
                int n = fit(mm, p4d, level, addr, end, delta, tlb);
                if (n > 0) {
                    moveLeaves(mm, p4d, allocNewP4d(mm, addr + delta), level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    p4d += n - 1;
                    continue;
                }
                e = mm.get(p4d);
            }
            if (Levels.p4dNone(mm, e) || Levels.p4dBad(mm, e)) continue;
            movePudRange(mm, p4d, addr, next, delta, tlb);
        }
    }

    /** The PUD step, with {@code move_normal_pud}: a whole PMD table moves in one entry. */
    static void movePudRange(Mm mm, int p4d, long addr, long end, long delta, TlbGather tlb) {
        int level = Levels.pudLevel(mm);
        int pud = Levels.pudOffset(mm, p4d, addr);
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudLeaf(mm, e)) {
                int n = fit(mm, pud, level, addr, end, delta, tlb);
                if (n > 0) {
                    moveLeaves(mm, pud, allocNewPud(mm, addr + delta), level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pud += n - 1;
                    continue;
                }
                e = mm.get(pud);
            }
            if (Levels.pudNone(mm, e) || Levels.pudBad(mm, e)) continue;
            // CONFIG_PGTABLE_LEVELS > 2: with two levels the PUD is the PMD, moved below
            if (level == Levels.PUD && extentIsEntry(mm, level, addr, next, delta)
                    && moveNormal(mm, pud, allocNewPud(mm, addr + delta), level, addr, tlb)) {
                continue;
            }
            movePmdRange(mm, pud, addr, next, delta, tlb);
        }
    }

    /** The PMD step, with {@code move_huge_pmd}, {@code split_huge_pmd} and
     *  {@code move_normal_pmd}: a whole PTE table moves in one entry. */
    static void movePmdRange(Mm mm, int pud, long addr, long end, long delta, TlbGather tlb) {
        int level = Levels.pmdLevel(mm);
        int pmd = Levels.pmdOffset(mm, pud, addr);
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdLeaf(mm, e)) {
                int n = fit(mm, pmd, level, addr, end, delta, tlb);
                if (n > 0) {
                    moveLeaves(mm, pmd, allocNewPmd(mm, addr + delta), level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pmd += n - 1;
                    continue;
                }
                e = mm.get(pmd);
            }
            if (Levels.pmdNone(mm, e) || Levels.pmdBad(mm, e)) continue;
            if (extentIsEntry(mm, level, addr, next, delta)
                    && moveNormal(mm, pmd, allocNewPmd(mm, addr + delta), level, addr, tlb)) {
                continue;
            }
            movePtes(mm, pmd, addr, next, delta, tlb);
        }
    }

    /**
     * {@code move_ptes}: each base page, or whole contpte run, to its new slot. As the kernel
     * finds the new PMD once per extent and then steps {@code new_pte++}, the destination PTE
     * table is found (allocated on the first page placed in it, {@code pte_alloc}) once per
     * destination table, and its slots are stepped after that; an unaligned move crosses into a
     * second destination table part-way through the source's.
     */
    static void movePtes(Mm mm, int pmd, long addr, long end, long delta, TlbGather tlb) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        long page = g.pageSize();
        long tableSpan = 1L << g.tableSpanShift(Levels.PTE);
        long dstTable = 0;          // start of the destination PTE table's span, once found
        int dstBase = -1;           // its slot of index 0
        int pte = Levels.pteOffset(mm, pmd, addr);
        for (; addr != end; addr += page, pte++) {
            long e = mm.get(pte);
            if (Levels.pteNone(mm, e)) continue;
            int n = f.contig(Levels.PTE, e) ? fit(mm, pte, Levels.PTE, addr, end, delta, tlb) : 1;
            long to = addr + delta;
            if (dstBase < 0 || (to & -tableSpan) != dstTable) {
                dstTable = to & -tableSpan;
                dstBase = allocNewPte(mm, to) - g.index(Levels.PTE, to);
            }
            moveLeaves(mm, pte, dstBase + g.index(Levels.PTE, to), Levels.PTE, addr, n, tlb);
            addr += (n - 1) * page;
            pte += n - 1;
        }
    }

    // --- the destination: alloc_new_pud, alloc_new_pmd, pte_alloc ----------------------------

    static int allocNewP4d(Mm mm, long addr) {
        return Levels.p4dAlloc(mm, Levels.pgdOffset(mm, addr), addr);
    }

    static int allocNewPud(Mm mm, long addr) {
        return Levels.pudAlloc(mm, allocNewP4d(mm, addr), addr);
    }

    static int allocNewPmd(Mm mm, long addr) {
        return Levels.pmdAlloc(mm, allocNewPud(mm, addr), addr);
    }

    static int allocNewPte(Mm mm, long addr) {
        return Levels.pteAlloc(mm, allocNewPmd(mm, addr), addr);
    }

    // --- helpers ------------------------------------------------------------------------------

    /** {@code get_extent(…) == PXD_SIZE}: the entry's whole span moves, to an aligned place. */
    static boolean extentIsEntry(Mm mm, int level, long addr, long next, long delta) {
        int shift = mm.geometry().spanShift(level);
        return Huge.covers(addr, next, shift) && ((addr + delta) & ((1L << shift) - 1)) == 0;
    }

    /** {@code move_normal_pXd}: the table in {@code src} goes to {@code dst} if that is none. */
    static boolean moveNormal(Mm mm, int src, int dst, int level, long addr, TlbGather tlb) {
        if (!mm.format().none(level, mm.get(dst))) return false;   // WARN_ON_ONCE in the kernel
        mm.set(dst, mm.get(src));
        Levels.clear(mm, src);
        tlb.leafChanged(addr, mm.geometry().span(level), level);
        return true;
    }

    /**
     * Makes the leaf in {@code slot} fit: covered in part ({@link Huge#fit}), or its destination
     * not aligned to it (a run unfolds, a huge leaf splits).
     *
     * @return slots of the unit to move whole, or 0 when the slot now holds a table
     */
    static int fit(Mm mm, int slot, int level, long addr, long end, long delta, TlbGather tlb) {
        int n = Huge.fit(mm, slot, level, addr, end, tlb);
        if (n == 0 || aligned(mm, level, addr + delta, n)) return n;
        if (n > 1) {
            Leaves.unfoldRun(mm, slot, level, addr, tlb);
            if (aligned(mm, level, addr + delta, 1)) return 1;
        }
        Leaves.splitLeaf(mm, slot, level, addr, tlb);
        return 0;
    }

    private static boolean aligned(Mm mm, int level, long addr, int n) {
        long size = (long) n << mm.geometry().spanShift(level);
        return (addr & (size - 1)) == 0;
    }

    /**
     * One unit of {@code n} slots from {@code src} to {@code dst}: a single entry as it is, a
     * run with young and dirty ORed over it on every entry ({@code set_ptes}).
     */
    static void moveLeaves(Mm mm, int src, int dst, int level, long addr, int n, TlbGather tlb) {
        EntryFormat f = mm.format();
        if (n == 1) {
            mm.set(dst, mm.get(src));
        } else {
            int bits = Huge.accessOr(mm, src, level, n);
            for (int i = 0; i < n; i++) {
                mm.set(dst + i, f.withAccess(level, mm.get(src + i), (bits & 1) != 0,
                        (bits & 2) != 0));
            }
        }
        for (int i = 0; i < n; i++) Levels.clear(mm, src + i);
        tlb.leafChanged(addr, (long) n << mm.geometry().spanShift(level), level);
    }
}

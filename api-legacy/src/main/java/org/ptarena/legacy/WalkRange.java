package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.Mm;
import org.ptarena.core.WalkVisitor;

/**
 * walk: {@code walk_page_range} → {@code walk_pgd_range} → … → {@code walk_pte_range}, the
 * {@code mm_walk_ops} collapsed to one visitor of primitives. Differs from Linux: one visit per
 * unit (a contpte run once, as {@code contpte_ptep_get} sees it) and no {@code pte_hole}.
 */
final class WalkRange {
    private WalkRange() { }

    static long walkPageRange(Mm mm, long start, long end, WalkVisitor visitor) {
        Args.range(mm.geometry(), "walk", start, end);
        return walkPgdRange(mm, start, end, visitor);
    }

    /** @return units visited */
    static long walkPgdRange(Mm mm, long addr, long end, WalkVisitor visitor) {
        int level = Levels.pgdLevel(mm);
        int pgd = Levels.pgdOffset(mm, addr);
        long units = 0;
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdNone(mm, e)) continue;
            if (Levels.pgdLeaf(mm, e)) {
                next = Huge.visit(mm, pgd, level, addr, end, visitor);
                pgd += Levels.slotsAfter(mm.geometry(), level, addr, next);
                units++;
                continue;
            }
            if (Levels.pgdBad(mm, e)) continue;
            units += walkP4dRange(mm, pgd, addr, next, visitor);
        }
        return units;
    }

    static long walkP4dRange(Mm mm, int pgd, long addr, long end, WalkVisitor visitor) {
        int level = Levels.p4dLevel(mm);
        int p4d = Levels.p4dOffset(mm, pgd, addr);
        long units = 0;
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dNone(mm, e)) continue;
            if (Levels.p4dLeaf(mm, e)) {
                next = Huge.visit(mm, p4d, level, addr, end, visitor);
                p4d += Levels.slotsAfter(mm.geometry(), level, addr, next);
                units++;
                continue;
            }
            if (Levels.p4dBad(mm, e)) continue;
            units += walkPudRange(mm, p4d, addr, next, visitor);
        }
        return units;
    }

    static long walkPudRange(Mm mm, int p4d, long addr, long end, WalkVisitor visitor) {
        int level = Levels.pudLevel(mm);
        int pud = Levels.pudOffset(mm, p4d, addr);
        long units = 0;
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudNone(mm, e)) continue;
            if (Levels.pudLeaf(mm, e)) {
                next = Huge.visit(mm, pud, level, addr, end, visitor);
                pud += Levels.slotsAfter(mm.geometry(), level, addr, next);
                units++;
                continue;
            }
            if (Levels.pudBad(mm, e)) continue;
            units += walkPmdRange(mm, pud, addr, next, visitor);
        }
        return units;
    }

    static long walkPmdRange(Mm mm, int pud, long addr, long end, WalkVisitor visitor) {
        int level = Levels.pmdLevel(mm);
        int pmd = Levels.pmdOffset(mm, pud, addr);
        long units = 0;
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdNone(mm, e)) continue;
            if (Levels.pmdLeaf(mm, e)) {
                next = Huge.visit(mm, pmd, level, addr, end, visitor);
                pmd += Levels.slotsAfter(mm.geometry(), level, addr, next);
                units++;
                continue;
            }
            if (Levels.pmdBad(mm, e)) continue;
            units += walkPteRange(mm, pmd, addr, next, visitor);
        }
        return units;
    }

    /** {@code walk_pte_range}: one {@code pte_entry} per base page, one per contpte run. */
    static long walkPteRange(Mm mm, int pmd, long addr, long end, WalkVisitor visitor) {
        long page = mm.geometry().pageSize();
        int pte = Levels.pteOffset(mm, pmd, addr);
        long units = 0;
        for (long next; addr != end; addr = next, pte++) {
            next = addr + page;
            long e = mm.get(pte);
            if (!Levels.ptePresent(mm, e)) continue;
            if (mm.format().contig(Levels.PTE, e)) {
                next = Huge.visit(mm, pte, Levels.PTE, addr, end, visitor);
                pte += Levels.slotsAfter(mm.geometry(), Levels.PTE, addr, next);
            } else {
                visitor.visit(addr, 0, Levels.PTE, e);
            }
            units++;
        }
        return units;
    }
}

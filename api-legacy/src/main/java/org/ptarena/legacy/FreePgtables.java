package org.ptarena.legacy;

import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * unmap's freeing: {@code free_pgd_range} → … → {@code free_pte_range}, each level freeing the
 * table below on the way up. Differs from Linux: no VMA floor or ceiling; a table meeting the
 * range goes when empty, never the root; a folded level frees nothing ({@code nopud.h}).
 */
final class FreePgtables {
    private FreePgtables() { }

    static void freePgdRange(Mm mm, long addr, long end, TlbGather tlb) {
        int pgd = Levels.pgdOffset(mm, addr);
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdNone(mm, e) || Levels.pgdBad(mm, e)) continue;
            freeP4dRange(mm, pgd, addr, next, tlb);
        }
    }

    static void freeP4dRange(Mm mm, int pgd, long start, long end, TlbGather tlb) {
        int p4d = Levels.p4dOffset(mm, pgd, start);
        for (long addr = start, next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dNone(mm, e) || Levels.p4dBad(mm, e)) continue;
            freePudRange(mm, p4d, addr, next, tlb);
        }
        if (!Levels.p4dFolded(mm)) {
            Levels.freeIfEmpty(mm, pgd, Levels.pgdLevel(mm), start, end, tlb);
        }
    }

    static void freePudRange(Mm mm, int p4d, long start, long end, TlbGather tlb) {
        int pud = Levels.pudOffset(mm, p4d, start);
        for (long addr = start, next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudNone(mm, e) || Levels.pudBad(mm, e)) continue;
            freePmdRange(mm, pud, addr, next, tlb);
        }
        if (!Levels.pudFolded(mm)) {
            Levels.freeIfEmpty(mm, p4d, Levels.p4dLevel(mm), start, end, tlb);
        }
    }

    static void freePmdRange(Mm mm, int pud, long start, long end, TlbGather tlb) {
        int pmd = Levels.pmdOffset(mm, pud, start);
        for (long addr = start, next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdNone(mm, e) || Levels.pmdBad(mm, e)) continue;
            freePteRange(mm, pmd, addr, next, tlb);
        }
        if (!Levels.pmdFolded(mm)) {
            Levels.freeIfEmpty(mm, pud, Levels.pudLevel(mm), start, end, tlb);
        }
    }

    /** {@code free_pte_range}: the PTE table hung in {@code pmd} goes if nothing is left in it. */
    static void freePteRange(Mm mm, int pmd, long start, long end, TlbGather tlb) {
        Levels.freeIfEmpty(mm, pmd, Levels.pmdLevel(mm), start, end, tlb);
    }
}

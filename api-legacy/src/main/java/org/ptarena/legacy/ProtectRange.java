package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * protect: {@code change_protection} → {@code change_protection_range} → … →
 * {@code change_pte_range}. Differs from Linux: no VMA, NUMA or uffd flags, the prot is given,
 * and huge leaves and runs covered in part are split or unfolded at any level.
 */
final class ProtectRange {
    private ProtectRange() { }

    static long changeProtection(Mm mm, long start, long end, int prot, TlbGather tlb) {
        Args.range(mm.geometry(), "protect", start, end);
        int newProt = Args.prot(mm.geometry(), "protect", prot);
        return changeProtectionRange(mm, start, end, newProt, tlb);
    }

    /** {@code change_protection_range}: the PGD step. @return base pages changed */
    static long changeProtectionRange(Mm mm, long addr, long end, int prot, TlbGather tlb) {
        int level = Levels.pgdLevel(mm);
        int pgd = Levels.pgdOffset(mm, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdLeaf(mm, e)) {
                int n = Huge.fit(mm, pgd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.change(mm, pgd, level, addr, n, prot, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pgd += n - 1;
                    continue;
                }
                e = mm.get(pgd);
            }
            if (Levels.pgdNone(mm, e) || Levels.pgdBad(mm, e)) continue;
            pages += changeP4dRange(mm, pgd, addr, next, prot, tlb);
        }
        return pages;
    }

    static long changeP4dRange(Mm mm, int pgd, long addr, long end, int prot, TlbGather tlb) {
        int level = Levels.p4dLevel(mm);
        int p4d = Levels.p4dOffset(mm, pgd, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dLeaf(mm, e)) {
                int n = Huge.fit(mm, p4d, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.change(mm, p4d, level, addr, n, prot, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    p4d += n - 1;
                    continue;
                }
                e = mm.get(p4d);
            }
            if (Levels.p4dNone(mm, e) || Levels.p4dBad(mm, e)) continue;
            pages += changePudRange(mm, p4d, addr, next, prot, tlb);
        }
        return pages;
    }

    /** {@code change_pud_range}: a PUD leaf covered in part is split ({@code __split_huge_pud}). */
    static long changePudRange(Mm mm, int p4d, long addr, long end, int prot, TlbGather tlb) {
        int level = Levels.pudLevel(mm);
        int pud = Levels.pudOffset(mm, p4d, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudLeaf(mm, e)) {
                int n = Huge.fit(mm, pud, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.change(mm, pud, level, addr, n, prot, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pud += n - 1;
                    continue;
                }
                e = mm.get(pud);
            }
            if (Levels.pudNone(mm, e) || Levels.pudBad(mm, e)) continue;
            pages += changePmdRange(mm, pud, addr, next, prot, tlb);
        }
        return pages;
    }

    /** {@code change_pmd_range}: a PMD leaf covered in part is split ({@code __split_huge_pmd}). */
    static long changePmdRange(Mm mm, int pud, long addr, long end, int prot, TlbGather tlb) {
        int level = Levels.pmdLevel(mm);
        int pmd = Levels.pmdOffset(mm, pud, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdLeaf(mm, e)) {
                int n = Huge.fit(mm, pmd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.change(mm, pmd, level, addr, n, prot, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pmd += n - 1;
                    continue;
                }
                e = mm.get(pmd);
            }
            if (Levels.pmdNone(mm, e) || Levels.pmdBad(mm, e)) continue;
            pages += changePteRange(mm, pmd, addr, next, prot, tlb);
        }
        return pages;
    }

    /** {@code change_pte_range}: a contpte run covered in part is unfolded first. */
    static long changePteRange(Mm mm, int pmd, long addr, long end, int prot, TlbGather tlb) {
        EntryFormat f = mm.format();
        long page = mm.geometry().pageSize();
        int pte = Levels.pteOffset(mm, pmd, addr);
        long pages = 0;
        for (; addr != end; addr += page, pte++) {
            long e = mm.get(pte);
            if (!Levels.ptePresent(mm, e)) continue;
            if (f.contig(Levels.PTE, e)) {
                int n = Huge.fit(mm, pte, Levels.PTE, addr, end, tlb);
                if (n > 1) {
                    pages += Huge.change(mm, pte, Levels.PTE, addr, n, prot, tlb);
                    addr += (n - 1) * page;
                    pte += n - 1;
                    continue;
                }
                e = mm.get(pte);
            }
            if (f.prot(Levels.PTE, e) == prot) continue;
            mm.set(pte, f.withProt(Levels.PTE, e, prot));
            tlb.leafChanged(addr, page, Levels.PTE);
            pages++;
        }
        return pages;
    }
}

package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * unmap: {@code unmap_page_range} → {@code zap_p4d_range} → … → {@code zap_pte_range}, then
 * {@link FreePgtables}. Differs from Linux: no VMA or {@code zap_details}; a huge leaf or run
 * covered in part is split or unfolded at any level, and every released unit is gathered.
 */
final class UnmapRange {
    private UnmapRange() { }

    static long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        Args.range(mm.geometry(), "unmap", start, end);
        long pages = unmapPageRange(mm, start, end, tlb);
        if (freeTables) FreePgtables.freePgdRange(mm, start, end, tlb);
        return pages;
    }

    /** {@code unmap_page_range}: the PGD step. @return base pages unmapped */
    static long unmapPageRange(Mm mm, long addr, long end, TlbGather tlb) {
        int level = Levels.pgdLevel(mm);
        int pgd = Levels.pgdOffset(mm, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdLeaf(mm, e)) {
                int n = Huge.fit(mm, pgd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.zap(mm, pgd, level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pgd += n - 1;
                    continue;
                }
                e = mm.get(pgd);
            }
            if (Levels.pgdNone(mm, e) || Levels.pgdBad(mm, e)) continue;
            pages += zapP4dRange(mm, pgd, addr, next, tlb);
        }
        return pages;
    }

    static long zapP4dRange(Mm mm, int pgd, long addr, long end, TlbGather tlb) {
        int level = Levels.p4dLevel(mm);
        int p4d = Levels.p4dOffset(mm, pgd, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dLeaf(mm, e)) {
                int n = Huge.fit(mm, p4d, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.zap(mm, p4d, level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    p4d += n - 1;
                    continue;
                }
                e = mm.get(p4d);
            }
            if (Levels.p4dNone(mm, e) || Levels.p4dBad(mm, e)) continue;
            pages += zapPudRange(mm, p4d, addr, next, tlb);
        }
        return pages;
    }

    /** {@code zap_pud_range}: a PUD leaf covered in part is split ({@code __split_huge_pud}). */
    static long zapPudRange(Mm mm, int p4d, long addr, long end, TlbGather tlb) {
        int level = Levels.pudLevel(mm);
        int pud = Levels.pudOffset(mm, p4d, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudLeaf(mm, e)) {
                int n = Huge.fit(mm, pud, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.zap(mm, pud, level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pud += n - 1;
                    continue;
                }
                e = mm.get(pud);
            }
            if (Levels.pudNone(mm, e) || Levels.pudBad(mm, e)) continue;
            pages += zapPmdRange(mm, pud, addr, next, tlb);
        }
        return pages;
    }

    /** {@code zap_pmd_range}: a PMD leaf covered in part is split ({@code __split_huge_pmd}). */
    static long zapPmdRange(Mm mm, int pud, long addr, long end, TlbGather tlb) {
        int level = Levels.pmdLevel(mm);
        int pmd = Levels.pmdOffset(mm, pud, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdLeaf(mm, e)) {
                int n = Huge.fit(mm, pmd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.zap(mm, pmd, level, addr, n, tlb);
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pmd += n - 1;
                    continue;
                }
                e = mm.get(pmd);
            }
            if (Levels.pmdNone(mm, e) || Levels.pmdBad(mm, e)) continue;
            pages += zapPteRange(mm, pmd, addr, next, tlb);
        }
        return pages;
    }

    /** {@code zap_pte_range}: a contpte run covered in part is unfolded first. */
    static long zapPteRange(Mm mm, int pmd, long addr, long end, TlbGather tlb) {
        EntryFormat f = mm.format();
        long page = mm.geometry().pageSize();
        int pte = Levels.pteOffset(mm, pmd, addr);
        long pages = 0;
        long cleared = 0;
        for (; addr != end; addr += page, pte++) {
            long e = mm.get(pte);
            if (Levels.pteNone(mm, e)) continue;
            if (f.contig(Levels.PTE, e)) {
                int n = Huge.fit(mm, pte, Levels.PTE, addr, end, tlb);
                if (n > 1) {
                    pages += Huge.zap(mm, pte, Levels.PTE, addr, n, tlb);
                    addr += (n - 1) * page;
                    pte += n - 1;
                    continue;
                }
            }
            Levels.clear(mm, pte);
            tlb.leafRemoved(addr, page, Levels.PTE, f.pfn(Levels.PTE, e), 0);
            cleared++;
        }
        mm.addRss(-cleared);
        return pages + cleared;
    }
}

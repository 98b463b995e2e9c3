package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.TlbGather;

/**
 * map: {@code remap_pfn_range} → {@code remap_p4d_range} → … → {@code remap_pte_range}.
 * Differs from Linux: {@code largest} puts a run or a huge leaf in a none slot that fits one,
 * a mapped page refuses the map first (the kernel BUG()s), and a failed allocation undoes it.
 */
final class MapRange {
    private MapRange() { }

    static long remapPfnRange(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy,
                              TlbGather scratch) {
        Args.range(mm.geometry(), "map", start, end);
        int p = Args.prot(mm.geometry(), "map", prot);
        long pages = Args.pages(mm.geometry(), start, end);
        Args.pfns(mm.geometry(), "map", pfn, pages);
        long mapped = RangeCheck.firstUsed(mm, start, end, false);
        if (mapped != RangeCheck.EMPTY) throw OverlapException.mapped("map", mapped);
        try {
            // as the kernel: pfn -= addr >> PAGE_SHIFT, then pfn + (addr >> PAGE_SHIFT) per step
            remapPfnRangeInternal(mm, start, end, pfn - (start >>> mm.geometry().pageShift()), p,
                    policy == MapPolicy.LARGEST);
        } catch (OutOfTablesException ex) {
            scratch.reset();
            UnmapRange.unmapPageRange(mm, start, end, scratch);
            throw ex;
        }
        return pages;
    }

    /** The PGD step; {@code pfn} is the frame that address 0 would get. */
    static void remapPfnRangeInternal(Mm mm, long addr, long end, long pfn, int prot,
                                      boolean largest) {
        int level = Levels.pgdLevel(mm);
        int pageShift = mm.geometry().pageShift();
        int pgd = Levels.pgdOffset(mm, addr);
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            if (largest && Levels.pgdNone(mm, mm.get(pgd))) {
                int n = Huge.set(mm, pgd, level, addr, end, pfn + (addr >>> pageShift), prot);
                if (n > 0) {
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pgd += n - 1;
                    continue;
                }
            }
            remapP4dRange(mm, pgd, addr, next, pfn, prot, largest);
        }
    }

    static void remapP4dRange(Mm mm, int pgd, long addr, long end, long pfn, int prot,
                              boolean largest) {
        int level = Levels.p4dLevel(mm);
        int pageShift = mm.geometry().pageShift();
        int p4d = Levels.p4dAlloc(mm, pgd, addr);
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            if (largest && Levels.p4dNone(mm, mm.get(p4d))) {
                int n = Huge.set(mm, p4d, level, addr, end, pfn + (addr >>> pageShift), prot);
                if (n > 0) {
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    p4d += n - 1;
                    continue;
                }
            }
            remapPudRange(mm, p4d, addr, next, pfn, prot, largest);
        }
    }

    static void remapPudRange(Mm mm, int p4d, long addr, long end, long pfn, int prot,
                              boolean largest) {
        int level = Levels.pudLevel(mm);
        int pageShift = mm.geometry().pageShift();
        int pud = Levels.pudAlloc(mm, p4d, addr);
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            if (largest && Levels.pudNone(mm, mm.get(pud))) {
                int n = Huge.set(mm, pud, level, addr, end, pfn + (addr >>> pageShift), prot);
                if (n > 0) {
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pud += n - 1;
                    continue;
                }
            }
            remapPmdRange(mm, pud, addr, next, pfn, prot, largest);
        }
    }

    static void remapPmdRange(Mm mm, int pud, long addr, long end, long pfn, int prot,
                              boolean largest) {
        int level = Levels.pmdLevel(mm);
        int pageShift = mm.geometry().pageShift();
        int pmd = Levels.pmdAlloc(mm, pud, addr);
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            if (largest && Levels.pmdNone(mm, mm.get(pmd))) {
                int n = Huge.set(mm, pmd, level, addr, end, pfn + (addr >>> pageShift), prot);
                if (n > 0) {
                    next = addr + ((long) n << mm.geometry().spanShift(level));
                    pmd += n - 1;
                    continue;
                }
            }
            remapPteRange(mm, pmd, addr, next, pfn, prot, largest);
        }
    }

    /** {@code remap_pte_range}: with {@code largest}, whole contpte runs where they fit. */
    static void remapPteRange(Mm mm, int pmd, long addr, long end, long pfn, int prot,
                              boolean largest) {
        EntryFormat f = mm.format();
        int pageShift = mm.geometry().pageShift();
        long page = mm.geometry().pageSize();
        boolean runs = largest && mm.geometry().contig(Levels.PTE) > 1;
        int pte = Levels.pteAlloc(mm, pmd, addr);
        long pages = 0;
        for (; addr != end; addr += page, pte++) {
            long p = pfn + (addr >>> pageShift);
            if (runs) {
                int n = Huge.set(mm, pte, Levels.PTE, addr, end, p, prot);
                addr += (n - 1) * page;
                pte += n - 1;
                continue;
            }
            mm.set(pte, f.makeLeaf(Levels.PTE, p, prot));
            pages++;
        }
        mm.addRss(pages);
    }
}

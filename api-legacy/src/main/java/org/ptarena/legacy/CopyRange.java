package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * copy: {@code copy_page_range} → {@code copy_p4d_range} → … → {@code copy_pte_range}, both
 * trees at once, {@code pXd_alloc} in the child on entering each parent table. Differs from
 * Linux: no VMA or rmap; a unit covered in part is split first; a failed allocation undoes it.
 */
final class CopyRange {
    private CopyRange() { }

    static long copyPageRange(Mm dst, Mm src, long start, long end, boolean cow, TlbGather srcTlb,
                              TlbGather scratch) {
        Args.range(src.geometry(), "copy", start, end);
        Args.pair("copy", dst, src);
        long used = RangeCheck.firstUsed(dst, start, end, true);
        if (used != RangeCheck.EMPTY) {
            throw (used & 1) != 0 ? OverlapException.table("copy", used & ~1L)
                                  : OverlapException.mapped("copy", used);
        }
        try {
            return copyPgdRange(dst, src, start, end, cow, srcTlb);
        } catch (OutOfTablesException ex) {
            scratch.reset();
            UnmapRange.unmapPageRange(dst, start, end, scratch);
            throw ex;
        }
    }

    /** The PGD loop of {@code copy_page_range}. @return base pages copied */
    static long copyPgdRange(Mm dst, Mm src, long addr, long end, boolean cow, TlbGather tlb) {
        int level = Levels.pgdLevel(src);
        int dstPgd = Levels.pgdOffset(dst, addr);
        int srcPgd = Levels.pgdOffset(src, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, srcPgd++, dstPgd++) {
            next = Levels.pgdAddrEnd(src, addr, end);
            long e = src.get(srcPgd);
            if (Levels.pgdLeaf(src, e)) {
                int n = Huge.fit(src, srcPgd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.copy(dst, src, dstPgd, srcPgd, level, addr, n, cow, tlb);
                    next = addr + ((long) n << src.geometry().spanShift(level));
                    srcPgd += n - 1;
                    dstPgd += n - 1;
                    continue;
                }
                e = src.get(srcPgd);
            }
            if (Levels.pgdNone(src, e) || Levels.pgdBad(src, e)) continue;
            pages += copyP4dRange(dst, src, dstPgd, srcPgd, addr, next, cow, tlb);
        }
        return pages;
    }

    static long copyP4dRange(Mm dst, Mm src, int dstPgd, int srcPgd, long addr, long end,
                             boolean cow, TlbGather tlb) {
        int level = Levels.p4dLevel(src);
        int dstP4d = Levels.p4dAlloc(dst, dstPgd, addr);
        int srcP4d = Levels.p4dOffset(src, srcPgd, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, srcP4d++, dstP4d++) {
            next = Levels.p4dAddrEnd(src, addr, end);
            long e = src.get(srcP4d);
            if (Levels.p4dLeaf(src, e)) {
                int n = Huge.fit(src, srcP4d, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.copy(dst, src, dstP4d, srcP4d, level, addr, n, cow, tlb);
                    next = addr + ((long) n << src.geometry().spanShift(level));
                    srcP4d += n - 1;
                    dstP4d += n - 1;
                    continue;
                }
                e = src.get(srcP4d);
            }
            if (Levels.p4dNone(src, e) || Levels.p4dBad(src, e)) continue;
            pages += copyPudRange(dst, src, dstP4d, srcP4d, addr, next, cow, tlb);
        }
        return pages;
    }

    /** {@code copy_pud_range}: a PUD leaf covered whole is {@code copy_huge_pud}. */
    static long copyPudRange(Mm dst, Mm src, int dstP4d, int srcP4d, long addr, long end,
                             boolean cow, TlbGather tlb) {
        int level = Levels.pudLevel(src);
        int dstPud = Levels.pudAlloc(dst, dstP4d, addr);
        int srcPud = Levels.pudOffset(src, srcP4d, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, srcPud++, dstPud++) {
            next = Levels.pudAddrEnd(src, addr, end);
            long e = src.get(srcPud);
            if (Levels.pudLeaf(src, e)) {
                int n = Huge.fit(src, srcPud, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.copy(dst, src, dstPud, srcPud, level, addr, n, cow, tlb);
                    next = addr + ((long) n << src.geometry().spanShift(level));
                    srcPud += n - 1;
                    dstPud += n - 1;
                    continue;
                }
                e = src.get(srcPud);
            }
            if (Levels.pudNone(src, e) || Levels.pudBad(src, e)) continue;
            pages += copyPmdRange(dst, src, dstPud, srcPud, addr, next, cow, tlb);
        }
        return pages;
    }

    /** {@code copy_pmd_range}: a PMD leaf covered whole is {@code copy_huge_pmd}. */
    static long copyPmdRange(Mm dst, Mm src, int dstPud, int srcPud, long addr, long end,
                             boolean cow, TlbGather tlb) {
        int level = Levels.pmdLevel(src);
        int dstPmd = Levels.pmdAlloc(dst, dstPud, addr);
        int srcPmd = Levels.pmdOffset(src, srcPud, addr);
        long pages = 0;
        for (long next; addr != end; addr = next, srcPmd++, dstPmd++) {
            next = Levels.pmdAddrEnd(src, addr, end);
            long e = src.get(srcPmd);
            if (Levels.pmdLeaf(src, e)) {
                int n = Huge.fit(src, srcPmd, level, addr, end, tlb);
                if (n > 0) {
                    pages += Huge.copy(dst, src, dstPmd, srcPmd, level, addr, n, cow, tlb);
                    next = addr + ((long) n << src.geometry().spanShift(level));
                    srcPmd += n - 1;
                    dstPmd += n - 1;
                    continue;
                }
                e = src.get(srcPmd);
            }
            if (Levels.pmdNone(src, e) || Levels.pmdBad(src, e)) continue;
            pages += copyPteRange(dst, src, dstPmd, srcPmd, addr, next, cow, tlb);
        }
        return pages;
    }

    /**
     * {@code copy_pte_range} with {@code copy_present_pte}: old, clean unless {@code cow}, and
     * write-protected in both trees under {@code cow}; a contpte run goes as a unit.
     */
    static long copyPteRange(Mm dst, Mm src, int dstPmd, int srcPmd, long addr, long end,
                             boolean cow, TlbGather tlb) {
        EntryFormat f = src.format();
        long page = src.geometry().pageSize();
        int dstPte = Levels.pteAlloc(dst, dstPmd, addr);
        int srcPte = Levels.pteOffset(src, srcPmd, addr);
        long pages = 0;
        long copied = 0;
        for (; addr != end; addr += page, srcPte++, dstPte++) {
            long e = src.get(srcPte);
            if (!Levels.ptePresent(src, e)) continue;
            if (f.contig(Levels.PTE, e)) {
                int n = Huge.fit(src, srcPte, Levels.PTE, addr, end, tlb);
                if (n > 1) {
                    pages += Huge.copy(dst, src, dstPte, srcPte, Levels.PTE, addr, n, cow, tlb);
                    addr += (n - 1) * page;
                    srcPte += n - 1;
                    dstPte += n - 1;
                    continue;
                }
                e = src.get(srcPte);
            }
            if (cow && Prot.writable(f.prot(Levels.PTE, e))) {
                e = f.wrprotect(Levels.PTE, e);
                src.set(srcPte, e);
                tlb.leafChanged(addr, page, Levels.PTE);
            }
            e = f.mkold(Levels.PTE, e);
            dst.set(dstPte, cow ? e : f.mkclean(Levels.PTE, e));
            copied++;
        }
        dst.addRss(copied);
        return pages + copied;
    }
}

package org.ptarena.legacy;

import org.ptarena.core.Mm;

/**
 * The "range must be empty" pre-check of map and copy, a read-only cascade (the kernel has
 * none: {@code remap_pte_range} BUG()s, fork's child is new). Ascending and top-down: the first
 * leaf meeting the range or, for copy, the first table whose span lies wholly inside it.
 */
final class RangeCheck {
    /** Nothing found. */
    static final long EMPTY = -1L;

    private RangeCheck() { }

    /**
     * @return {@link #EMPTY}; or the first mapped address of the range; or, with {@code tables},
     *         the start of a table's span with bit 0 set (addresses are page aligned)
     */
    static long firstUsed(Mm mm, long addr, long end, boolean tables) {
        int shift = mm.geometry().spanShift(Levels.pgdLevel(mm));
        int pgd = Levels.pgdOffset(mm, addr);
        for (long next; addr != end; addr = next, pgd++) {
            next = Levels.pgdAddrEnd(mm, addr, end);
            long e = mm.get(pgd);
            if (Levels.pgdNone(mm, e)) continue;
            if (Levels.pgdLeaf(mm, e)) return addr;
            if (tables && Huge.covers(addr, next, shift)) return addr | 1;
            long found = p4dUsed(mm, pgd, addr, next, tables);
            if (found != EMPTY) return found;
        }
        return EMPTY;
    }

    private static long p4dUsed(Mm mm, int pgd, long addr, long end, boolean tables) {
        int shift = mm.geometry().spanShift(Levels.p4dLevel(mm));
        int p4d = Levels.p4dOffset(mm, pgd, addr);
        for (long next; addr != end; addr = next, p4d++) {
            next = Levels.p4dAddrEnd(mm, addr, end);
            long e = mm.get(p4d);
            if (Levels.p4dNone(mm, e)) continue;
            if (Levels.p4dLeaf(mm, e)) return addr;
            if (tables && Huge.covers(addr, next, shift)) return addr | 1;
            long found = pudUsed(mm, p4d, addr, next, tables);
            if (found != EMPTY) return found;
        }
        return EMPTY;
    }

    private static long pudUsed(Mm mm, int p4d, long addr, long end, boolean tables) {
        int shift = mm.geometry().spanShift(Levels.pudLevel(mm));
        int pud = Levels.pudOffset(mm, p4d, addr);
        for (long next; addr != end; addr = next, pud++) {
            next = Levels.pudAddrEnd(mm, addr, end);
            long e = mm.get(pud);
            if (Levels.pudNone(mm, e)) continue;
            if (Levels.pudLeaf(mm, e)) return addr;
            if (tables && Huge.covers(addr, next, shift)) return addr | 1;
            long found = pmdUsed(mm, pud, addr, next, tables);
            if (found != EMPTY) return found;
        }
        return EMPTY;
    }

    private static long pmdUsed(Mm mm, int pud, long addr, long end, boolean tables) {
        int shift = mm.geometry().spanShift(Levels.pmdLevel(mm));
        int pmd = Levels.pmdOffset(mm, pud, addr);
        for (long next; addr != end; addr = next, pmd++) {
            next = Levels.pmdAddrEnd(mm, addr, end);
            long e = mm.get(pmd);
            if (Levels.pmdNone(mm, e)) continue;
            if (Levels.pmdLeaf(mm, e)) return addr;
            if (tables && Huge.covers(addr, next, shift)) return addr | 1;
            long found = pteUsed(mm, pmd, addr, next);
            if (found != EMPTY) return found;
        }
        return EMPTY;
    }

    private static long pteUsed(Mm mm, int pmd, long addr, long end) {
        long page = mm.geometry().pageSize();
        for (int pte = Levels.pteOffset(mm, pmd, addr); addr != end; addr += page, pte++) {
            if (!Levels.pteNone(mm, mm.get(pte))) return addr;
        }
        return EMPTY;
    }
}

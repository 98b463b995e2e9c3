package org.ptarena.legacy;

import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * The per-level primitives of {@code include/linux/pgtable.h}, one set per named level:
 * {@code pXdOffset} (the slot of the entry covering an address, given the parent's slot),
 * {@code pXdAddrEnd}, {@code pXdNone}, {@code pXdBad} (not a table: the walker cannot descend),
 * {@code pXdLeaf}, {@code pXdPresent} and {@code pXdAlloc} ({@code pXd_alloc}: the slot, after
 * allocating the table that holds it if the parent entry is none).
 *
 * <p>Folding, as {@code pgtable-nop4d.h}, {@code pgtable-nopud.h} and {@code pgtable-nopmd.h}
 * do it: with fewer than five levels P4D folds into PGD first, then PUD, then PMD. A folded
 * level has no table of its own: its offset returns its parent's slot, its
 * {@code addr_end} returns {@code end}, its alloc allocates nothing, and it lives at its
 * parent's geometry level. So the geometry level of named level {@code k} is
 * {@code min(k, root)}, and {@code k} is folded when it is below PGD and at or above the root.
 * Differs from the kernel: the parent's checks are real too (under {@code pgtable-nop4d.h}
 * {@code pgd_none()} is a constant 0 and only {@code p4d_none()} looks), because a root level may
 * hold leaves and contiguous runs, which only the loop stepping over root slots (the parent's)
 * can treat as units; the folded level then meets only the table entries its parent went down
 * through, and its checks, reading the same entry, agree.
 */
final class Levels {
    static final int PTE = 0;
    static final int PMD = 1;
    static final int PUD = 2;
    static final int P4D = 3;
    static final int PGD = 4;

    private Levels() { }

    // --- geometry level of each named level, and folding -----------------------------------

    static int pgdLevel(Mm mm) { return mm.geometry().rootLevel(); }
    static int p4dLevel(Mm mm) { return Math.min(P4D, mm.geometry().rootLevel()); }
    static int pudLevel(Mm mm) { return Math.min(PUD, mm.geometry().rootLevel()); }
    static int pmdLevel(Mm mm) { return Math.min(PMD, mm.geometry().rootLevel()); }

    static boolean p4dFolded(Mm mm) { return mm.geometry().rootLevel() <= P4D; }
    static boolean pudFolded(Mm mm) { return mm.geometry().rootLevel() <= PUD; }
    static boolean pmdFolded(Mm mm) { return mm.geometry().rootLevel() <= PMD; }

    // --- pXd_offset --------------------------------------------------------------------------

    /** {@code pgd_offset}: the root slot covering {@code addr}. */
    static int pgdOffset(Mm mm, long addr) {
        return mm.root() + mm.geometry().index(pgdLevel(mm), addr);
    }

    static int p4dOffset(Mm mm, int pgd, long addr) {
        if (p4dFolded(mm)) return pgd;
        return mm.format().tablePtr(pgdLevel(mm), mm.get(pgd)) + mm.geometry().index(P4D, addr);
    }

    static int pudOffset(Mm mm, int p4d, long addr) {
        if (pudFolded(mm)) return p4d;
        return mm.format().tablePtr(p4dLevel(mm), mm.get(p4d)) + mm.geometry().index(PUD, addr);
    }

    static int pmdOffset(Mm mm, int pud, long addr) {
        if (pmdFolded(mm)) return pud;
        return mm.format().tablePtr(pudLevel(mm), mm.get(pud)) + mm.geometry().index(PMD, addr);
    }

    static int pteOffset(Mm mm, int pmd, long addr) {
        return mm.format().tablePtr(pmdLevel(mm), mm.get(pmd)) + mm.geometry().index(PTE, addr);
    }

    // --- pXd_addr_end ------------------------------------------------------------------------

    static long pgdAddrEnd(Mm mm, long addr, long end) {
        return mm.geometry().addrEnd(pgdLevel(mm), addr, end);
    }

    static long p4dAddrEnd(Mm mm, long addr, long end) {
        return p4dFolded(mm) ? end : mm.geometry().addrEnd(P4D, addr, end);
    }

    static long pudAddrEnd(Mm mm, long addr, long end) {
        return pudFolded(mm) ? end : mm.geometry().addrEnd(PUD, addr, end);
    }

    static long pmdAddrEnd(Mm mm, long addr, long end) {
        return pmdFolded(mm) ? end : mm.geometry().addrEnd(PMD, addr, end);
    }

    // --- pXd_none, pXd_bad, pXd_leaf, pXd_present --------------------------------------------

    static boolean pgdNone(Mm mm, long e) { return mm.format().none(pgdLevel(mm), e); }
    static boolean pgdBad(Mm mm, long e) { return bad(mm.format(), pgdLevel(mm), e); }
    static boolean pgdLeaf(Mm mm, long e) { return mm.format().leaf(pgdLevel(mm), e); }
    static boolean pgdPresent(Mm mm, long e) { return mm.format().present(pgdLevel(mm), e); }

    static boolean p4dNone(Mm mm, long e) { return mm.format().none(p4dLevel(mm), e); }
    static boolean p4dBad(Mm mm, long e) { return bad(mm.format(), p4dLevel(mm), e); }
    static boolean p4dLeaf(Mm mm, long e) { return mm.format().leaf(p4dLevel(mm), e); }
    static boolean p4dPresent(Mm mm, long e) { return mm.format().present(p4dLevel(mm), e); }

    static boolean pudNone(Mm mm, long e) { return mm.format().none(pudLevel(mm), e); }
    static boolean pudBad(Mm mm, long e) { return bad(mm.format(), pudLevel(mm), e); }
    static boolean pudLeaf(Mm mm, long e) { return mm.format().leaf(pudLevel(mm), e); }
    static boolean pudPresent(Mm mm, long e) { return mm.format().present(pudLevel(mm), e); }

    static boolean pmdNone(Mm mm, long e) { return mm.format().none(pmdLevel(mm), e); }
    static boolean pmdBad(Mm mm, long e) { return bad(mm.format(), pmdLevel(mm), e); }
    static boolean pmdLeaf(Mm mm, long e) { return mm.format().leaf(pmdLevel(mm), e); }
    static boolean pmdPresent(Mm mm, long e) { return mm.format().present(pmdLevel(mm), e); }

    static boolean pteNone(Mm mm, long e) { return mm.format().none(PTE, e); }
    static boolean ptePresent(Mm mm, long e) { return mm.format().present(PTE, e); }

    /** Neither none nor a table: a walker cannot go down (as x86 {@code pmd_bad}). */
    private static boolean bad(EntryFormat f, int level, long e) {
        return !f.none(level, e) && !f.table(level, e);
    }

    // --- pXd_alloc ---------------------------------------------------------------------------

    static int p4dAlloc(Mm mm, int pgd, long addr) {
        if (p4dFolded(mm)) return pgd;
        if (pgdNone(mm, mm.get(pgd))) populate(mm, pgd, pgdLevel(mm));
        return p4dOffset(mm, pgd, addr);
    }

    static int pudAlloc(Mm mm, int p4d, long addr) {
        if (pudFolded(mm)) return p4d;
        if (p4dNone(mm, mm.get(p4d))) populate(mm, p4d, p4dLevel(mm));
        return pudOffset(mm, p4d, addr);
    }

    static int pmdAlloc(Mm mm, int pud, long addr) {
        if (pmdFolded(mm)) return pud;
        if (pudNone(mm, mm.get(pud))) populate(mm, pud, pudLevel(mm));
        return pmdOffset(mm, pud, addr);
    }

    /** {@code pte_alloc}: the PTE slot for {@code addr}, allocating the PTE table if needed. */
    static int pteAlloc(Mm mm, int pmd, long addr) {
        if (pmdNone(mm, mm.get(pmd))) populate(mm, pmd, pmdLevel(mm));
        return pteOffset(mm, pmd, addr);
    }

    /** {@code pXd_populate}: a new table of {@code level - 1} hung in {@code slot}. */
    private static void populate(Mm mm, int slot, int level) {
        int table = mm.allocTable(level - 1);
        mm.set(slot, mm.format().makeTable(level, table));
    }

    // --- pXd_clear and freeing ---------------------------------------------------------------

    /** {@code pXd_clear}/{@code ptep_get_and_clear}: a none entry is zero. */
    static void clear(Mm mm, int slot) { mm.set(slot, 0L); }

    /**
     * {@code pXd_free_tlb} after {@code pXd_clear}: frees the table hung in {@code slot} (an entry
     * of {@code level}) when it is empty, and clears the slot. {@code [addr, end)} is the part of
     * the slot's span the unmap covered; a table covered whole is empty without looking, as
     * everything in it was cleared and every table below it freed first.
     */
    static void freeIfEmpty(Mm mm, int slot, int level, long addr, long end,
                            TlbGather tlb) {
        EntryFormat f = mm.format();
        int table = f.tablePtr(level, mm.get(slot));
        int child = level - 1;
        if (!Huge.covers(addr, end, mm.geometry().spanShift(level))) {
            int n = mm.geometry().entries(child);
            for (int i = 0; i < n; i++) {
                if (!f.none(child, mm.get(table + i))) return;
            }
        }
        clear(mm, slot);
        mm.freeTable(table, child);
        tlb.tableFreed(child);
    }

    /** Slots from the one covering {@code addr} to the one covering {@code next - 1}, less one. */
    static int slotsAfter(Geometry g, int level, long addr, long next) {
        int s = g.spanShift(level);
        return (int) (((next - 1) >>> s) - (addr >>> s));
    }
}

package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * touch: the MMU's walk on a user access, level by level as {@code follow_page_mask} goes, then
 * the A/D update of {@code ptep_set_access_flags}. Differs from Linux: a refused access changes
 * nothing (no fault is handled), and in a contpte run only the entry hit gets the bits.
 */
final class Touch {
    private Touch() { }

    static boolean touch(Mm mm, long va, boolean write) {
        Args.va(mm.geometry(), "touch", va);
        int pgd = Levels.pgdOffset(mm, va);
        long e = mm.get(pgd);
        if (Levels.pgdNone(mm, e)) return false;
        if (Levels.pgdLeaf(mm, e)) return access(mm, pgd, Levels.pgdLevel(mm), write);
        if (Levels.pgdBad(mm, e)) return false;
        return touchP4d(mm, pgd, va, write);
    }

    static boolean touchP4d(Mm mm, int pgd, long va, boolean write) {
        int p4d = Levels.p4dOffset(mm, pgd, va);
        long e = mm.get(p4d);
        if (Levels.p4dNone(mm, e)) return false;
        if (Levels.p4dLeaf(mm, e)) return access(mm, p4d, Levels.p4dLevel(mm), write);
        if (Levels.p4dBad(mm, e)) return false;
        return touchPud(mm, p4d, va, write);
    }

    static boolean touchPud(Mm mm, int p4d, long va, boolean write) {
        int pud = Levels.pudOffset(mm, p4d, va);
        long e = mm.get(pud);
        if (Levels.pudNone(mm, e)) return false;
        if (Levels.pudLeaf(mm, e)) return access(mm, pud, Levels.pudLevel(mm), write);
        if (Levels.pudBad(mm, e)) return false;
        return touchPmd(mm, pud, va, write);
    }

    static boolean touchPmd(Mm mm, int pud, long va, boolean write) {
        int pmd = Levels.pmdOffset(mm, pud, va);
        long e = mm.get(pmd);
        if (Levels.pmdNone(mm, e)) return false;
        if (Levels.pmdLeaf(mm, e)) return access(mm, pmd, Levels.pmdLevel(mm), write);
        if (Levels.pmdBad(mm, e)) return false;
        return touchPte(mm, pmd, va, write);
    }

    static boolean touchPte(Mm mm, int pmd, long va, boolean write) {
        int pte = Levels.pteOffset(mm, pmd, va);
        if (!Levels.ptePresent(mm, mm.get(pte))) return false;
        return access(mm, pte, Levels.PTE, write);
    }

    /** The MMU's check (u, and r or w), then A, and D on a write, on this entry alone. */
    private static boolean access(Mm mm, int slot, int level, boolean write) {
        EntryFormat f = mm.format();
        long e = mm.get(slot);
        int prot = f.prot(level, e);
        if ((prot & Prot.U) == 0 || (prot & (write ? Prot.W : Prot.R)) == 0) return false;
        e = f.mkyoung(level, e);
        mm.set(slot, write ? f.mkdirty(level, e) : e);
        return true;
    }
}

package org.ptarena.legacy;

import org.ptarena.core.Args;
import org.ptarena.core.Mm;
import org.ptarena.core.Translation;

/**
 * lookup: {@code follow_page_mask} → {@code follow_p4d_mask} → {@code follow_pud_mask} →
 * {@code follow_pmd_mask} → {@code follow_page_pte}. Differs from Linux: no page refcount or
 * FOLL flags; the answer is the translation, with young and dirty ORed over a contpte run.
 */
final class Lookup {
    private Lookup() { }

    static boolean followPage(Mm mm, long va, Translation out) {
        Args.va(mm.geometry(), "lookup", va);
        return followPageMask(mm, va, out);
    }

    static boolean followPageMask(Mm mm, long va, Translation out) {
        int pgd = Levels.pgdOffset(mm, va);
        long e = mm.get(pgd);
        if (Levels.pgdNone(mm, e)) return false;
        if (Levels.pgdLeaf(mm, e)) return Huge.translate(mm, pgd, Levels.pgdLevel(mm), va, out);
        if (Levels.pgdBad(mm, e)) return false;
        return followP4dMask(mm, pgd, va, out);
    }

    static boolean followP4dMask(Mm mm, int pgd, long va, Translation out) {
        int p4d = Levels.p4dOffset(mm, pgd, va);
        long e = mm.get(p4d);
        if (Levels.p4dNone(mm, e)) return false;
        if (Levels.p4dLeaf(mm, e)) return Huge.translate(mm, p4d, Levels.p4dLevel(mm), va, out);
        if (Levels.p4dBad(mm, e)) return false;
        return followPudMask(mm, p4d, va, out);
    }

    static boolean followPudMask(Mm mm, int p4d, long va, Translation out) {
        int pud = Levels.pudOffset(mm, p4d, va);
        long e = mm.get(pud);
        if (Levels.pudNone(mm, e)) return false;
        if (Levels.pudLeaf(mm, e)) return Huge.translate(mm, pud, Levels.pudLevel(mm), va, out);
        if (Levels.pudBad(mm, e)) return false;
        return followPmdMask(mm, pud, va, out);
    }

    static boolean followPmdMask(Mm mm, int pud, long va, Translation out) {
        int pmd = Levels.pmdOffset(mm, pud, va);
        long e = mm.get(pmd);
        if (Levels.pmdNone(mm, e)) return false;
        if (Levels.pmdLeaf(mm, e)) return Huge.translate(mm, pmd, Levels.pmdLevel(mm), va, out);
        if (Levels.pmdBad(mm, e)) return false;
        return followPagePte(mm, pmd, va, out);
    }

    static boolean followPagePte(Mm mm, int pmd, long va, Translation out) {
        int pte = Levels.pteOffset(mm, pmd, va);
        if (!Levels.ptePresent(mm, mm.get(pte))) return false;
        return Huge.translate(mm, pte, Levels.PTE, va, out);
    }
}

package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Translation;

/**
 * lookup: {@code follow_page} as one recursive function that goes down one level per call until
 * it meets a leaf at any level. Differs from Linux: no page reference is taken; A/D are ORed over
 * a contiguous run as {@code ptep_get} does on arm64 contpte.
 */
final class Lookup extends PtPtr.Recursion {
    private Mm mm;

    boolean lookup(Mm mm, long va, Translation out) {
        Args.va(mm.geometry(), "lookup", va);
        this.mm = mm;
        begin();
        try {
            return find(PtPtr.root(mm, va), mm.geometry().rootLevel(), va, out);
        } finally {
            this.mm = null;
        }
    }

    private boolean find(int ptr, int lvl, long va, Translation out) {
        enter();
        EntryFormat f = mm.format();
        long e = mm.get(ptr);
        boolean found = false;
        if (PtPtr.leaf(f, lvl, e)) {
            fill(ptr, lvl, va, e, out);
            found = true;
        } else if (f.table(lvl, e)) {
            found = find(PtPtr.descend(mm, lvl, e, va), lvl - 1, va, out);
        }
        leave();
        return found;
    }

    /** The translation of {@code va} through the leaf {@code e} at {@code (ptr, lvl)}. */
    private void fill(int ptr, int lvl, long va, long e, Translation out) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        boolean run = f.contig(lvl, e);
        long access = run ? PtPtr.runEntry(mm, lvl, PtPtr.runFirst(g, lvl, ptr)) : e;
        // The entry keeps the pfn of its own first page; va's page lies that many pages on.
        long pfn = f.pfn(lvl, e) + ((va - g.entryStart(lvl, va)) >>> g.pageShift());
        long phys = (pfn << g.pageShift()) | (va & (g.pageSize() - 1));
        out.set(phys, pfn, f.prot(lvl, e), run ? g.runOrder(lvl) : g.order(lvl), lvl,
                f.young(lvl, access), f.dirty(lvl, access));
    }
}

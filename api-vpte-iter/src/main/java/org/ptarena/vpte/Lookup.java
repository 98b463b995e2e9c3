package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Translation;

/**
 * {@code follow_page}: the iterator over the one page holding {@code va}; the first unit it
 * stops at is the translation. Differs from Linux: no page refcount, young and dirty ORed over
 * a run.
 */
final class Lookup {
    private Lookup() { }

    static boolean lookup(VpteIter it, Mm mm, long va, Translation out) {
        Geometry g = mm.geometry();
        Args.va(g, "lookup", va);
        long page = va & -g.pageSize();
        if (!it.init(mm, page, page + g.pageSize(), VpteIter.LEAVES).next()) return false;
        EntryFormat f = mm.format();
        int lvl = it.level();
        long vpte = it.vpte();
        long pfn = f.pfn(lvl, vpte) + ((page - it.addr()) >>> g.pageShift());
        out.set((pfn << g.pageShift()) | (va & (g.pageSize() - 1)), pfn, f.prot(lvl, vpte),
                it.order(), lvl, f.young(lvl, vpte), f.dirty(lvl, vpte));
        return true;
    }
}

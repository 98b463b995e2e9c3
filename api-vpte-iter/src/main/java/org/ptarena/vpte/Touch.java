package org.ptarena.vpte;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * A user access as the MMU makes it: the iterator finds the unit over {@code va}, and if its
 * prot allows the access, accessed (and dirty on a write) is set on the one entry {@code va}
 * falls in — inside a run, that entry alone, as hardware may.
 */
final class Touch {
    private Touch() { }

    static boolean touch(VpteIter it, Mm mm, long va, boolean write) {
        Geometry g = mm.geometry();
        Args.va(g, "touch", va);
        long page = va & -g.pageSize();
        if (!it.init(mm, page, page + g.pageSize(), VpteIter.LEAVES).next()) return false;
        EntryFormat f = mm.format();
        int lvl = it.level();
        int prot = f.prot(lvl, it.rawVpte());
        if ((prot & Prot.U) == 0 || (prot & (write ? Prot.W : Prot.R)) == 0) return false;
        long e = f.mkyoung(lvl, it.entry());
        it.setEntry(write ? f.mkdirty(lvl, e) : e);
        return true;
    }
}

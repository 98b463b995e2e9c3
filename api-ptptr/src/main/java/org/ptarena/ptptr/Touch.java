package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;

/**
 * touch: the MMU's hardware walk on a user access, as one recursive function down to the leaf at
 * any level, then A (and D on a write) on that one entry. Differs from hardware: a run's other
 * entries are left alone, as arm64 contpte and Svnapot allow; a fault changes nothing.
 */
final class Touch extends PtPtr.Recursion {
    private Mm mm;

    boolean touch(Mm mm, long va, boolean write) {
        Args.va(mm.geometry(), "touch", va);
        this.mm = mm;
        begin();
        try {
            return access(PtPtr.root(mm, va), mm.geometry().rootLevel(), va, write);
        } finally {
            this.mm = null;
        }
    }

    private boolean access(int ptr, int lvl, long va, boolean write) {
        enter();
        EntryFormat f = mm.format();
        long e = mm.get(ptr);
        boolean permitted = false;
        if (PtPtr.leaf(f, lvl, e)) {
            int prot = f.prot(lvl, e);
            permitted = (prot & Prot.U) != 0 && (prot & (write ? Prot.W : Prot.R)) != 0;
            if (permitted) {
                e = f.mkyoung(lvl, e);
                mm.set(ptr, write ? f.mkdirty(lvl, e) : e);
            }
        } else if (f.table(lvl, e)) {
            permitted = access(PtPtr.descend(mm, lvl, e, va), lvl - 1, va, write);
        }
        leave();
        return permitted;
    }
}

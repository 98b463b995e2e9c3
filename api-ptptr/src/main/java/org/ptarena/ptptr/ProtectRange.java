package org.ptarena.ptptr;

import org.ptarena.core.Args;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * protect: {@code change_protection} as one recursive function over (ptr, lvl) in place of the
 * change_p4d/pud/pmd/pte cascade. Differs from Linux: no VMA or NUMA hinting; a run covered
 * whole keeps its contiguous bits and is one unit.
 */
final class ProtectRange extends PtPtr.Recursion {
    private Mm mm;
    private EntryFormat f;
    private Geometry g;
    private int prot;
    private TlbGather tlb;

    long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        Geometry g = mm.geometry();
        Args.range(g, "protect", start, end);
        this.prot = Args.prot(g, "protect", prot);
        this.mm = mm;
        this.f = mm.format();
        this.g = g;
        this.tlb = tlb;
        begin();
        try {
            return range(PtPtr.root(mm, start), g.rootLevel(), start, end);
        } finally {
            this.mm = null;
            this.tlb = null;
        }
    }

    /**
     * Gives {@code [addr, end)} below {@code (ptr, lvl)} the prot; returns pages changed. The
     * level's span and order are read once per table; the units it changes at this level go to
     * the gather as one range {@code [from, to)}, which is what the gather's min and max make of
     * them one by one (also when a split below fails part-way).
     */
    private long range(int ptr, int lvl, long addr, long end) {
        enter();
        Mm mm = this.mm;
        EntryFormat f = this.f;
        long span = this.g.span(lvl);
        long page = 1L << this.g.order(lvl);
        boolean runs = this.g.contig(lvl) > 1;
        int prot = this.prot;
        long pages = 0;
        long from = 0;
        long to = 0;
        boolean changed = false;
        try {
            for (long next; addr != end; addr = next, ptr++) {
                next = PtPtr.addrEnd(addr, end, span);
                long e = mm.get(ptr);
                if (e == PtPtr.NONE) continue;
                if (PtPtr.leaf(f, lvl, e)) {
                    if (next - addr == span && !(runs && f.contig(lvl, e))) {
                        // a single leaf covered whole; one already at the prot is left alone
                        if (f.prot(lvl, e) != prot) {
                            mm.set(ptr, f.withProt(lvl, e, prot));
                            if (!changed) from = addr;
                            changed = true;
                            to = next;
                            pages += page;
                        }
                        continue;
                    }
                    e = PtPtr.fit(mm, ptr, lvl, addr, next, end, e, tlb);
                    if (PtPtr.leaf(f, lvl, e)) {                    // a run covered whole
                        int n = PtPtr.unitEntries(f, g, lvl, e);
                        next = addr + ((long) n << g.spanShift(lvl));
                        if (f.prot(lvl, e) != prot) {
                            pages += change(ptr, lvl, n);
                            if (!changed) from = addr;
                            changed = true;
                            to = next;
                        }
                        ptr += n - 1;
                        continue;
                    }
                }
                pages += range(PtPtr.descend(mm, lvl, e, addr), lvl - 1, addr, next);
            }
        } finally {
            if (changed) tlb.leafChanged(from, to - from, lvl);
        }
        leave();
        return pages;
    }

    /** {@code pte_modify} on each of the unit's {@code n} entries, keeping their own A/D bits. */
    private long change(int ptr, int lvl, int n) {
        for (int i = 0; i < n; i++) mm.set(ptr + i, f.withProt(lvl, mm.get(ptr + i), prot));
        return 1L << (n == 1 ? g.order(lvl) : g.runOrder(lvl));
    }
}

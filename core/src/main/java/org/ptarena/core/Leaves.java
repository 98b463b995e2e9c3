package org.ptarena.core;

/**
 * The two entry-level helpers the kernel gives every walker, shared by all designs: splitting a
 * huge leaf into a table of smaller leaves ({@code __split_huge_pmd}/{@code __split_huge_pud}) and
 * unfolding a contiguous run ({@code contpte_convert}). Neither walks anything: each acts on the
 * one slot it is given.
 */
public final class Leaves {
    private Leaves() {}

    /**
     * Replaces the huge leaf in {@code slot} at {@code level > 0} by a new level {@code level-1}
     * table of leaves of that level's size, with the same pfns, prot, young and dirty and no
     * contiguous bits — or, where level {@code level-1} may not hold leaves, by tables down to the
     * first level that may, allocated depth first in address order. The leaf must not be contiguous
     * (unfold its run first). Records the huge leaf in {@code tlb}. Atomic: if an allocation fails,
     * every table it allocated is freed, the leaf stays, and the {@link OutOfTablesException}
     * propagates.
     *
     * @param addr any address inside the leaf
     * @return the new table entry now in {@code slot}
     */
    public static long splitLeaf(Mm mm, int slot, int level, long addr, TlbGather tlb) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        long e = mm.get(slot);
        if (level == 0 || !f.leaf(level, e))
            throw new IllegalStateException("split of a non-leaf at level " + level);
        if (f.contig(level, e))
            throw new IllegalStateException("split of a contiguous leaf: unfold its run first");
        long start = g.entryStart(level, addr);
        int child =
                buildSubtree(
                        mm,
                        level - 1,
                        f.pfn(level, e),
                        f.prot(level, e),
                        f.young(level, e),
                        f.dirty(level, e));
        long table = f.makeTable(level, child);
        mm.set(slot, table);
        tlb.leafChanged(start, g.span(level), level);
        return table;
    }

    /** A table of {@code level} whose leaves cover consecutive pfns from {@code pfn}. */
    private static int buildSubtree(
            Mm mm, int level, long pfn, int prot, boolean young, boolean dirty) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        int table = mm.allocTable(level);
        int n = g.entries(level);
        long step = 1L << g.order(level);
        try {
            for (int i = 0; i < n; i++) {
                long p = pfn + i * step;
                if (g.leafAllowed(level)) {
                    mm.set(table + i, f.makeLeaf(level, p, prot, false, young, dirty));
                } else {
                    mm.set(
                            table + i,
                            f.makeTable(level, buildSubtree(mm, level - 1, p, prot, young, dirty)));
                }
            }
        } catch (OutOfTablesException ex) {
            freeSubtree(mm, table, level);
            throw ex;
        }
        return table;
    }

    private static void freeSubtree(Mm mm, int table, int level) {
        EntryFormat f = mm.format();
        if (level > 0) {
            for (int i = 0; i < mm.geometry().entries(level); i++) {
                long e = mm.get(table + i);
                if (f.table(level, e)) freeSubtree(mm, f.tablePtr(level, e), level - 1);
            }
        }
        mm.freeTable(table, level);
    }

    /**
     * Unfolds the contiguous run that {@code slot} belongs to ({@code contpte_convert}): the
     * contiguous bit is cleared on every entry of the run and each entry gets young and dirty ORed
     * over the run. Records the run in {@code tlb}.
     *
     * @param addr any address inside the run
     */
    public static void unfoldRun(Mm mm, int slot, int level, long addr, TlbGather tlb) {
        EntryFormat f = mm.format();
        Geometry g = mm.geometry();
        int n = g.contig(level);
        int first = slot & -n; // tables are aligned to their size, so runs are too
        boolean young = false;
        boolean dirty = false;
        for (int i = 0; i < n; i++) {
            long e = mm.get(first + i);
            if (!f.contig(level, e))
                throw new IllegalStateException(
                        "unfold of a non-contiguous entry at level " + level);
            young |= f.young(level, e);
            dirty |= f.dirty(level, e);
        }
        for (int i = 0; i < n; i++) {
            long e = mm.get(first + i);
            mm.set(first + i, f.withAccess(level, f.withContig(level, e, false), young, dirty));
        }
        long runStart = addr & -(g.span(level) * n);
        tlb.leafChanged(runStart, g.span(level) * n, level);
    }
}

package org.ptarena.vpte;

import org.ptarena.core.Mm;
import org.ptarena.core.TlbGather;

/**
 * The special iterator Wilcox asked for to express {@code copy_pt_range}: it walks a source
 * address space as {@link VpteIter} does and keeps a destination beside it at the same position
 * in every level. Each time the source steps down into a table, the destination steps down into
 * the table at the same slot, allocating it if the slot is none ({@code pXd_alloc} in
 * {@code copy_pXd_range}), so the destination gets its tables top-down in the source's order.
 */
public final class DualIter extends VpteIter {
    private Mm dst;
    /**
     * Per level: how far the destination table beside the source's {@code table[level]} lies
     * from it in the arena, so that the destination slot beside a source slot is one addition.
     */
    private final int[] dstDelta = new int[MAX_LEVELS];

    /**
     * Starts a walk of {@code [start, end)} of {@code src} with {@code flags}, keeping
     * {@code dst} (same geometry) beside it; the source's splits go to {@code srcTlb}.
     */
    public DualIter reset(Mm dst, Mm src, long start, long end, int flags, TlbGather srcTlb) {
        reset(src, start, end, flags, 0, srcTlb);
        this.dst = dst;
        dstDelta[src.geometry().rootLevel()] = dst.root() - src.root();
        return this;
    }

    /** The destination address space. */
    public Mm dst() { return dst; }

    @Override
    void descended(int lvl) {
        // the destination slot beside the source's table entry just stepped through
        int parent = slot[lvl + 1] + dstDelta[lvl + 1];
        long e = dst.get(parent);
        if (f.table(lvl + 1, e)) {
            dstDelta[lvl] = f.tablePtr(lvl + 1, e) - table[lvl];
            return;
        }
        if (!f.none(lvl + 1, e)) {
            throw new IllegalStateException("copy: destination holds a leaf where the source has"
                    + " a table at level " + (lvl + 1));
        }
        int t = dst.allocTable(lvl);
        dst.set(parent, f.makeTable(lvl + 1, t));
        dstDelta[lvl] = t - table[lvl];
    }

    /** The destination entry beside the one the cursor falls in. */
    public long dstEntry() {
        return dst.get(slot[level] + dstDelta[level]);
    }

    /**
     * {@code set_vpte_at(dst, addr, iter, vpte, order)}: writes into the destination a unit of
     * the current source unit's order, at its position and level (a run with the contiguous bit
     * on every entry). {@code vpte} is encoded for {@link #level()}, without the contiguous bit.
     */
    public void setDstVpteAt(long vpte, int unitOrder) {
        if (kind != LEAF || unitOrder != order) {
            throw new IllegalStateException("copy: destination unit of order " + unitOrder
                    + " beside a source unit of order " + order);
        }
        writeUnit(dst, level, first + dstDelta[level], n, vpte);
    }
}

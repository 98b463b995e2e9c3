package org.ptarena.bench;

import org.ptarena.core.WalkVisitor;

/** The walk benchmarks' visitor: counts units and base pages and folds every entry into a sink. */
public final class UnitCounter implements WalkVisitor {
    long units;
    long pages;
    long sink;

    void reset() {
        units = 0;
        pages = 0;
    }

    @Override public void visit(long addr, int order, int level, long entry) {
        units++;
        pages += 1L << order;
        sink ^= entry + addr;
    }
}

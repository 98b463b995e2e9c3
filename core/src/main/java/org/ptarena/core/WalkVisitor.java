package org.ptarena.core;

/**
 * Receives one call per unit from {@code walk} (the kernel's {@code mm_walk_ops}, collapsed to one
 * callback): the unit's own start address, its order, the level of its entries, and its entry — for
 * a contiguous run, the first slot's entry with young and dirty ORed over the run.
 */
@FunctionalInterface
public interface WalkVisitor {
    void visit(long addr, int order, int level, long entry);
}

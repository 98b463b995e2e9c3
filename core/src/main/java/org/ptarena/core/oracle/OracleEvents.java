package org.ptarena.core.oracle;

/**
 * What the oracle tells an observer while it runs an operation, so that a test suite can count
 * which behaviours it exercised (coverage by class, not by line). Every method has an empty
 * default; {@code op} is the trace keyword ({@code map}, {@code unmap}, …).
 */
public interface OracleEvents {
    OracleEvents NONE = new OracleEvents() {};

    /**
     * A unit of {@code order} at {@code level} was mapped, cleared, changed, copied, visited or
     * looked up.
     */
    default void unit(String op, int level, int order, boolean contiguous) {}

    /** A huge leaf at {@code level} was split because the range covered part of it. */
    default void split(String op, int level) {}

    /** A contiguous run at {@code level} was unfolded because the range covered part of it. */
    default void unfold(String op, int level) {}

    /**
     * An accessed/dirty rule was applied: {@code touch-in-run} (one entry of a run), {@code
     * or-over-run} (walk/lookup reporting the OR), {@code or-on-unfold}, {@code inherit-on-split},
     * {@code copy-mkold}, {@code copy-keep-dirty} (cow), {@code copy-mkclean} (shared), {@code
     * touch-fault}.
     */
    default void accessRule(String op, String rule) {}

    /** A table of {@code level} was freed. */
    default void tableFreed(String op, int level) {}

    /** A table of {@code level} was allocated. */
    default void tableAllocated(String op, int level) {}

    /** The operation was refused or failed with {@code exception}. */
    default void refused(String op, Class<? extends RuntimeException> exception) {}

    /**
     * A whole table of {@code level} was moved by {@code move} (the kernel's
     * {@code move_normal_pmd}/{@code move_normal_pud} shortcut) instead of its entries.
     */
    default void tableMoved(String op, int level) {}
}

package org.ptarena.core;

/**
 * A range that must be empty is not: {@code map} over a mapped page, or {@code copy} into a
 * destination that holds a leaf or a table inside the range. Nothing was changed.
 */
public final class OverlapException extends RuntimeException {
    public OverlapException(String message) {
        super(message);
    }

    /** The message every implementation uses for a mapped page at {@code addr}. */
    public static OverlapException mapped(String op, long addr) {
        return new OverlapException(op + ": 0x" + Long.toHexString(addr) + " is already mapped");
    }

    /** The message every implementation uses for a table met inside the destination range. */
    public static OverlapException table(String op, long addr) {
        return new OverlapException(
                op + ": destination holds a table at 0x" + Long.toHexString(addr));
    }
}

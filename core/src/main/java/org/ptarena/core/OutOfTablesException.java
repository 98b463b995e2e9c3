package org.ptarena.core;

/** A page-table allocation failed (injected by {@link Arena#failAfter}). */
public final class OutOfTablesException extends RuntimeException {
    public OutOfTablesException(String message) {
        super(message);
    }
}

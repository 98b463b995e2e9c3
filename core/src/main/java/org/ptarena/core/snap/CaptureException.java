package org.ptarena.core.snap;

/**
 * A capture that could not be made: no such process, a process that exited while it was read,
 * or no permission to read its {@code /proc} files. The message says which, in words, with the
 * pid; no snapshot (and so no file) results.
 */
public final class CaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}

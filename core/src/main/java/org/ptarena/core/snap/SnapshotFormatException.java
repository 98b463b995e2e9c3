package org.ptarena.core.snap;

/**
 * A malformed {@code .snap} file, reading {@code file:line: what: value — expected …}, as the
 * trace parser's messages do.
 */
public final class SnapshotFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    public SnapshotFormatException(String source, int line, String what, String value,
            String expected) {
        super(source + ":" + line + ": " + what + (value.isEmpty() ? "" : ": " + value)
                + " — expected " + expected);
        this.source = source;
        this.line = line;
    }

    /** The file as named when it was read. */
    public String source() { return source; }

    /** 1-based line of the error. */
    public int line() { return line; }
}

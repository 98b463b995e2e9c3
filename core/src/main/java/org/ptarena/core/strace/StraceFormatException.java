package org.ptarena.core.strace;

/**
 * A line of an strace log that cannot be read, or a call the importer cannot follow, reading
 * {@code log:line: what: value — expected …}.
 */
public final class StraceFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    public StraceFormatException(String source, int line, String what, String value,
            String expected) {
        super(source + ":" + line + ": " + what + (value.isEmpty() ? "" : ": " + shorten(value))
                + (expected.isEmpty() ? "" : " — expected " + expected));
        this.source = source;
        this.line = line;
    }

    /** The log as named when it was read. */
    public String source() { return source; }

    /** 1-based line of the error. */
    public int line() { return line; }

    private static String shorten(String v) {
        return v.length() > 120 ? v.substring(0, 117) + "..." : v;
    }
}

package org.ptarena.core.trace;

/**
 * A malformed trace line. The message reads {@code source:line:column: what: value — expected …},
 * for example {@code smoke.trace:17:17: unmap: end 0x1000 is below start 0x2000}; lines and columns
 * count from 1, the column is that of the offending token (or of the place where a missing field
 * should have been).
 */
public final class TraceFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /** A problem at {@code line}:{@code column} of {@code source}, described by {@code what}. */
    public TraceFormatException(String source, int line, int column, String what) {
        super(source + ":" + line + ":" + column + ": " + what);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file name (or other source name) as given to the parser. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token. */
    public int column() {
        return column;
    }
}

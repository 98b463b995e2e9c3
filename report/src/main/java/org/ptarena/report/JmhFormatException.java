package org.ptarena.report;

import java.nio.file.Path;

/**
 * An input the report cannot use: a missing, empty, truncated or malformed file, a JSON document
 * that is not JMH results, or results of different JMH versions mixed together. The message
 * names the file first and then says what is wrong with it.
 */
public final class JmhFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public JmhFormatException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    /** The file that is wrong. */
    public Path file() { return file; }
}

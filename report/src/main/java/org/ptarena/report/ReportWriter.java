package org.ptarena.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Lays a {@link ReportModel} out in one format. Writers compute nothing: every number comes from
 * the model, so the four outputs always agree.
 */
public interface ReportWriter {
    /** The file this writer produces, e.g. {@code REPORT.md}. */
    String fileName();

    /** Writes the whole report to {@code out}. */
    void write(ReportModel m, Writer out) throws IOException;

    /** The four outputs of a report, in the order they are listed. */
    static List<ReportWriter> all() {
        return List.of(new MarkdownWriter(), new TextWriter(), new HtmlWriter(), new CsvWriter());
    }
}

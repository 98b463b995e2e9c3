package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All or nothing: a reader never sees a half-written report. */
class AtomicOutputTest {
    @TempDir Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void writesEveryFileAndLeavesNoTemporaryFile() throws Exception {
        Path out = dir.resolve("out/report");
        List<Path> written = AtomicOutput.write(out, Fixtures.small(), ReportWriter.all());
        assertEquals(4, written.size());
        assertEquals(List.of("REPORT.md", "index.html", "report.txt", "results.csv"), names(out));
        assertEquals(Fixtures.render(new TextWriter(), Fixtures.small()),
                Files.readString(out.resolve("report.txt")));
    }

    @Test void aFailingWriterLeavesTheDirectoryAsItWas() throws Exception {
        Files.writeString(dir.resolve("REPORT.md"), "the previous report");
        ReportWriter broken = new ReportWriter() {
            @Override public String fileName() { return "index.html"; }
            @Override public void write(ReportModel m, java.io.Writer out) throws IOException {
                out.write("<html>half");
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> AtomicOutput.write(dir, Fixtures.small(), List.of(new MarkdownWriter(),
                        broken, new CsvWriter())));
        assertEquals("disk full", e.getMessage());
        assertEquals(List.of("REPORT.md"), names(dir), "no temporary file, no new file");
        assertEquals("the previous report", Files.readString(dir.resolve("REPORT.md")));
    }

    @Test void outputsGetTheUsualPermissionsNotTemporaryOwnerOnlyOnes() throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        AtomicOutput.write(dir, Fixtures.small(), ReportWriter.all());
        for (ReportWriter w : ReportWriter.all()) {
            assertEquals(Files.getPosixFilePermissions(plain),
                    Files.getPosixFilePermissions(dir.resolve(w.fileName())), w.fileName());
        }
    }

    @Test void replacesAnEarlierReport() throws Exception {
        AtomicOutput.write(dir, Fixtures.small(), ReportWriter.all());
        Files.writeString(dir.resolve("report.txt"), "stale");
        AtomicOutput.write(dir, Fixtures.small(), ReportWriter.all());
        assertTrue(Files.readString(dir.resolve("report.txt")).startsWith("ptarena race report"));
    }
}

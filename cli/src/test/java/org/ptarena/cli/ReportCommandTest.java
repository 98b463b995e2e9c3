package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.report.RunInfo;

/**
 * {@code ptarena report} in-process: good inputs give the four files, bad ones exit 2 and write
 * nothing.
 */
class ReportCommandTest {
    /** The small real JMH JSON the report module's golden tests use. */
    static final Path FIXTURE =
            CliTest.ROOT.resolve("report/src/test/resources/fixtures/jmh-small.json");

    @TempDir Path tmp;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void reportWritesFourFilesAndProbesTheRealImplementations() throws Exception {
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("report", FIXTURE.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("Wrote REPORT.md, report.txt, index.html, results.csv to " + out + "/\n",
                r.out().replace("\r", ""));
        assertEquals(List.of("REPORT.md", "index.html", "report.txt", "results.csv"), names(out));
        String md = Files.readString(out.resolve("REPORT.md"));
        assertTrue(md.contains("| capability | legacy | ptptr | vpte |"), "probed at run time:\n"
                + md);
        assertTrue(md.contains("| six levels |"), md);
        assertTrue(md.contains("| operation | legacy | ptptr | vpte |"),
                "code size of this checkout:\n" + md);
        assertTrue(md.contains("| walk |"), md);
        for (String line : Files.readAllLines(out.resolve("report.txt"))) {
            assertTrue(line.length() <= 80, line);
        }
    }

    @Test void twoMergedFilesKeepTheirHosts() throws Exception {
        Path a = Files.copy(FIXTURE, tmp.resolve("a.json"));
        Path b = Files.copy(FIXTURE, tmp.resolve("b.json"));
        Files.writeString(RunInfo.sidecarOf(a), new RunInfo("box-a", "2025-01-01T00:00:00Z", "c1",
                "Linux", "cpu", 2,
                "./ptarena race --quick").toJson());
        Files.writeString(RunInfo.sidecarOf(b), new RunInfo("box-b", "2025-01-02T00:00:00Z", "c2",
                "Linux", "cpu", 4,
                "./ptarena race --quick").toJson());
        Path out = tmp.resolve("merged");
        CliTest.Run r = CliTest.run("report", a.toString(), b.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        long rows = csv.size() - 1;
        assertEquals(2 * (Files.readString(FIXTURE).split("\"benchmark\"").length - 1), rows);
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("box-a,")));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("box-b,")));
        String md = Files.readString(out.resolve("REPORT.md"));
        assertTrue(md.contains("a.json: box-a; ") && md.contains("b.json: box-b"), md);
        assertTrue(md.contains("2 hosts"), md);
    }

    private void badInput(String name, String content, String expected) throws Exception {
        Path bad = tmp.resolve(name);
        if (content != null) Files.writeString(bad, content);
        Path out = tmp.resolve("out-" + name);
        CliTest.Run r = CliTest.run("report", FIXTURE.toString(), bad.toString(), "--out",
                out.toString());
        assertEquals(Exit.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains(bad + ": "), "names the file: " + r);
        assertTrue(r.err().contains(expected), r::toString);
        assertTrue(r.err().contains("nothing was written"), r::toString);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test void truncatedInputExitsTwoAndWritesNothing() throws Exception {
        String full = Files.readString(FIXTURE);
        badInput("cut.json", full.substring(0, full.length() - 200), "truncated JSON");
    }

    @Test void emptyInputExitsTwo() throws Exception {
        badInput("empty.json", "", "empty file");
    }

    @Test void nonJmhInputExitsTwo() throws Exception {
        badInput("other.json", "{\"results\": []}", "not JMH results");
    }

    @Test void mixedVersionsExitTwo() throws Exception {
        badInput("old.json", Files.readString(FIXTURE).replace("\"jmhVersion\" : \"1.37\"",
                "\"jmhVersion\" : \"1.36\""),
                "mixed JMH versions");
    }

    @Test void missingFileExitsTwo() throws Exception {
        badInput("missing.json", null, "no such file");
    }

    @Test void sourcesWithoutApiModulesIsBadInput() {
        CliTest.Run r = CliTest.run("report", FIXTURE.toString(), "--sources", tmp.toString(),
                "--out",
                tmp.resolve("o").toString());
        assertEquals(Exit.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("--sources: " + tmp), r::toString);
    }

    @Test void helpListsTheExitStatuses() {
        CliTest.Run r = CliTest.run("report", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Exit status:"), r::toString);
        assertTrue(r.out().contains("nothing is written"), r::toString);
    }
}

package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading JMH 1.37 JSON, its odd corners, and every kind of bad input. */
class JmhResultsTest {
    @TempDir Path dir;

    /**
     * One result in JMH 1.37's layout, with {@code params}, {@code primary} and {@code secondary}
     * spliced in.
     */
    static String result(String version, String benchmark, String params, String rawData,
            String secondary) {
        String head = """
                {
                "jmhVersion" : "%s",
                "benchmark" : "%s",
                "mode" : "avgt",
                "threads" : 1,
                "forks" : 2,
                "jvm" : "java",
                "jvmArgs" : [
                "-XX:+UseSerialGC"
                ],
                "jdkVersion" : "17.0.15",
                "vmName" : "OpenJDK 64-Bit Server VM",
                "vmVersion" : "17.0.15+6",
                "warmupIterations" : 1,
                "warmupTime" : "100 ms",
                "warmupBatchSize" : 1,
                "measurementIterations" : 2,
                "measurementTime" : "100 ms",
                "measurementBatchSize" : 1,
                """.formatted(version, benchmark);
        String tail = """
                "primaryMetric" : {
                "score" : 10.0,
                "scoreError" : "NaN",
                "scoreConfidence" : [
                "NaN",
                "NaN"
                ],
                "scorePercentiles" : {
                "0.0" : 9.0,
                "100.0" : 11.0
                },
                "scoreUnit" : "ns/op",
                "rawData" : %s
                },
                "secondaryMetrics" : {
                %s
                }
                }""".formatted(rawData, secondary == null ? "" : secondary);
        return head + (params == null ? "" : "\"params\" : {\n" + params + "\n},\n") + tail;
    }

    /** A {@code gc.alloc.rate.norm} secondary metric with {@code rawData}. */
    static String alloc(String rawData) {
        return metric("gc.alloc.rate.norm", "B/op", rawData);
    }

    /** A secondary metric called {@code name} in {@code unit} with {@code rawData}. */
    static String metric(String name, String unit, String rawData) {
        return """
                "%s" : {
                "score" : 0.0,
                "scoreError" : "NaN",
                "scoreConfidence" : [
                "NaN",
                "NaN"
                ],
                "scorePercentiles" : {
                "0.0" : 0.0
                },
                "scoreUnit" : "%s",
                "rawData" : %s
                }""".formatted(name, unit, rawData);
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private JmhFormatException bad(String name, String text) throws IOException {
        Path p = file(name, text);
        JmhFormatException e = assertThrows(JmhFormatException.class,
                () -> JmhResults.read(List.of(p)));
        assertTrue(e.getMessage().startsWith(p + ": "), "names the file first: " + e.getMessage());
        assertEquals(p, e.file());
        return e;
    }

    @Test void readsTheCommittedRealRun() throws Exception {
        JmhResults r = JmhResults.read(List.of(Fixtures.SMALL));
        assertTrue(r.results().size() >= 8);
        assertEquals("1.37", r.jmhVersion());
        for (JmhResults.Result x : r.results()) {
            assertTrue(x.params().containsKey("api"), x.benchmark());
            assertTrue(x.primary().forks().length >= 1);
            assertTrue(x.secondary().containsKey(JmhResults.ALLOC_NORM), "run with -prof gc");
            assertEquals("avgt", x.settings().mode());
        }
    }

    @Test void forkValueIsTheMeanOfItsIterationsAndNanStringsAreNan() throws Exception {
        String json = "[" + result("1.37", "a.B.walk", "\"api\" : \"legacy\"",
                "[[1.0, 3.0], [\"NaN\", 2.0], [\"+INF\"], [\"-INF\"]]",
                alloc("[[0.0, 0.0], [8.0, 8.0], [1.0], [1.0]]")) + "]";
        JmhResults r = JmhResults.read(List.of(file("nan.json", json)));
        double[] forks = r.results().get(0).primary().forks();
        assertEquals(4, forks.length);
        assertEquals(2.0, forks[0]);
        assertTrue(Double.isNaN(forks[1]));
        assertEquals(Double.POSITIVE_INFINITY, forks[2]);
        assertEquals(Double.NEGATIVE_INFINITY, forks[3]);
        assertArrayEquals(new double[] {0, 8, 1, 1}, r.results().get(0).secondary()
                .get(JmhResults.ALLOC_NORM).forks());
        assertEquals("B/op", r.results().get(0).secondary().get(JmhResults.ALLOC_NORM).unit());
    }

    @Test void missingParamsAreAnEmptyMap() throws Exception {
        JmhResults r = JmhResults.read(List.of(file("noparams.json", "[" + result("1.37", "a.B.c",
                null, "[[1.0]]", null) + "]")));
        assertTrue(r.results().get(0).params().isEmpty());
        assertEquals("c", r.results().get(0).method());
        assertEquals("B.c", r.results().get(0).shortName());
    }

    @Test void sampleModeHistogramsGiveWeightedForkMeans() throws Exception {
        String json = "[" + result("1.37", "a.B.c", null, "[]", null)
                .replace("\"rawData\" : []",
                        "\"rawDataHistogram\" : [[[[10.0, 1], [20.0, 3]]], [[[5.0, 2]], [[7.0, "
                        + "2]]]]") + "]";
        JmhResults r = JmhResults.read(List.of(file("sample.json", json)));
        assertArrayEquals(new double[] {17.5, 6.0}, r.results().get(0).primary().forks(), 1e-12);
    }

    @Test void theRunFileBesideGivesTheHost() throws Exception {
        Path json = file("run.json", "[" + result("1.37", "a.B.c", null, "[[1.0]]", null) + "]");
        Files.writeString(RunInfo.sidecarOf(json), new RunInfo("box-a", "2025-01-01T00:00:00Z",
                "abc", "Linux", "cpu", 2,
                "./ptarena race --quick").toJson());
        JmhResults r = JmhResults.read(List.of(json));
        assertEquals("box-a", r.results().get(0).host());
        assertEquals("./ptarena race --quick", r.sources().get(0).run().command());
        assertEquals(dir.resolve("run.meta"), RunInfo.sidecarOf(json));
    }

    @Test void withoutARunFileTheHostIsTheFileName() throws Exception {
        JmhResults r = JmhResults.read(List.of(file("machine-b.json", "[" + result("1.37", "a.B.c",
                null, "[[1.0]]", null) + "]")));
        assertEquals("machine-b", r.results().get(0).host());
        assertEquals(RunInfo.UNKNOWN, r.sources().get(0).run().commit());
    }

    @Test void truncatedJsonSaysSo() throws Exception {
        String full = Files.readString(Fixtures.SMALL);
        JmhFormatException e = bad("cut.json", full.substring(0, full.length() / 2));
        assertTrue(e.getMessage().contains("truncated JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
    }

    @Test void emptyFileSaysSo() throws Exception {
        assertTrue(bad("empty.json", "").getMessage().contains("empty file"));
        assertTrue(bad("blank.json", "  \n").getMessage().contains("empty file"));
        assertTrue(bad("none.json", "[]").getMessage().contains("no benchmark results"));
    }

    @Test void nonJmhJsonSaysWhatItFound() throws Exception {
        assertTrue(bad("object.json", "{\"name\": \"x\"}").getMessage()
                .contains("not JMH results: expected a JSON array"));
        assertTrue(bad("numbers.json", "[1, 2]").getMessage().contains("result 1 is the number 1"));
        assertTrue(bad("nobench.json", "[{\"mode\": \"avgt\"}]").getMessage()
                .contains("no \"benchmark\""));
        String noPrimary = "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]";
        assertTrue(bad("noprimary.json", noPrimary).getMessage().contains("no \"primaryMetric\""));
        assertTrue(bad("text.json", "hello").getMessage().contains("malformed JSON at line 1"));
    }

    @Test void badNumbersAreNamed() throws Exception {
        JmhFormatException e = bad("word.json", "[" + result("1.37", "a.B.c", null,
                "[[1.0, \"fast\"]]", null) + "]");
        assertTrue(e.getMessage().contains("rawData[0][1] is the string \"fast\""), e.getMessage());
    }

    @Test void mixedVersionsAreRefusedNamingBothFiles() throws Exception {
        Path a = file("a.json", "[" + result("1.37", "a.B.c", null, "[[1.0]]", null) + "]");
        Path b = file("b.json", "[" + result("1.36", "a.B.c", null, "[[1.0]]", null) + "]");
        JmhFormatException e = assertThrows(JmhFormatException.class, () ->
                JmhResults.read(List.of(a, b)));
        assertTrue(e.getMessage().startsWith(b + ": mixed JMH versions"), e.getMessage());
        assertTrue(e.getMessage().contains(a.toString()), e.getMessage());
    }

    @Test void missingFileAndDirectoryAreBadInput() throws Exception {
        Path missing = dir.resolve("nope.json");
        JmhFormatException e = assertThrows(JmhFormatException.class, () ->
                JmhResults.read(List.of(missing)));
        assertEquals(missing + ": no such file", e.getMessage());
        JmhFormatException d = assertThrows(JmhFormatException.class, () ->
                JmhResults.read(List.of(dir)));
        assertTrue(d.getMessage().contains("is a directory"));
    }

    @Test void emptyRawDataIsRefused() throws Exception {
        assertTrue(bad("noraw.json", "[" + result("1.37", "a.B.c", null, "[]", null) + "]")
                .getMessage()
                .contains("rawData is empty"));
    }

    @Test void aBrokenRunFileIsBadInputToo() throws Exception {
        Path json = file("r.json", "[" + result("1.37", "a.B.c", null, "[[1.0]]", null) + "]");
        Files.writeString(RunInfo.sidecarOf(json), "{ host");
        JmhFormatException e = assertThrows(JmhFormatException.class, () ->
                JmhResults.read(List.of(json)));
        assertTrue(e.getMessage().startsWith(RunInfo.sidecarOf(json)
                + ": run file is not valid JSON"), e.getMessage());
    }
}

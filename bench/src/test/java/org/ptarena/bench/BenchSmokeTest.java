package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke: every benchmark method once through JMH's {@link Runner}, one api at a time, at the
 * smallest sizes (one table; hugemix at two 2M spans; arm64 runs at one table), in-process
 * ({@code -f 0}: this test only), no warmup, one iteration of a few ms. Not timed: it proves each
 * benchmark sets up, passes its own contract checks, runs, and writes JSON that parses with the
 * pages counter and allocation per op in it.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @TestFactory
    List<DynamicTest> everyBenchmarkRunsOnceForEveryApi() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String api : Matrix.apis()) {
            tests.add(DynamicTest.dynamicTest(api, () -> runAll(api)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> aGapFailsItsSetupNamingTheGap() {
        return List.of(DynamicTest.dynamicTest("hugemix on one table", () -> {
            Options opt = new OptionsBuilder()
                    .include("^org\\.ptarena\\.bench\\.WalkBench\\.walk$")
                    .param("api", Matrix.FLOOR)
                    .param("geometry", "x86-64/4level")
                    .param("scenario", "hugemix")
                    .param("size", "table")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(5))
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT)
                    .build();
            RunnerException e = assertThrows(RunnerException.class, () -> new Runner(opt).run());
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('|');
                for (Throwable s : t.getSuppressed()) messages.append(s.getMessage()).append('|');
            }
            assertTrue(messages.toString().contains("gap: hugemix needs"), messages.toString());
        }));
    }

    private void runAll(String api) throws Exception {
        int methods = Matrix.Op.values().length;
        int expected = 0;
        List<JsonNode> rows = new ArrayList<>();
        // moveUnaligned runs on base-page scenarios only, the moves on no snapshot (their gaps)
        String every = "\\w+Bench\\.\\w+";
        String notUnaligned = "\\w+Bench\\.(?!moveUnaligned$)\\w+";
        String noMove = "(?!MoveBench)\\w+Bench\\.\\w+";
        String[] base = {"dense", "sparse"};
        expected += run(api, "x86-64/4level", base, "table", every, rows) * methods;
        expected += run(api, "x86-64/4level", new String[] {"largest"}, "table", notUnaligned,
                rows) * (methods - 1);
        expected += run(api, "x86-64/4level", new String[] {"hugemix"}, "4M", notUnaligned, rows)
                * (methods - 1);
        expected += run(api, "arm64/4k-48", new String[] {"largest"}, "table", notUnaligned, rows)
                * (methods - 1);
        expected += run(api, "x86-64/4level", new String[] {"snap:sort-pipeline"}, Sizes.REAL,
                noMove, rows) * (methods - 2);
        assertEquals(expected, rows.size(), "one result per benchmark and parameter set");
        Set<String> seen = new HashSet<>();
        for (JsonNode r : rows) {
            String bench = r.get("benchmark").asText();
            String label = bench + " " + r.get("params");
            seen.add(bench.substring(bench.lastIndexOf('.') + 1));
            assertEquals(api, r.get("params").get("api").asText());
            double score = r.get("primaryMetric").get("score").asDouble();
            double perPage = r.get("secondaryMetrics").get("pages").get("score").asDouble();
            assertTrue(score > 0 && perPage > 0, label);
            assertTrue(r.get("secondaryMetrics").has("gc.alloc.rate.norm"), label + ": -prof gc");
            double pagesPerOp = score / perPage;
            boolean perAddress = bench.endsWith("lookup") || bench.endsWith("touch");
            if (r.get("params").get("scenario").asText().equals("dense") && !perAddress) {
                assertEquals(512, pagesPerOp, 1e-6, label + ": a dense table is 512 pages");
            } else if (perAddress) {
                assertEquals(Probes.BATCH, pagesPerOp, 1e-6, label + ": one page per address");
            }
        }
        Set<String> all = new HashSet<>();
        for (Matrix.Op op : Matrix.Op.values()) all.add(op.word());
        assertEquals(all, seen);
    }

    /** Runs every benchmark for one api over {@code scenarios}; returns parameter sets. */
    private int run(String api, String geometry, String[] scenarios, String size, String benches,
            List<JsonNode> rows) throws Exception {
        Path json = dir.resolve(api + "-" + geometry.replace('/', '_') + "-" + size + "-"
                + scenarios[0].replace(':', '_') + ".json");
        Options opt = new OptionsBuilder()
                .include("^org\\.ptarena\\.bench\\." + benches + "$")
                .param("api", api)
                .param("geometry", geometry)
                .param("scenario", scenarios)
                .param("size", size)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(5))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        new Runner(opt).run();
        JsonNode arr = new ObjectMapper().readTree(json.toFile());
        assertTrue(arr.isArray() && arr.size() > 0, json + " is a non-empty array");
        arr.forEach(rows::add);
        return scenarios.length;
    }
}

package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;

/**
 * {@code ptptr} against the oracle through core's {@link TraceRunner}: the project's example and
 * regression traces, then seeded random traces on every catalog geometry and on random ones.
 * Replay one random trace with {@code -Dptarena.seed=N}; a failure prints the whole trace.
 */
class TraceTest {
    /** Trace directories of the project, relative to this module. */
    private static final List<Path> TRACE_DIRS = List.of(Path.of("..", "examples"),
            Path.of("..", "equivalence-tests", "src", "test", "resources", "traces"));
    private static final int RANDOM_TRACES = 16;
    private static final int STEPS = 48;

    @TestFactory
    List<DynamicTest> theProjectsTracesAgreeWithTheOracle() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : TRACE_DIRS) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".trace")).sorted().forEach(files::add);
            }
        }
        assertFalse(files.isEmpty(), "no .trace file under " + TRACE_DIRS);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(),
                    () -> assertPasses(TraceParser.parse(f), null)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> randomTracesOnEveryCatalogGeometryAgreeWithTheOracle() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 700;
        for (Geometry g : Geometries.catalog()) {
            long s = seed++;
            tests.add(DynamicTest.dynamicTest(g.name(),
                    () -> assertPasses(RandomTrace.make(s, g, STEPS), s)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> randomTracesOnRandomGeometriesAgreeWithTheOracle() {
        Long only = Long.getLong("ptarena.seed");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < (only == null ? RANDOM_TRACES : 1); i++) {
            long seed = only == null ? 9000 + i : only;
            tests.add(DynamicTest.dynamicTest("seed " + seed,
                    () -> assertPasses(RandomTrace.make(seed, null, STEPS), seed)));
        }
        return tests;
    }

    private static void assertPasses(Trace trace, Long seed) {
        TraceRunner.Result r = new TraceRunner(List.of(new PtPtrOps())).run(trace);
        assertEquals(Map.of(), r.unsupported(), "ptptr supports every geometry");
        assertTrue(r.passed(), () -> r.report() + (seed == null ? ""
                : "\n" + TraceWriter.write(trace, List.of("seed " + seed))));
        assertEquals(trace.lines().size(), r.statements(), "every statement ran");
    }
}

package org.ptarena.vpte;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example trace's hand-written assertions ({@code expect…}, {@code fail}) hold on the vpte
 * design alone, read by a small interpreter of this module's own, with no oracle involved.
 */
class ExampleTracesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TestFactory
    Stream<DynamicTest> everyExampleTraceHolds() throws IOException {
        assertTrue(Files.isDirectory(EXAMPLES), "examples directory beside the module");
        List<Path> traces;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            traces = s.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        }
        assertTrue(traces.size() >= 8, "example traces found: " + traces);
        return traces.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            assertEquals(List.of(), MiniTrace.run(p.getFileName().toString(), text));
        }));
    }
}

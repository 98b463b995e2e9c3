package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real race of the smallest kind (one combination run, one gap listed), forked as every race
 * is: progress lines, JMH's log, and one JSON array written atomically.
 */
class RaceRunTest {
    @Test
    void aRaceRunsItsCombinationsInForksAndWritesOneJsonArray(@TempDir Path dir) throws Exception {
        RaceConfig config = RaceConfig.of(RaceConfig.Mode.QUICK, dir.resolve("out/race.json"))
                .withOps(List.of("walk"))
                .withGeometries(List.of("x86-64/4level"))
                .withScenarios(List.of("dense", "hugemix"))
                .withSizes(List.of("table"))
                .withApis(List.of("ptptr"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Race.Outcome out = Race.run(config, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String progress = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(List.of(), out.failures(), progress);
        assertEquals(1, out.ran());
        assertEquals(1, out.plan().gaps().size(), "hugemix on one table");
        assertTrue(progress.contains("[1/1] WalkBench.walk api=ptptr geometry=x86-64/4level"
                + " scenario=dense size=table — elapsed 0s, ~"), progress);
        assertTrue(progress.contains("gap: WalkBench.walk api=ptptr geometry=x86-64/4level"
                + " scenario=hugemix size=table: hugemix needs"), progress);
        assertTrue(progress.contains("race: 1 combinations in"), progress);

        JsonNode arr = new ObjectMapper().readTree(out.json().toFile());
        assertEquals(1, arr.size());
        for (JsonNode r : arr) {
            assertEquals(1, r.get("forks").asInt());
            assertTrue(r.get("jvmArgs").toString().contains("-XX:+AlwaysPreTouch"));
            assertTrue(r.get("secondaryMetrics").has("gc.alloc.rate.norm"));
        }
        String log = Files.readString(out.log());
        assertTrue(log.contains("# Fork: 1 of 1"), "JMH's output goes to the log");
        try (var files = Files.list(out.json().getParent())) {
            assertEquals(2, files.count(), "the JSON and its log, no temporary file");
        }
    }
}

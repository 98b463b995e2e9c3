package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed fixture {@code fixtures/jmh-small.json} is real output of these benchmarks
 * ({@code java -jar benchmarks.jar 'WalkBench.walk|ProtectBench.protect'
 * -p api=floor,legacy,ptptr,vpte -p geometry=x86-64/4level,future/6level -p scenario=dense
 * -p size=table -f 2 -wi 2 -w 100ms -i 3 -r 100ms -prof gc -jvm java -rf json}, with the race's
 * JVM flags; legacy on future/6level is a gap, so it is absent). This test
 * pins the JSON contract the report relies on: pages per op derivable from the pages counter,
 * allocation per op present, per-fork raw data, and no path of the machine that made it.
 */
class JmhJsonFixtureTest {
    @Test
    void fixtureKeepsTheContractTheReportReads() throws Exception {
        JsonNode arr;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/jmh-small.json")) {
            arr = new ObjectMapper().readTree(in);
        }
        assertEquals(14, arr.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode r : arr) {
            JsonNode p = r.get("params");
            String label = r.get("benchmark").asText() + " " + p;
            seen.add(p.get("api").asText() + " " + p.get("geometry").asText());
            assertEquals("java", r.get("jvm").asText(), "no absolute path of the machine");
            assertTrue(r.get("forks").asInt() >= 2, label);
            JsonNode primary = r.get("primaryMetric");
            assertEquals(r.get("forks").asInt(), primary.get("rawData").size(), label);
            assertEquals("ns/op", primary.get("scoreUnit").asText());
            JsonNode sec = r.get("secondaryMetrics");
            assertTrue(sec.has("gc.alloc.rate.norm"), label);
            double nsPerPage = sec.get("pages").get("score").asDouble();
            double pagesPerOp = primary.get("score").asDouble() / nsPerPage;
            assertEquals(512, pagesPerOp, 1e-6, label + ": a dense 4K table is 512 pages");
        }
        assertFalse(seen.contains("legacy future/6level"), "a gap is not in the JSON");
        assertTrue(seen.contains("floor future/6level") && seen.contains("vpte x86-64/4level"));
    }
}

package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;

class RaceTest {
    static final Path OUT = Path.of("out.json");

    @Test
    void quickPlanKeepsItsReducedMatrixAndListsGaps() {
        Race.Plan plan = Race.plan(RaceConfig.of(RaceConfig.Mode.QUICK, OUT));
        Set<String> cells = new HashSet<>();
        for (Race.Combination c : plan.runs()) {
            cells.add(c.geometry() + " " + c.scenario() + " " + c.size());
            Scenario sc = Scenario.parse(c.scenario());
            assertTrue(Race.inQuickMatrix(c.geometry(), sc, c.size()), c.label());
        }
        assertTrue(cells.contains("x86-64/4level hugemix 1G"));
        assertTrue(cells.contains("x86-64/4level dense 8G"));
        assertTrue(cells.contains("x86-64/4level dense table"));
        assertTrue(cells.contains("arm64/4k-48 largest 1G"));
        assertFalse(cells.contains("arm64/4k-48 dense 1G"));
        assertTrue(cells.contains("future/6level dense 1G"));
        assertFalse(cells.contains("future/6level sparse 1G"));
        long perOp = plan.runs().stream().filter(c -> c.op() == Matrix.Op.WALK).count();
        int ops = Matrix.Op.values().length;
        assertEquals(plan.runs().size(), perOp * ops, "every op runs the same cells");
        for (Race.Gap g : plan.gaps()) {
            assertTrue(g.reason().contains("does not support"), g.reason());
            assertEquals("future/6level", g.combination().geometry());
        }
        long unsupported = Apis.all().stream()
                .filter(o -> !o.supports(Geometries.byName("future/6level")).supported()).count();
        assertEquals(ops * unsupported, plan.gaps().size(), "quick runs dense 1G on 6level");
    }

    @Test
    void sizesThatDoNotFitAreGapsNotRuns() {
        RaceConfig c = RaceConfig.of(RaceConfig.Mode.FULL, OUT)
                .withOps(List.of("walk"))
                .withGeometries(List.of("x86/pae"))
                .withScenarios(List.of("dense", "hugemix"))
                .withSizes(List.of("table", "1G", "8G"))
                .withApis(List.of("floor"));
        Race.Plan plan = Race.plan(c);
        assertEquals(List.of("dense table", "dense 1G", "hugemix 1G"),
                plan.runs().stream().map(x -> x.scenario() + " " + x.size()).toList());
        assertEquals(3, plan.gaps().size());
        assertTrue(plan.gaps().stream().anyMatch(g -> g.reason().contains("does not fit")));
        assertTrue(plan.gaps().stream().anyMatch(g -> g.reason().startsWith("hugemix needs")));
    }

    @Test
    void floorFirstThenTheDesignsRotateFromCellToCell() {
        List<String> apis = List.of("legacy", "ptptr", "vpte", "floor");
        assertEquals(List.of("floor", "legacy", "ptptr", "vpte"), Race.rotated(apis, 0));
        assertEquals(List.of("floor", "ptptr", "vpte", "legacy"), Race.rotated(apis, 1));
        assertEquals(List.of("floor", "vpte", "legacy", "ptptr"), Race.rotated(apis, 2));
        assertEquals(List.of("floor", "legacy", "ptptr", "vpte"), Race.rotated(apis, 3));
        assertEquals(List.of("ptptr"), Race.rotated(List.of("ptptr"), 5));
    }

    @Test
    void unknownNamesFailNamingTheKnownOnes() {
        RaceConfig c = RaceConfig.of(RaceConfig.Mode.QUICK, OUT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Race.plan(c.withOps(List.of("mprotect"))));
        String ops = "walk, lookup, touch, protect, mapUnmap, mapUnmapFree, fork";
        assertTrue(e.getMessage().contains(ops), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Race.plan(c.withGeometries(List.of("x86-64/3level"))));
        assertThrows(IllegalArgumentException.class,
                () -> Race.plan(c.withApis(List.of("oracle"))));
        assertThrows(IllegalArgumentException.class, () -> Race.plan(c.withSizes(List.of("huge"))));
    }

    @Test
    void argumentsParseIntoAConfig() {
        RaceArgs a = RaceArgs.parse(new String[] {"--full", "--ops", "walk,protect",
            "--geometries=x86-64/4level", "--apis", "ptptr,floor", "--forks", "2",
            "--out", "x.json", "--list"});
        assertEquals(RaceConfig.Mode.FULL, a.config().mode());
        assertEquals(List.of("walk", "protect"), a.config().ops());
        assertEquals(List.of("x86-64/4level"), a.config().geometries());
        assertEquals(2, a.config().effectiveForks());
        assertEquals(Path.of("x.json"), a.config().output());
        assertTrue(a.list());
        assertEquals(6, RaceArgs.parse(new String[] {"--full"}).config().effectiveForks());
        assertEquals(Path.of("race-quick.json"), RaceArgs.parse(new String[0]).config().output());
        assertNull(RaceArgs.parse(new String[] {"--help"}));
        assertThrows(IllegalArgumentException.class,
                () -> RaceArgs.parse(new String[] {"--forks", "0"}));
        assertThrows(IllegalArgumentException.class, () -> RaceArgs.parse(new String[] {"--ops"}));
        assertThrows(IllegalArgumentException.class, () -> RaceArgs.parse(new String[] {"--fast"}));
    }

    @Test
    void modesPinTheirForksAndIterations() {
        assertTrue(RaceConfig.Mode.FULL.forks() >= 5);
        assertEquals(5, RaceConfig.Mode.FULL.measurementIterations());
        assertEquals(1000, RaceConfig.Mode.FULL.measurementMillis());
        assertTrue(RaceConfig.Mode.QUICK.forks() <= 2);
        assertTrue(RaceConfig.Mode.FULL.geometries().size() >= 15);
        String x86 = "x86-64/4level";
        Race.Combination big = new Race.Combination(Matrix.Op.WALK, "floor", x86, "dense", "64G");
        Race.Combination small = new Race.Combination(Matrix.Op.WALK, "floor", x86, "dense", "8G");
        assertTrue(List.of(Race.jvmArgs(big)).containsAll(List.of("-Xms4g", "-Xmx4g")));
        assertTrue(List.of(Race.jvmArgs(small)).containsAll(
                List.of("-Xms1g", "-Xmx1g", "-XX:+UseSerialGC", "-XX:+AlwaysPreTouch")));
    }

    @Test
    void durationsReadLikeClocks() {
        assertEquals("45s", Race.duration(45.2));
        assertEquals("1m32s", Race.duration(92));
        assertEquals("1h02m", Race.duration(3720));
    }

    @Test
    void jsonIsWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Race.writeJson(List.of(), json);
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertTrue(n.isArray());
        assertEquals(0, n.size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(json), files.toList(), "no temporary file left behind");
        }
    }
}

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
            assertTrue(Race.inQuickMatrix(c.op(), c.geometry(), sc, c.size()), c.label());
        }
        assertTrue(cells.contains("x86-64/4level hugemix 1G"));
        assertTrue(cells.contains("x86-64/4level dense 8G"));
        assertTrue(cells.contains("x86-64/4level dense table"));
        assertTrue(cells.contains("arm64/4k-48 largest 1G"));
        assertFalse(cells.contains("arm64/4k-48 dense 1G"));
        assertTrue(cells.contains("future/6level dense 1G"));
        assertFalse(cells.contains("future/6level sparse 1G"));
        long perOp = plan.runs().stream().filter(c -> c.op() == Matrix.Op.WALK).count();
        int apis = Matrix.apis().size();
        int snaps = Scenario.snapshots().size();
        for (Matrix.Op op : List.of(Matrix.Op.WALK, Matrix.Op.LOOKUP, Matrix.Op.TOUCH,
                Matrix.Op.PROTECT, Matrix.Op.MAP_UNMAP, Matrix.Op.MAP_UNMAP_FREE)) {
            assertEquals(perOp, plan.runs().stream().filter(c -> c.op() == op).count(),
                    "every op but fork and move runs the same cells: " + op);
        }
        long forks = plan.runs().stream().filter(c -> c.op() == Matrix.Op.FORK).count();
        assertEquals(perOp + (long) snaps * apis, forks, "fork runs every snapshot too");
        for (Scenario s : Scenario.snapshots()) {
            assertTrue(cells.contains("x86-64/4level " + s.word() + " real"), s.word());
        }
        List<Race.Combination> moves = plan.runs().stream()
                .filter(c -> c.op() == Matrix.Op.MOVE || c.op() == Matrix.Op.MOVE_UNALIGNED)
                .toList();
        assertEquals(3 * apis, moves.size(), "move on two cells, moveUnaligned on one");
        assertTrue(moves.stream().anyMatch(c -> c.op() == Matrix.Op.MOVE_UNALIGNED
                && c.scenario().equals("dense")));
        for (Race.Gap g : plan.gaps()) {
            assertTrue(g.reason().contains("does not support"), g.reason());
            assertEquals("future/6level", g.combination().geometry());
        }
        long unsupported = Apis.all().stream()
                .filter(o -> !o.supports(Geometries.byName("future/6level")).supported()).count();
        assertEquals(7 * unsupported, plan.gaps().size(),
                "quick runs dense 1G on 6level, every op but the moves");
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
    void snapshotsTakeTheirOwnSizeAndMovesTheirOwnGaps() {
        RaceConfig c = RaceConfig.of(RaceConfig.Mode.FULL, OUT)
                .withOps(List.of("fork", "move", "moveUnaligned"))
                .withGeometries(List.of("x86-64/4level", "arm64/64k-48"))
                .withScenarios(List.of("snap:java", "dense", "largest"))
                .withSizes(List.of("1G"))
                .withApis(List.of("floor"));
        Race.Plan plan = Race.plan(c);
        List<String> runs = plan.runs().stream()
                .map(x -> x.op().word() + " " + x.geometry() + " " + x.scenario() + " " + x.size())
                .toList();
        assertTrue(runs.contains("fork x86-64/4level snap:java real"), runs.toString());
        assertFalse(runs.stream().anyMatch(r -> r.contains("snap:java 1G")), "no size axis");
        assertFalse(runs.contains("fork arm64/64k-48 snap:java real"), "4K pages do not fit 64K");
        assertTrue(runs.contains("move x86-64/4level largest 1G"));
        assertTrue(runs.contains("moveUnaligned x86-64/4level dense 1G"));
        assertFalse(runs.contains("moveUnaligned x86-64/4level largest 1G"));
        assertFalse(runs.contains("move x86-64/4level snap:java real"));
        List<String> reasons = plan.gaps().stream().map(Race.Gap::reason).toList();
        assertTrue(reasons.stream().anyMatch(r -> r.contains("4K pages")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(r -> r.contains("split for good")));
        assertTrue(reasons.stream().anyMatch(r -> r.contains("not moved as a whole")));
        String[] args = Race.jvmArgs(plan.runs().stream()
                .filter(x -> x.scenario().equals("snap:java")).findFirst().orElseThrow());
        assertTrue(List.of(args).contains("-Xmx1g"));
        assertTrue(List.of(args).stream().anyMatch(a -> a.startsWith("-Dptarena.workloads=")),
                "the fork finds the snapshots wherever it starts");
    }

    @Test
    void moveDistanceIsAlignedToTheRange() {
        assertEquals(1L << 30, MoveBench.distance(1L << 30));
        assertEquals(4L << 20, MoveBench.distance(3L << 20));
        assertEquals(4096, MoveBench.distance(4096));
        var pae = Geometries.byName("x86/pae");
        String why = MoveBench.gap(Matrix.Op.MOVE, pae, Scenario.DENSE, 2L << 30);
        assertTrue(why != null && why.contains("does not fit"), why);
        assertNull(MoveBench.gap(Matrix.Op.MOVE, pae, Scenario.DENSE, 1L << 30));
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
        String ops = "walk, lookup, touch, protect, mapUnmap, mapUnmapFree, fork, move, moveUnaligned";
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

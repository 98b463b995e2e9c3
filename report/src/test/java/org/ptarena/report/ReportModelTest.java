package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How results become operations, cases and rows, and what the model concludes from them. */
class ReportModelTest {
    @TempDir Path dir;

    private static String results(String... parts) {
        return "[" + String.join(",\n", parts) + "]";
    }

    private static String row(String api, String rawData, String unit) {
        return JmhResultsTest.result("1.37", "org.ptarena.bench.WalkBench.walk",
                "\"api\" : \"" + api + "\",\n\"geometry\" : \"x86-64/4level\",\n\"size\" : \"1G\"",
                        rawData, null)
                .replace("\"scoreUnit\" : \"ns/op\"", "\"scoreUnit\" : \"" + unit + "\"");
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static ReportModel model(Path... files) throws Exception {
        return ReportModel.build(JmhResults.read(List.of(files)), Capabilities.none("test"),
                CodeSize.notFound("test"),
                Fixtures.CLOCK);
    }

    @Test void fixtureGroupsIntoOperationsCasesAndRows() {
        ReportModel m = Fixtures.small();
        assertEquals(List.of("legacy", "ptptr", "vpte", "floor"), m.apis());
        assertEquals(List.of("ptptr", "vpte"), m.challengers());
        assertEquals(List.of("walk", "protect"), m.ops().stream().map(ReportModel.Op::name)
                .toList(),
                "in the architecture's order, not the file's");
        for (ReportModel.Op op : m.ops()) {
            assertFalse(op.paramNames().contains("api"));
            for (ReportModel.Case c : op.cases()) {
                if (c.params().get("geometry").equals("future/6level")) {
                    assertEquals(List.of("legacy"), c.missing(),
                            "legacy has no sixth level: a gap, not a row");
                    assertNull(c.row("vpte").vsBaseline());
                    continue;
                }
                assertNotNull(c.row("legacy"), c.label());
                assertNull(c.row("legacy").vsBaseline(), "legacy is not compared with itself");
                assertTrue(Double.isNaN(c.row("floor").vsFloor()));
                assertNull(c.row("floor").vsBaseline(), "the floor is not compared with legacy");
                ReportModel.Row p = c.row("ptptr");
                assertNotNull(p.vsBaseline());
                assertEquals(p.time().center() / c.row("legacy").time().center(), p.vsBaseline()
                        .ratio().point(), 1e-12);
                assertEquals(p.time().center() / c.row("floor").time().center(), p.vsFloor(),
                        1e-12);
            }
        }
    }

    @Test void pagesPerOpComeFromThePagesCounter() {
        ReportModel m = Fixtures.small();
        boolean any = false;
        for (ReportModel.Case c : m.ops().get(0).cases()) {
            for (ReportModel.Row r : c.rows()) {
                if (Double.isNaN(r.pagesPerOp())) continue;
                any = true;
                assertEquals(Math.rint(r.pagesPerOp()), r.pagesPerOp(), "a whole number of pages: "
                        + c.label());
                assertEquals(r.time().center() / r.pagesPerOp(), r.nsPerPage().center(),
                        r.nsPerPage().center() * 0.25);
            }
        }
        assertTrue(any, "the fixture's benchmarks count pages");
    }

    @Test void twoForksASideCannotReachSignificanceAndTheModelSaysSo() throws Exception {
        Path f = write("two.json", results(row("legacy", "[[10.0], [11.0]]", "ns/op"), row("vpte",
                "[[5.0], [5.5]]", "ns/op")));
        ReportModel m = model(f);
        ReportModel.Comparison c = m.ops().get(0).cases().get(0).row("vpte").vsBaseline();
        assertEquals(ReportModel.Verdict.TOO_FEW, c.verdict());
        assertEquals(1.0 / 3, c.minP(), 1e-12);
        assertTrue(m.cannotReachSignificance());
        assertTrue(m.notes().get(0).contains("cannot reach significance"), m.notes().get(0));
        assertTrue(m.notes().get(0).contains("at least 4 forks a side"), m.notes().get(0));
    }

    @Test void fiveForksASideGiveAVerdictInTheUnitsDirection() throws Exception {
        String legacy = "[[10.0], [10.2], [9.9], [10.1], [10.3]]";
        String faster = "[[8.0], [8.1], [7.9], [8.2], [8.05]]";
        ReportModel time = model(write("t.json", results(row("legacy", legacy, "ns/op"), row("vpte",
                faster, "ns/op"))));
        assertEquals(ReportModel.Verdict.BETTER, time.ops().get(0).cases().get(0).row("vpte")
                .vsBaseline().verdict());
        assertFalse(time.ops().get(0).higherIsBetter());
        ReportModel thrpt = model(write("o.json", results(row("legacy", legacy, "ops/us"),
                row("vpte", faster, "ops/us"))));
        assertTrue(thrpt.ops().get(0).higherIsBetter());
        assertEquals(ReportModel.Verdict.WORSE, thrpt.ops().get(0).cases().get(0).row("vpte")
                .vsBaseline().verdict());
        String same = "[[10.1], [9.95], [10.25], [10.0], [10.15]]";
        ReportModel tie = model(write("s.json", results(row("legacy", legacy, "ns/op"), row("vpte",
                same, "ns/op"))));
        assertEquals(ReportModel.Verdict.SAME, tie.ops().get(0).cases().get(0).row("vpte")
                .vsBaseline().verdict());
        assertFalse(tie.cannotReachSignificance());
    }

    @Test void twoHostsStaySeparateAndTheSameHostIsPooled() throws Exception {
        String a = results(row("legacy", "[[10.0], [11.0]]", "ns/op"), row("vpte", "[[5.0], [5.5]]",
                "ns/op"));
        Path one = write("one.json", a);
        Path two = write("two.json", a);
        ReportModel hosts = model(one, two);
        assertEquals(List.of("one", "two"), hosts.run().hosts());
        assertEquals(2, hosts.ops().get(0).cases().size(), "one case per host");
        assertTrue(hosts.notes().stream().anyMatch(n -> n.contains("2 hosts")));
        Files.writeString(RunInfo.sidecarOf(one), new RunInfo("box", "d1", "c", "o", "u", 2, "cmd")
                .toJson());
        Files.writeString(RunInfo.sidecarOf(two), new RunInfo("box", "d2", "c", "o", "u", 2, "cmd")
                .toJson());
        ReportModel pooled = model(one, two);
        assertEquals(1, pooled.ops().get(0).cases().size());
        ReportModel.Row legacy = pooled.ops().get(0).cases().get(0).row("legacy");
        assertEquals(4, legacy.forks().length, "forks of both runs form one sample");
        assertEquals(2, legacy.files().size());
        assertTrue(pooled.notes().stream().anyMatch(n -> n.contains("pooled")));
    }

    @Test void geometricMeanOverCases() throws Exception {
        String two = results(
                row("legacy", "[[10.0]]", "ns/op"), row("vpte", "[[20.0]]", "ns/op"),
                row("legacy", "[[10.0]]", "ns/op").replace("\"1G\"", "\"8G\""),
                row("vpte", "[[5.0]]", "ns/op").replace("\"1G\"", "\"8G\""));
        ReportModel m = model(write("g.json", two));
        ReportModel.Geomean g = m.geomean("vpte", "legacy", null);
        assertEquals(1.0, g.value(), 1e-12, "sqrt(2 * 0.5)");
        assertEquals(2, g.count());
        assertEquals(g.value(), m.geomean("vpte", "legacy", "walk").value(), 1e-12);
    }

    @Test void nonFiniteForksAreDroppedAndCounted() throws Exception {
        ReportModel m = model(write("n.json", results(row("legacy", "[[10.0], [\"NaN\"], [12.0]]",
                "ns/op"))));
        ReportModel.Row r = m.ops().get(0).cases().get(0).row("legacy");
        assertEquals(2, r.forks().length);
        assertEquals(1, r.dropped());
        assertEquals(11, r.time().center(), 1e-12);
        assertTrue(m.notes().stream().anyMatch(n -> n.contains("1 fork(s) with a NaN")));
    }

    @Test void anImplementationMissingFromACaseIsListed() throws Exception {
        String json = results(row("legacy", "[[10.0]]", "ns/op"), row("vpte", "[[5.0]]", "ns/op"),
                row("vpte", "[[5.0]]", "ns/op").replace("x86-64/4level", "future/6level"));
        ReportModel m = model(write("m.json", json));
        ReportModel.Case six = m.ops().get(0).cases().get(1);
        assertEquals(List.of("legacy"), six.missing());
        assertNull(six.row("vpte").vsBaseline(), "no legacy here to compare with");
    }

    @Test void sameMethodNameInTwoClassesGivesClassQualifiedOps() throws Exception {
        String json = results(row("legacy", "[[10.0]]", "ns/op"),
                row("legacy", "[[10.0]]", "ns/op").replace("WalkBench.walk", "OtherBench.walk"));
        ReportModel m = model(write("q.json", json));
        assertEquals(List.of("OtherBench.walk", "WalkBench.walk"), m.ops().stream()
                .map(ReportModel.Op::name).toList());
    }
}

package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The charts the committed fixture cannot show: scaling over sizes, one-fork ratios; and the axes.
 */
class ChartTest {
    @TempDir Path dir;

    /** Walk at two sizes, each row with a pages counter (ns per page), as the bench writes it. */
    private ReportModel sized(String forks) throws Exception {
        return sized(forks, new String[][] {{"legacy", "dense", "table", "512"},
            {"legacy", "dense", "1G", "262144"}, {"vpte", "dense", "table", "512"},
            {"vpte", "dense", "1G", "262144"}});
    }

    /** Rows of api, scenario, size and pages per op. */
    private ReportModel sized(String forks, String[][] rows) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.length; i++) {
            double pages = Double.parseDouble(rows[i][3]);
            double perPage = rows[i][0].equals("legacy") ? 1.0 : 0.5;
            String raw = forks.replace("X", String.valueOf(perPage * pages));
            String pagesRaw = forks.replace("X", String.valueOf(perPage));
            String pagesMetric = JmhResultsTest.metric("pages", "ns/op", pagesRaw);
            String params = """
                    "api" : "%s",
                    "geometry" : "x86-64/4level",
                    "scenario" : "%s",
                    "size" : "%s\"""".formatted(rows[i][0], rows[i][1], rows[i][2]);
            sb.append(i == 0 ? "" : ",\n").append(JmhResultsTest.result("1.37",
                    "org.ptarena.bench.WalkBench.walk", params, raw, pagesMetric));
        }
        Path f = dir.resolve("sized.json");
        Files.writeString(f, sb.append("]").toString());
        return ReportModel.build(JmhResults.read(List.of(f)), Capabilities.none("test"),
                CodeSize.notFound("test"), Fixtures.CLOCK);
    }

    @Test void scalingChartDrawsOneLinePerImplementationOverPages() throws Exception {
        ReportModel m = sized("[[X], [X]]");
        ReportModel.Op op = m.ops().get(0);
        assertTrue(op.hasScaling());
        assertTrue(Svg.Chart.SCALING.available(op));
        Document doc = GoldenTest.parseXml(Svg.render(Svg.Chart.SCALING, m, op));
        NodeList paths = doc.getElementsByTagName("path");
        assertEquals(2, paths.getLength(), "legacy and vpte");
        for (int i = 0; i < paths.getLength(); i++) {
            String d = ((Element) paths.item(i)).getAttribute("d");
            String[] parts = d.replace("M", "").split(" L");
            assertEquals(2, parts.length, "two sizes: " + d);
            String y0 = parts[0].trim().split(" ")[1];
            String y1 = parts[1].trim().split(" ")[1];
            assertEquals(y0, y1, "ns per page is the same at both sizes: a flat line");
        }
        String html = Fixtures.render(new HtmlWriter(), m);
        assertTrue(html.contains("<figure id=\"walk-scaling\">"));
        GoldenTest.parseXml(html);
    }

    @Test void aSnapshotsRealSizeIsNoPointOnAScalingCurve() throws Exception {
        ReportModel m = sized("[[X], [X]]", new String[][] {{"legacy", "dense", "table", "512"},
            {"legacy", "dense", "1G", "262144"}, {"legacy", "snap:java", "real", "8844"},
            {"vpte", "dense", "table", "512"}, {"vpte", "dense", "1G", "262144"},
            {"vpte", "snap:java", "real", "8844"}});
        ReportModel.Op op = m.ops().get(0);
        ReportModel.Case snap = op.cases().stream()
                .filter(c -> c.params().get("size").equals("real")).findFirst().orElseThrow();
        ReportModel.Case dense = op.cases().get(0);
        assertEquals("", ReportModel.scalingParam(snap));
        assertEquals("size", ReportModel.scalingParam(dense));
        assertEquals("x86-64/4level snap:java real", ReportModel.scalingSeries(snap),
                "a series of its own");
        assertEquals("x86-64/4level dense", ReportModel.scalingSeries(dense));
        assertEquals(8844, snap.row("legacy").pagesPerOp());
        assertTrue(op.hasScaling());
        Document doc = GoldenTest.parseXml(Svg.render(Svg.Chart.SCALING, m, op));
        NodeList paths = doc.getElementsByTagName("path");
        assertEquals(2, paths.getLength(), "one panel: legacy and vpte over dense");
        for (int i = 0; i < paths.getLength(); i++) {
            String d = ((Element) paths.item(i)).getAttribute("d");
            assertEquals(2, d.split(" L").length, "the dense sizes only: " + d);
        }
    }

    @Test void oneForkGivesARatioWithoutIntervalAndSaysSo() throws Exception {
        ReportModel m = sized("[[X]]");
        ReportModel.Row vpte = m.ops().get(0).cases().get(0).row("vpte");
        assertEquals(0.5, vpte.vsBaseline().ratio().point(), 1e-12);
        assertTrue(Double.isNaN(vpte.vsBaseline().ratio().lo()));
        assertEquals(ReportModel.Verdict.TOO_FEW, vpte.vsBaseline().verdict());
        assertTrue(m.notes().get(0).contains("with 1 fork per benchmark"), m.notes().get(0));
        assertTrue(m.notes().get(0).contains("a ratio has no interval"), m.notes().get(0));
        String svg = Svg.render(Svg.Chart.RATIO, m, m.ops().get(0));
        assertFalse(svg.contains("NaN"), svg);
        GoldenTest.parseXml(svg);
        String txt = Fixtures.render(new TextWriter(), m);
        assertTrue(txt.contains("too few"), txt);
        assertFalse(txt.contains("NaN"), txt);
    }

    @Test void logAxisTicksAreOneTwoFiveAndNeverCrowd() {
        Svg.LogAxis x = Svg.LogAxis.of(1, 1000, 0, 600);
        List<Double> ticks = x.ticks();
        assertTrue(ticks.contains(1.0) && ticks.contains(10.0) && ticks.contains(100.0),
                ticks.toString());
        assertTrue(ticks.size() <= 600 / 55, ticks.toString());
        Svg.LogAxis narrow = Svg.LogAxis.of(1, 1e6, 0, 120);
        assertTrue(narrow.ticks().size() <= 2, narrow.ticks().toString());
        assertTrue(x.at(1) < x.at(10) && x.at(10) < x.at(100), "increasing");
        assertEquals(x.at(10) - x.at(1), x.at(100) - x.at(10), 1e-9, "logarithmic");
        assertThrows(IllegalArgumentException.class, () -> x.at(Double.NaN));
    }

    @Test void compactAndTrimmedLabels() {
        assertEquals("512", Svg.compact(512));
        assertEquals("262K", Svg.compact(262144));
        assertEquals("1.05M", Svg.compact(1048576));
        assertEquals("1.25", Svg.trimZeros("1.250"));
        assertEquals("100", Svg.trimZeros("100"));
        assertEquals("1", Svg.trimZeros("1.000"));
        assertEquals("100 ns", Svg.trimTime("100.0 ns"));
        assertEquals(50, Svg.niceCeiling(32));
        assertEquals(100, Svg.niceCeiling(89));
    }
}

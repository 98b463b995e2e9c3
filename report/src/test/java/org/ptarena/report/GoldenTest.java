package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Golden tests of every output on the committed JMH JSON, and the properties each output
 * promises: HTML and its SVG are well-formed (parsed here as XML) and fetch nothing, report.txt is
 * ASCII within 80 columns, the CSV has one row per benchmark and parameter setting. After an
 * intended change of the layout, regenerate the golden files with
 * {@code mvn -pl report test -Dtest=GoldenTest -Dptarena.golden=update} and read the diff.
 */
class GoldenTest {
    private static final boolean UPDATE = "update".equals(System.getProperty("ptarena.golden"));

    @TestFactory Stream<DynamicTest> everyOutputMatchesItsGoldenFile() {
        ReportModel m = Fixtures.small();
        return ReportWriter.all().stream().map(w -> dynamicTest(w.fileName(), () -> {
            String actual = Fixtures.render(w, m);
            Path golden = Fixtures.GOLDEN.resolve(w.fileName());
            if (UPDATE) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(golden), "missing golden file " + golden
                    + " (run with -Dptarena.golden=update)");
            String expected = Files.readString(golden, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) fail(firstDifference(w.fileName(), expected, actual));
        }));
    }

    @Test void renderingTwiceGivesTheSameBytes() {
        ReportModel a = Fixtures.small();
        ReportModel b = Fixtures.small();
        for (ReportWriter w : ReportWriter.all()) assertEquals(Fixtures.render(w, a),
                Fixtures.render(w, b), w.fileName());
    }

    @Test void htmlIsWellFormedSelfContainedAndHasEveryChart() throws Exception {
        ReportModel m = Fixtures.small();
        String html = Fixtures.render(new HtmlWriter(), m);
        Document doc = parseXml(html);
        assertEquals("html", doc.getDocumentElement().getTagName());
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no external stylesheet");
        assertFalse(html.contains("src=\""), "nothing loaded from anywhere");
        for (String url : List.of("http://", "https://")) {
            int at = html.indexOf(url);
            while (at >= 0) {
                assertTrue(html.startsWith("http://www.w3.org/2000/svg", at),
                        "only the SVG namespace is a URL: " + html.substring(at,
                        Math.min(html.length(), at + 60)));
                at = html.indexOf(url, at + 1);
            }
        }
        NodeList svgs = doc.getElementsByTagName("svg");
        int expected = 0;
        for (ReportModel.Op op : m.ops()) {
            for (Svg.Chart c : Svg.Chart.values()) {
                if (!c.available(op)) continue;
                expected++;
                assertTrue(html.contains("<figure id=\"" + c.id(op) + "\">"), c.id(op));
            }
        }
        assertTrue(expected >= 3 * m.ops().size(),
                "the fixture has fork, ratio and allocation charts for every op");
        assertEquals(expected, svgs.getLength());
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            assertEquals("http://www.w3.org/2000/svg", svg.getAttribute("xmlns"));
            assertTrue(svg.getElementsByTagName("title").getLength() > 0,
                    "every chart has a title");
        }
    }

    @Test void everyChartIsAWellFormedSvgDocumentOnItsOwn() throws Exception {
        ReportModel m = Fixtures.small();
        int charts = 0;
        for (ReportModel.Op op : m.ops()) {
            for (Svg.Chart c : Svg.Chart.values()) {
                if (!c.available(op)) continue;
                String svg = Svg.render(c, m, op);
                Document doc = parseXml(svg);
                assertEquals("svg", doc.getDocumentElement().getTagName());
                assertTrue(doc.getElementsByTagName("circle").getLength()
                        + doc.getElementsByTagName("rect").getLength() > 2);
                charts++;
            }
        }
        assertTrue(charts > 0);
    }

    @Test void forkChartDrawsEveryFork() throws Exception {
        ReportModel m = Fixtures.small();
        ReportModel.Op op = m.ops().get(0);
        int forks = 0;
        for (ReportModel.Case c : op.cases()) {
            for (ReportModel.Row r : c.rows()) forks += r.forks().length;
        }
        Document doc = parseXml(Svg.render(Svg.Chart.FORKS, m, op));
        NodeList circles = doc.getElementsByTagName("circle");
        int dots = 0;
        for (int i = 0; i < circles.getLength(); i++) {
            if ("2.4".equals(((Element) circles.item(i)).getAttribute("r"))) dots++;
        }
        assertEquals(forks, dots);
    }

    @Test void textIsAsciiWithinEightyColumns() {
        String txt = Fixtures.render(new TextWriter(), Fixtures.small());
        String[] lines = txt.split("\n", -1);
        assertTrue(lines.length > 40);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            assertTrue(line.length() <= 80, "line " + (i + 1) + " has " + line.length()
                    + " columns: " + line);
            for (char c : line.toCharArray()) {
                assertTrue(c >= 32 && c < 127, "line " + (i + 1) + " has a non-ASCII character: "
                        + line);
            }
        }
    }

    @Test void textEmitWrapsWhatIsTooWide() {
        List<String> out = TextWriter.emit("word ".repeat(40) + "\u00d7 and a " + "x".repeat(100));
        for (String l : out) assertTrue(l.length() <= 80, l);
        assertTrue(String.join(" ", out).contains("x and a"));
    }

    @Test void csvHasOneRowPerResultAndAConsistentWidth() throws Exception {
        ReportModel m = Fixtures.small();
        String csv = Fixtures.render(new CsvWriter(), m);
        String[] lines = csv.split("\r\n");
        JmhResults results = JmhResults.read(List.of(Fixtures.SMALL));
        assertEquals(results.results().size() + 1, lines.length);
        int width = lines[0].split(",", -1).length;
        for (String l : lines) assertEquals(width, l.split(",", -1).length, l);
        assertTrue(lines[0].startsWith("host,benchmark,op,unit,api,"));
    }

    @Test void markdownLinksEveryChart() {
        ReportModel m = Fixtures.small();
        String md = Fixtures.render(new MarkdownWriter(), m);
        for (ReportModel.Op op : m.ops()) {
            for (Svg.Chart c : Svg.Chart.values()) {
                if (c.available(op)) assertTrue(md.contains("(index.html#" + c.id(op) + ")"),
                        c.id(op));
            }
        }
    }

    static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static String firstDifference(String name, String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String x = i < e.length ? e[i] : "<end>";
            String y = i < a.length ? a[i] : "<end>";
            if (!x.equals(y)) {
                out.add(name + " differs from its golden file at line " + (i + 1) + ":");
                out.add("  golden: " + x);
                out.add("  actual: " + y);
                out.add("(after an intended change: -Dptarena.golden=update, then read the diff)");
                break;
            }
        }
        return String.join("\n", out);
    }
}

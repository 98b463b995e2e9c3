package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.snap.SnapStat;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.Workloads;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The "Real workloads" section, on a fork race of the committed {@code java} snapshot (the
 * fixture {@code jmh-snap.json}, recorded from a real run) and on the committed snapshots
 * themselves, found from the working directory as the report finds them.
 */
class RealWorkloadsTest {
    /** A fork race: {@code snap:java real} and {@code dense 1G}, four implementations each. */
    static final Path SNAP = Fixtures.DIR.resolve("jmh-snap.json");

    @TempDir Path dir;

    private static JmhResults results(Path file) {
        try {
            return JmhResults.read(List.of(file));
        } catch (JmhFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ReportModel model(JmhResults results, RealWorkloads real) {
        try {
            return ReportModel.build(results, Fixtures.capabilities(),
                    CodeSize.count(Fixtures.CHECKOUT), real, Fixtures.CLOCK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ReportModel snapModel() {
        JmhResults r = results(SNAP);
        return model(r, RealWorkloads.load(r, null));
    }

    private static SnapStat committed(String name) throws IOException {
        return SnapStat.of(name, Workloads.snapshot(name));
    }

    /** {@code part} of {@code whole} as SnapStat prints a share, computed here on its own. */
    private static String pct(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static void assertBefore(String text, String first, String second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        assertTrue(a >= 0, "missing: " + first);
        assertTrue(b >= 0, "missing: " + second);
        assertTrue(a < b, first + " comes before " + second);
    }

    private static void assertTextFits(String txt) {
        String[] lines = txt.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].length() <= TextWriter.WIDTH, "line " + (i + 1) + " has "
                    + lines[i].length() + " columns: " + lines[i]);
            for (char c : lines[i].toCharArray()) {
                assertTrue(c >= 32 && c < 127, "line " + (i + 1) + " is not ASCII: " + lines[i]);
            }
        }
    }

    /** The section's lines of report.txt, from its title to the next section's. */
    private static List<String> textSection(String txt) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : txt.split("\n", -1)) {
            if (l.equals(Prose.REAL_WORKLOADS)) in = true;
            else if (in && l.startsWith("Capability matrix")) break;
            if (in) out.add(l);
        }
        return out;
    }

    @Test void theResultsNameTheSnapshotsTheyRaced() {
        assertEquals(List.of("java"), RealWorkloads.names(results(SNAP)));
        assertEquals(List.of(), RealWorkloads.names(results(Fixtures.SMALL)));
        assertEquals("java", RealWorkloads.snapshotOf("snap:java"));
        assertNull(RealWorkloads.snapshotOf("dense"));
    }

    @Test void withoutASnapshotScenarioThereIsNoSection() {
        ReportModel m = Fixtures.small();
        assertFalse(m.realWorkloads().present());
        for (ReportWriter w : ReportWriter.all()) {
            String out = Fixtures.render(w, m);
            assertFalse(out.contains(Prose.REAL_WORKLOADS), w.fileName());
            assertFalse(out.contains("snap_"), w.fileName());
        }
    }

    @Test void markdownShowsTheTableWithFullHeadingsBetweenOperationsAndCapabilities()
            throws IOException {
        ReportModel m = snapModel();
        String md = Fixtures.render(new MarkdownWriter(), m);
        assertBefore(md, "## fork", "## " + Prose.REAL_WORKLOADS);
        assertBefore(md, "## " + Prose.REAL_WORKLOADS, "## Capability matrix");
        SnapStat java = committed("java");
        assertTrue(md.contains("| " + String.join(" | ", SnapStat.headings(4, 9, 12)) + " |"));
        assertTrue(md.contains("| 64K present | 64K foldable | 2M present | 2M foldable |"));
        assertTrue(md.contains("| " + String.join(" | ", java.row()) + " |"), md);
        assertTrue(md.contains("\n" + m.realWorkloads().finding() + "\n"));
        assertTrue(md.contains("The race results of these snapshots are in the [fork](#fork) "
                + "section above: x86-64/4level snap:java real."), md);
        assertFalse(md.contains("\n| all |"), "one snapshot: no total row");
    }

    @Test void textFitsEightyColumnsWithShortHeadingsExplainedBelow() throws IOException {
        ReportModel m = snapModel();
        String txt = Fixtures.render(new TextWriter(), m);
        assertTextFits(txt);
        assertBefore(txt, "\nfork -- ", "\n" + Prose.REAL_WORKLOADS + "\n");
        assertBefore(txt, "\n" + Prose.REAL_WORKLOADS + "\n", "\nCapability matrix");
        List<String> section = textSection(txt);
        assertEquals("--------------", section.get(1));
        assertEquals(List.of("snapshot", "VMAs", "pages", "runs", "pfns", "THP%", "64K%", "64Kf%",
                "2M%", "2Mf%"), List.of(section.get(3).trim().split(" +")));
        SnapStat java = committed("java");
        List<String> cells = new ArrayList<>();
        for (String c : java.row()) cells.add(c.replace("%", ""));
        assertEquals(cells, List.of(section.get(4).trim().split(" +")));
        String joined = String.join(" ", section).replaceAll(" +", " ");
        for (String h : List.of("THP%:", "64K%, 2M%:", "64Kf%, 2Mf%:")) {
            assertTrue(joined.contains(h), "explained: " + h);
        }
        assertTrue(joined.contains(m.realWorkloads().finding()), joined);
        assertTrue(joined.contains("in the fork section above: x86-64/4level snap:java real."));
    }

    @Test void htmlShowsTheTableAndLinksTheForkSection() throws Exception {
        ReportModel m = snapModel();
        String html = Fixtures.render(new HtmlWriter(), m);
        Document doc = GoldenTest.parseXml(html);
        assertTrue(html.contains("<a href=\"#real-workloads\">" + Prose.REAL_WORKLOADS + "</a>"));
        assertBefore(html, "<h2 id=\"fork\">", "<h2 id=\"real-workloads\">");
        assertBefore(html, "<h2 id=\"real-workloads\">", "<h2 id=\"capabilities\">");
        assertTrue(html.contains("in the <a href=\"#fork\">fork</a> section above"), html);
        SnapStat java = committed("java");
        NodeList rows = doc.getElementsByTagName("tr");
        boolean headed = false;
        boolean found = false;
        for (int i = 0; i < rows.getLength(); i++) {
            List<String> cells = new ArrayList<>();
            NodeList kids = ((Element) rows.item(i)).getChildNodes();
            for (int k = 0; k < kids.getLength(); k++) cells.add(kids.item(k).getTextContent());
            headed |= cells.equals(SnapStat.headings(4, 9, 12));
            found |= cells.equals(java.row());
        }
        assertTrue(headed, "full headings");
        assertTrue(found, "the java row as SnapStat gives it");
    }

    @Test void csvCarriesTheSnapshotOfEachRowInItsOwnColumns() throws IOException {
        ReportModel m = snapModel();
        String[] lines = Fixtures.render(new CsvWriter(), m).split("\r\n");
        List<String> head = List.of(lines[0].split(",", -1));
        assertTrue(head.containsAll(CsvWriter.SNAP_COLUMNS));
        int scenario = head.indexOf("scenario");
        int pages = head.indexOf("snap_pages");
        int contig = head.indexOf("snap_contig_foldable_pages");
        int pmdBytes = head.indexOf("snap_pmd_bytes");
        SnapStat java = committed("java");
        int snapRows = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(head.size(), f.length, lines[i]);
            if (f[scenario].equals("snap:java")) {
                snapRows++;
                assertEquals(String.valueOf(java.pages()), f[pages]);
                assertEquals(String.valueOf(java.contigFoldable()), f[contig]);
                assertEquals("2097152", f[pmdBytes]);
            } else {
                assertEquals("", f[pages], "a dense case raced no snapshot");
            }
        }
        assertEquals(4, snapRows, "legacy, ptptr, vpte and the floor");
    }

    @Test void findingMatchesSnapStatForEveryCommittedSnapshot() throws IOException {
        List<String> names = new ArrayList<>(Workloads.snapshots().keySet());
        assertTrue(names.size() >= 2, "the checkout commits snapshots: " + names);
        long pages = 0;
        long contigPresent = 0;
        long contigFoldable = 0;
        long pmdPresent = 0;
        long pmdFoldable = 0;
        long thp = 0;
        for (String name : names) {
            SnapStat s = committed(name);
            String f = RealWorkloads.of(List.of(name), Workloads::snapshot).finding();
            assertTrue(f.startsWith("Of " + s.pages() + " present pages in " + name + ", "
                    + pct(s.contigPresent(), s.pages()) + " lie in fully present, aligned 64K "
                    + "blocks"), f);
            if (s.realPfns()) {
                assertTrue(f.contains("but only " + pct(s.contigFoldable(), s.pages())
                        + " could be folded"), f);
                assertTrue(f.contains("2M leaves: " + pct(s.pmdPresent(), s.pages())
                        + " lie in fully present 2M blocks and " + pct(s.pmdFoldable(), s.pages())
                        + " in foldable ones (THPs map " + pct(s.thpPages(), s.pages()) + ")."), f);
            }
            pages += s.pages();
            contigPresent += s.contigPresent();
            contigFoldable += s.contigFoldable();
            pmdPresent += s.pmdPresent();
            pmdFoldable += s.pmdFoldable();
            thp += s.thpPages();
        }
        RealWorkloads all = RealWorkloads.of(names, Workloads::snapshot);
        assertNull(all.missing());
        assertEquals(names.size() + 1, all.rows().size(), "a total row");
        assertEquals(RealWorkloads.TOTAL, all.rows().get(names.size()).name());
        String f = all.finding();
        assertTrue(f.startsWith("Of " + pages + " present pages in " + names.size()
                + " snapshots (" + String.join(", ", names) + "), " + pct(contigPresent, pages)
                + " lie in"), f);
        assertTrue(f.contains("but only " + pct(contigFoldable, pages) + " could be folded"), f);
        assertTrue(f.contains("2M leaves: " + pct(pmdPresent, pages) + " lie in fully present 2M "
                + "blocks and " + pct(pmdFoldable, pages) + " in foldable ones (THPs map "
                + pct(thp, pages) + ")."), f);
    }

    @Test void everyCommittedSnapshotAndALongNameFitEightyColumns() throws IOException {
        List<String> names = new ArrayList<>(Workloads.snapshots().keySet());
        String longName = "a-snapshot-with-a-name-far-too-long-for-the-table";
        names.add(longName);
        RealWorkloads real = RealWorkloads.of(names,
                n -> Workloads.snapshot(n.equals(longName) ? "java" : n));
        String txt = Fixtures.render(new TextWriter(), model(results(SNAP), real));
        assertTextFits(txt);
        List<String> section = textSection(txt);
        int rows = 0;
        for (String l : section) {
            if (l.startsWith("  a-snapshot-with-a-name-")) {
                assertTrue(l.matches("  a-snapshot-with-a-name-\\S*~ .*"),
                        "cut, not wrapped: " + l);
            }
            if (l.startsWith("  ") && l.trim().split(" +").length == 10) rows++;
        }
        assertEquals(1 + names.size() + 1, rows, "headings, every snapshot and the total");
    }

    @Test void aMissingSnapshotIsOneLineNamingWhatWasLookedFor() throws Exception {
        Path workloads = Files.createDirectories(dir.resolve("workloads").resolve("snapshots"))
                .getParent();
        Files.copy(Workloads.dir().resolve("snapshots").resolve("java.snap"),
                workloads.resolve("snapshots").resolve("cc1.snap"));
        JmhResults r = results(SNAP);
        RealWorkloads real = withWorkloads(workloads.toString(), () -> RealWorkloads.load(r, null));
        assertTrue(real.present());
        assertTrue(real.stats().isEmpty());
        assertNull(real.finding());
        assertEquals("Snapshot not shown: no snapshot 'java' in workloads/snapshots \u2014 known: "
                + "cc1.", real.missing());
        ReportModel m = model(r, real);
        for (ReportWriter w : ReportWriter.all()) Fixtures.render(w, m);
        String txt = Fixtures.render(new TextWriter(), m);
        assertTextFits(txt);
        String section = String.join("\n", textSection(txt));
        assertTrue(section.contains("Snapshot not shown: no snapshot 'java' in"), section);
        assertFalse(section.contains("VMAs"), "no table");
        assertTrue(section.contains("in the fork section above"), "the pointer stays");
        String md = Fixtures.render(new MarkdownWriter(), m);
        assertTrue(md.contains("\n" + real.missing() + "\n"));
        GoldenTest.parseXml(Fixtures.render(new HtmlWriter(), m));
    }

    @Test void noWorkloadsDirectoryFallsBackToTheCheckoutOrSaysSo() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        JmhResults r = results(SNAP);
        RealWorkloads none = withWorkloads(nowhere.toString(), () -> RealWorkloads.load(r, null));
        assertTrue(none.stats().isEmpty());
        assertTrue(none.missing().startsWith("Snapshot not shown: no workloads/snapshots/java.snap "
                + "was found"), none.missing());
        assertFalse(none.missing().contains(dir.toString()), "no path of this machine");
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("workloads").resolve("snapshots"));
        Files.copy(Workloads.dir().resolve("snapshots").resolve("java.snap"),
                checkout.resolve("workloads").resolve("snapshots").resolve("java.snap"));
        RealWorkloads found = withWorkloads(nowhere.toString(),
                () -> RealWorkloads.load(r, checkout));
        assertNull(found.missing());
        assertEquals(committed("java"), found.stat("java"));
    }

    @Test void theSnapshotsFoundAreShownAndTheOthersNamed() throws IOException {
        RealWorkloads real = RealWorkloads.of(List.of("java", "no-such-process"),
                RealWorkloads.committed(List.of()));
        assertEquals(List.of(committed("java")), real.stats());
        assertNull(real.total(), "one snapshot found: no total");
        assertNotNull(real.finding());
        assertTrue(real.missing().startsWith("Snapshot not shown: no snapshot 'no-such-process' "
                + "in workloads/snapshots \u2014 known: "), real.missing());
        assertEquals(1, real.missing().split("\n").length);
    }

    @Test void syntheticPfnsLeaveFoldabilityUnknown() throws IOException {
        Snapshot j = Workloads.snapshot("java");
        Snapshot synthetic = new Snapshot(j.notes(), j.arch(), j.pageShift(), false, j.vmas());
        RealWorkloads real = RealWorkloads.of(List.of("java"), n -> synthetic);
        SnapStat s = real.stats().get(0);
        assertEquals(List.of("java", String.valueOf(s.vmas()), String.valueOf(s.pages()),
                String.valueOf(s.runs()), "synth", pct(s.thpPages(), s.pages()).replace("%", ""),
                pct(s.contigPresent(), s.pages()).replace("%", ""), "n/a",
                pct(s.pmdPresent(), s.pages()).replace("%", ""), "n/a"),
                RealWorkloads.textRow(s));
        assertTrue(real.finding().contains("how many could be folded with today's frames is "
                + "unknown (synthetic pfns)"), real.finding());
        assertFalse(real.finding().contains("but only"), real.finding());
    }

    @Test void aMalformedSnapshotIsNamedWithoutItsPath() throws IOException {
        Path bad = dir.resolve("bad.snap");
        Files.writeString(bad, "snapshot 1\narch x86_64\npage-shift twelve\n");
        RealWorkloads real = RealWorkloads.of(List.of("bad"), n -> Snapshot.read(bad));
        assertTrue(real.missing().startsWith("Snapshot not shown: snapshots/bad.snap is "
                + "malformed: bad.snap:"), real.missing());
        assertFalse(real.missing().contains(dir.toString()));
    }

    /** Runs {@code body} with {@code -Dptarena.workloads} set to {@code value}, then restores. */
    private static <T> T withWorkloads(String value, ThrowingSupplier<T> body) throws Exception {
        String old = System.getProperty(Workloads.PROPERTY);
        System.setProperty(Workloads.PROPERTY, value);
        try {
            return body.get();
        } finally {
            if (old == null) System.clearProperty(Workloads.PROPERTY);
            else System.setProperty(Workloads.PROPERTY, old);
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Test void severalOperationsOnSnapshotsAreNamedOnceWithTheirLayouts() throws IOException {
        // the fixture's snap:java fork cases, copied as walk cases: two operations on snapshots
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = (ArrayNode) json.readTree(SNAP.toFile());
        List<JsonNode> walks = new ArrayList<>();
        for (JsonNode r : all) {
            if (r.get("params").get("scenario").asText().startsWith("snap:")) {
                ObjectNode copy = r.deepCopy();
                copy.put("benchmark", "org.ptarena.bench.WalkBench.walk");
                walks.add(copy);
            }
        }
        assertFalse(walks.isEmpty());
        walks.forEach(all::add);
        Path file = dir.resolve("two-ops.json");
        json.writeValue(file.toFile(), all);
        JmhResults r = results(file);
        ReportModel m = model(r, RealWorkloads.load(r, null));
        String md = Fixtures.render(new MarkdownWriter(), m);
        assertTrue(md.contains("The race results of these snapshots are in the [walk](#walk) and "
                + "[fork](#fork) sections above, as the snap:NAME real cases on x86-64/4level."),
                md);
        assertTextFits(Fixtures.render(new TextWriter(), m));
    }
}

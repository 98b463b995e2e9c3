package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import picocli.CommandLine;

/** Runs {@code ptarena} in-process, as a user would, and reads its exit status and output. */
class CliTest {
    /** The repository root, from the cli module's working directory. */
    static final Path ROOT = Path.of("..");
    static final Path EXAMPLES = ROOT.resolve("examples");

    @TempDir Path tmp;

    record Run(int exit, String out, String err) {
        @Override public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private static String lineFor(Run r, Geometry g) {
        return r.out().lines().filter(l -> l.startsWith(g.name() + " ")).findFirst().orElseThrow();
    }

    @Test void geometriesListsEveryCatalogLayoutOnItsOwnLine() {
        Run r = run("geometries");
        assertEquals(0, r.exit(), r::toString);
        List<Geometry> catalog = Geometries.catalog();
        assertEquals(15, catalog.size());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("NAME "), r::toString);
        for (Geometry g : catalog) {
            long n = lines.stream().filter(l -> l.startsWith(g.name() + " ")).count();
            assertEquals(1, n, () -> g.name() + " listed " + n + " times\n" + r);
            assertTrue(lineFor(r, g).contains(" " + g.bitsString() + " "), r::toString);
        }
        assertTrue(r.out().contains("generic/PAGESHIFT/LEVELS"), r::toString);
        assertTrue(r.out().contains("generic/12/6,9L,9Lc16"), r::toString);
        assertEquals("", r.err());
    }

    @Test void geometriesWithImplShowsEverySupportAndEveryReason() {
        List<PageTableOps> impls = Apis.all();
        assertEquals(List.of("legacy", "ptptr", "vpte"),
                impls.stream().map(PageTableOps::name).toList(), "the cli holds the three designs");
        Run r = run("geometries", "--impl");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().lines().findFirst().orElseThrow().matches("NAME .* legacy +ptptr +vpte"),
                r::toString);
        for (Geometry g : Geometries.catalog()) {
            List<String> cells = List.of(lineFor(r, g).trim().split(" +"));
            for (int i = 0; i < 3; i++) {
                boolean yes = impls.get(i).supports(g).supported();
                assertEquals(yes ? "yes" : "no", cells.get(cells.size() - 3 + i), r::toString);
                String reason = impls.get(i).name() + " on " + g.name() + ": unsupported: ";
                assertEquals(!yes, r.out().contains(reason), () -> reason + "\n" + r);
            }
        }
        // the cascade's five named levels stop short of a sixth (ARCHITECTURE "Equivalence")
        assertTrue(r.out().contains("legacy on future/6level: unsupported: "), r::toString);
    }

    @Test void geometriesWithOneImplShowsOnlyThatColumn() {
        Run r = run("geometries", "--impl", "ptptr", "--impl", "ptptr");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().lines().findFirst().orElseThrow().matches("NAME .* FORMAT +ptptr"),
                r::toString);
        for (Geometry g : Geometries.catalog()) {
            assertTrue(lineFor(r, g).matches(".* (yes|no)"), r::toString);
        }
        assertFalse(r.out().contains("legacy"), r::toString);
    }

    @Test void everyExampleTracePasses() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            s.map(Path::toString).filter(p -> p.endsWith(".trace")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 6, () -> "examples: " + files);
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(files);
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        for (String f : files) {
            assertTrue(r.out().contains("PASS " + f + " — "), () -> f + "\n" + r);
        }
        String summary = files.size() + " traces: " + files.size() + " passed, 0 failed";
        assertTrue(r.out().contains(summary), r::toString);
    }

    @Test void theReadmeWorkedExamplePasses() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("```", readme.indexOf("A worked example"));
        int to = readme.indexOf("```", from + 3);
        assertTrue(from > 0 && to > from, "README.md has its worked example");
        Path t = write("readme.trace", readme.substring(readme.indexOf('\n', from) + 1, to));
        Run r = run("check", t.toString());
        assertEquals(0, r.exit(), r::toString);
        long statements = Files.readAllLines(t).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("geometry"))
                .count();
        String pass = " — " + statements + " statements; oracle, legacy, ptptr, vpte agree";
        assertEquals("PASS " + t + pass + "\n", r.out(), r::toString);
        assertTrue(readme.contains("PASS that.trace" + pass), "README quotes the pass line");
    }

    @Test void aPassNamesEveryImplementationThatAgreed() throws IOException {
        Path t = write("small.trace", "geometry x86-64/4level\nmm A\n"
                + "map A 0x1000 +4K pfn=0x1 prot=r--u\n"
                + "expect A 0x1000 order=0 pfn=0x1 prot=r--u\n");
        Run r = run("check", t.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("PASS " + t + " — 3 statements; oracle, legacy, ptptr, vpte agree\n", r.out(),
                r::toString);
        assertEquals("", r.err());
    }

    @Test void anImplementationWithoutTheGeometryIsReportedNotFailed() throws IOException {
        Path t = write("six.trace", "geometry future/6level\nmm A\n"
                + "map A 0x7ffffffffffff000 0x8000000000000000 pfn=0x1 prot=rw-u\n");
        Run r = run("check", "--impl", "legacy", "--impl", "vpte", t.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("PASS " + t + " — 2 statements; oracle, vpte agree\n"),
                r::toString);
        assertTrue(r.out().contains("\n  legacy: unsupported: "), r::toString);
        assertFalse(r.out().contains("ptptr"), r::toString);
    }

    @Test void aMalformedTraceExits2NamingFileLineAndColumnAndRunsNothing() throws IOException {
        Path good = write("good.trace", "geometry x86-64/4level\nmm A\n");
        Path bad = write("bad.trace", "geometry x86-64/4level\nmm A\nunmap A 0x1000 +4K\n"
                + "protect A 0x1000 +4K prot=rwzu\n");
        Run r = run("check", good.toString(), bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(bad + ":4:27: "), r::toString);
        assertTrue(r.err().contains("rwzu"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertEquals("", r.out(), "nothing is run when a file is bad");
    }

    @Test void aMissingFileExits2AndRunsNothing() throws IOException {
        Path good = write("good.trace", "geometry x86-64/4level\nmm A\n");
        Path missing = tmp.resolve("no-such.trace");
        Run r = run("check", good.toString(), missing.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(missing + ": no such file\n", r.err(), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test void anUnknownImplementationExits2ListingTheKnownOnes() throws IOException {
        Path good = write("good.trace", "geometry x86-64/4level\nmm A\n");
        Run r = run("check", "--impl", "cascade", good.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith("--impl: unknown implementation 'cascade'"), r::toString);
        assertTrue(r.err().contains("legacy, ptptr, vpte"), r::toString);
        assertEquals("", r.out(), r::toString);
        Run g = run("geometries", "--impl", "cascade");
        assertEquals(2, g.exit(), g::toString);
        assertTrue(g.err().contains("'cascade'"), g::toString);
    }

    @Test void aFailingExpectationExits1NamingItsLine() throws IOException {
        Path t = write("wrong.trace", "# the leaf is 2M, not 4K\ngeometry x86-64/4level\nmm A\n"
                + "map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest\n"
                + "expect A 0x200000 order=0\n"
                + "expect-rss A 512\n");
        Path good = write("good.trace", "geometry x86-64/4level\nmm A\n");
        Run r = run("check", t.toString(), good.toString());
        assertEquals(1, r.exit(), r::toString);
        String fail = r.out().lines().filter(l -> l.startsWith("FAIL ")).findFirst().orElse("");
        assertTrue(fail.contains(t + ": after line 5 "), r::toString);
        assertTrue(fail.contains("order 9, expected 0"), r::toString);
        assertTrue(r.out().contains("PASS " + good), "the other trace still runs\n" + r);
        assertTrue(r.out().contains("2 traces: 1 passed, 1 failed"), r::toString);
    }

    @Test void aStatementThatShouldBeRefusedButIsNotExits1() throws IOException {
        Path t = write("nofail.trace", "geometry x86-64/4level\nmm A\n"
                + "fail map A 0x200000 +4K pfn=0x1 prot=rw-u\n");
        Run r = run("check", t.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().startsWith("FAIL " + t + ": after line 3 "), r::toString);
        assertTrue(r.out().contains("not refused"), r::toString);
    }

    @Test void manyTracesReportProgressOnStderrOnly() throws IOException {
        List<String> args = new ArrayList<>(List.of("check", "--impl", "vpte"));
        for (int i = 0; i < CheckCommand.PROGRESS_FROM; i++) {
            args.add(write("t" + i + ".trace", "geometry riscv/sv39\nmm A\n").toString());
        }
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().startsWith("[1/" + CheckCommand.PROGRESS_FROM + "] "), r::toString);
        assertEquals(CheckCommand.PROGRESS_FROM, r.err().lines().count(), r::toString);
        assertFalse(r.out().contains("["), "progress stays off stdout\n" + r);

        Run few = run("check", args.get(3), args.get(4));
        assertEquals("", few.err(), "a few traces need no progress\n" + few);
    }

    @Test void helpDocumentsTheExitStatuses() {
        Run r = run("check", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertAll(
                () -> assertTrue(r.out().contains("Exit status:"), r::toString),
                () -> assertTrue(r.out().contains("0   every trace passed"), r::toString),
                () -> assertTrue(r.out().contains("1   a disagreement"), r::toString),
                () -> assertTrue(r.out().contains("2   bad input"), r::toString));
        assertTrue(run("--help").out().contains("Exit status:"));
        assertTrue(run("help", "geometries").out().contains("Exit status:"));
    }

    @Test void noSubcommandOrAnUnknownOneIsBadInput() {
        Run none = run();
        assertEquals(2, none.exit(), none::toString);
        assertTrue(none.err().contains("geometries, check"), none::toString);
        assertEquals(2, run("nosuch").exit(), "an unknown subcommand");
        assertEquals(2, run("check").exit(), "check needs a trace");
    }

    @Test void versionNamesTheProjectVersion() {
        Run r = run("--version");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("ptarena \\d+\\.\\d+\\.\\d+\\S*\\R"), r::toString);
    }
}

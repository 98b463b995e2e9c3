package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ptarena race} in-process: bad arguments exit 2 before anything runs, {@code --list}
 * shows the plan, and a tiny real race (two combinations, one fork each) leaves the JMH JSON,
 * the run file and the report.
 */
class RaceCommandTest {
    @TempDir Path tmp;

    @Test void unknownOpIsBadInputAndNothingRuns() {
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("race", "--ops", "walk,bogus", "--out", out.toString());
        assertEquals(Exit.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("bogus"), r::toString);
        assertFalse(Files.exists(out));
    }

    @Test void unknownGeometryIsBadInput() {
        CliTest.Run r = CliTest.run("race", "--geometries", "x86-64/3level", "--out",
                tmp.resolve("o").toString());
        assertEquals(Exit.BAD_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("x86-64/3level"), r::toString);
    }

    @Test void quickAndFullExcludeEachOther() {
        CliTest.Run r = CliTest.run("race", "--quick", "--full", "--list");
        assertEquals(Exit.BAD_INPUT, r.exit(), r::toString);
    }

    @Test void listShowsThePlanWithItsGaps() {
        CliTest.Run r = CliTest.run("race", "--list", "--ops", "walk", "--geometries",
                "future/6level",
                "--scenarios", "dense", "--sizes", "1G", "--out", tmp.resolve("o").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out()
                .contains("WalkBench.walk api=vpte geometry=future/6level scenario=dense size=1G"),
                r::toString);
        assertTrue(r.out().contains("gap: WalkBench.walk api=legacy geometry=future/6level"),
                "legacy has no sixth level: " + r);
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test void progressLinesReachTheWriterWhole() {
        StringWriter sw = new StringWriter();
        try (PrintStream ps = RaceCommand.lines(new PrintWriter(sw))) {
            ps.print("[1/2] a");
            ps.println(" b");
            ps.printf("[2/2] \u2014 c%n");
        }
        assertEquals(List.of("[1/2] a b", "[2/2] \u2014 c"), sw.toString().lines().toList());
    }

    @Test void aTinyRaceLeavesTheJsonTheRunFileAndTheReport() throws Exception {
        Path out = tmp.resolve("race");
        // JMH refuses to start while another JMH run holds its lock, as one may on a shared machine
        String lock = System.setProperty("jmh.ignoreLock", "true");
        CliTest.Run r;
        try {
            r = CliTest.run("race", "--ops", "walk", "--geometries", "x86-64/4level", "--scenarios",
                    "dense",
                "--sizes", "table", "--apis", "legacy,vpte", "--forks", "1", "--out",
                        out.toString());
        } finally {
            if (lock == null) System.clearProperty("jmh.ignoreLock");
            else System.setProperty("jmh.ignoreLock", lock);
        }
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("[1/2] "), "progress: " + r);
        assertTrue(r.err().contains("[2/2] "), "progress: " + r);
        assertTrue(r.err().contains("elapsed") && r.err().contains("left"), r::toString);
        assertEquals(List.of("REPORT.md", "index.html", "race.json", "race.json.log", "race.meta",
                "report.txt",
                "results.csv"), ReportCommandTest.names(out));
        assertTrue(r.out()
                .startsWith("Wrote race.json, race.meta, REPORT.md, report.txt, index.html, "
                + "results.csv to "
                + out + "/"), r::toString);
        String meta = Files.readString(out.resolve("race.meta"));
        assertTrue(meta.contains("\"command\" : \"./ptarena race --ops walk --geometries "
                + "x86-64/4level"), meta);
        String md = Files.readString(out.resolve("REPORT.md"));
        assertTrue(md.contains("## walk"), md);
        assertTrue(md.contains("cannot reach significance"),
                "one fork: no verdicts, and the report says so\n" + md);
        assertTrue(md.contains("| Reproduce | `./ptarena race --ops walk"), md);
    }
}

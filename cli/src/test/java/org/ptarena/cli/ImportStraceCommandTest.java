package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportStraceCommandTest {
    @TempDir Path tmp;

    private static final String LOG = String.join("\n",
            "# A shell forking one child",
            "29889 execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"seq 1 2000\"], 0x7ffc62882290"
                    + " /* 35 vars */) = 0",
            "29889 brk(NULL)                         = 0x55630e3bf000",
            "29889 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) ="
                    + " 0x7f076514c000",
            "29889 brk(0x55630e3e0000)               = 0x55630e3e0000",
            "29889 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,"
                    + " child_tidptr=0x7f0764f5da10) = 29890",
            "29890 execve(\"/usr/bin/seq\", [\"seq\", \"1\", \"2000\"], 0x55630e3bfae0"
                    + " /* 35 vars */) = 0",
            "29890 +++ exited with 0 +++",
            "29889 wait4(-1, NULL, 0, NULL) = 29890",
            "29889 +++ exited with 0 +++",
            "");

    private Path log(String text) throws IOException {
        return Files.writeString(tmp.resolve("sh.strace"), text);
    }

    @Test void writesTheTraceAndSaysWhatItSkippedAndCheckPassesIt() throws IOException {
        Path trace = tmp.resolve("sh.trace");
        Runs.Run r = Runs.run("import-strace", log(LOG).toString(), "-o", trace.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Wrote "
                + java.util.regex.Pattern.quote(trace.toString()) + ": (\\d+) statements, 3"
                + " address spaces, 35 pages mapped, 0 moves \\(from 11 log lines, 9"
                + " events\\)\n").matcher(r.err());
        assertTrue(m.lookingAt(), r::toString);
        assertTrue(r.err().contains("skipped calls: wait4 x1"), r::toString);
        String text = Files.readString(trace);
        assertTrue(text.contains("# log: A shell forking one child\n"), text);
        assertTrue(text.contains("\ncopy p29890 p29889 0x55630e3bf000 +132K cow  # 6 clone\n"),
                text);
        Runs.Run check = Runs.run("check", trace.toString());
        assertEquals(0, check.exit(), check::toString);
        assertTrue(check.out().startsWith("PASS " + trace + " — " + m.group(1) + " statements;"
                + " oracle, legacy, ptptr, vpte agree"), check::toString);
    }

    @Test void withoutOutputTheTraceGoesToStdoutAndCheckRunsIt() throws IOException {
        Runs.Run r = Runs.run("import-strace", log(LOG).toString(), "--populate", "none",
                "--check");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\ngeometry x86-64/4level\nmm p29889  # 2 execve sh\n"),
                r::toString);
        assertFalse(r.out().contains("\nmap "), "populate none: " + r);
        assertTrue(r.err().contains("\nPASS " + tmp.resolve("sh.trace") + ": 8 statements;"
                + " oracle, legacy, ptptr, vpte agree (x86-64/4level)"), r::toString);
        assertEquals(List.of("mm p29889", "mm p29890", "copy p29890 p29889 0x55630e3bf000 +132K"
                + " cow", "copy p29890 p29889 0x7f076514c000 +8K cow", "mm p29890.1",
                "drop p29890", "drop p29890.1", "drop p29889"), r.out().lines()
                .filter(l -> !l.startsWith("#") && !l.startsWith("geometry"))
                .map(l -> l.replaceFirst(" +#.*", "")).toList());
    }

    @Test void garbageExits2NamingTheLineUnlessLenient() throws IOException {
        Path bad = log(LOG.replace("29889 brk(NULL)", "29889 brk(NULL"));
        Runs.Run r = Runs.run("import-strace", bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(bad + ":3: cannot read: 29889 brk(NULL"), r::toString);
        Runs.Run lenient = Runs.run("import-strace", bad.toString(), "--lenient");
        assertEquals(0, lenient.exit(), lenient::toString);
        assertTrue(lenient.err().contains("garbage lines skipped: 1, first at line 3"),
                lenient::toString);
    }

    @Test void badOptionsAndMissingLogsExit2() throws IOException {
        Path log = log(LOG);
        Runs.Run r = Runs.run("import-strace", log.toString(), "--populate", "lots");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--populate: populate 'lots' — expected all, none or a"
                + " percentage"), r::toString);
        r = Runs.run("import-strace", log.toString(), "--geometry", "vax/2level");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("--geometry: "), r::toString);
        r = Runs.run("import-strace", tmp.resolve("missing.strace").toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(tmp.resolve("missing.strace") + ": no such file"),
                r::toString);
        r = Runs.run("import-strace", log.toString(), "--geometry", "riscv/sv39");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains(":4: mmap: 0x7f076514c000-0x7f076514e000 lies beyond the"
                + " 39-bit address space of riscv/sv39"), r::toString);
    }

    @Test void movesAreMoveStatementsUnlessNoMoveAndEveryDesignAgreesEitherWay() {
        String log = Runs.WORKLOADS.resolve("strace/python3.strace").toString();
        Runs.Run move = Runs.run("import-strace", log, "--populate", "20", "--check");
        assertEquals(0, move.exit(), move::toString);
        assertTrue(move.out().contains("\nmove p"), "python's heap moves by mremap");
        assertTrue(move.err().contains(" 3 moves (from "), move::toString);
        assertTrue(move.err().contains("\nPASS "), move::toString);
        Runs.Run noMove = Runs.run("import-strace", log, "--populate", "20", "--no-move",
                "--check");
        assertEquals(0, noMove.exit(), noMove::toString);
        assertFalse(noMove.out().contains("\nmove p"), noMove::toString);
        assertTrue(noMove.err().contains(" 3 moves written as unmap + map (from "),
                noMove::toString);
        assertTrue(noMove.err().contains("\nPASS "), noMove::toString);
    }
}

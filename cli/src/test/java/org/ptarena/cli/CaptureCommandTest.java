package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptarena.core.snap.Snapshot;

class CaptureCommandTest {
    @TempDir Path tmp;

    @Test void capturesAProcessStartedByTheTestAndCheckReplaysIt() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        Path snap = tmp.resolve("sleep.snap");
        try {
            awaitSleeping(p);
            Runs.Run r = Runs.run("capture", Long.toString(p.pid()), "-o", snap.toString(),
                    "--note", "started with: sleep 30");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().matches("Wrote " + java.util.regex.Pattern.quote(snap.toString())
                    + ": \\d+ VMAs, \\d+ present pages in \\d+ runs, pfns (real|synthetic)\\n"),
                    r::toString);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Snapshot s = Snapshot.read(snap);
        assertTrue(s.notes().get(0).contains("(sleep)"), s.notes().toString());
        assertEquals("started with: sleep 30", s.notes().get(2));
        Runs.Run check = Runs.run("check", snap.toString());
        assertEquals(0, check.exit(), check::toString);
        assertTrue(check.out().startsWith("PASS " + snap + " — "), check::toString);
        assertTrue(check.out().contains("oracle, legacy, ptptr, vpte agree"), check::toString);
    }

    @Test void aMissingProcessExits2AndWritesNothing() throws IOException {
        Path snap = tmp.resolve("none.snap");
        Runs.Run r = Runs.run("capture", "999999999", "-o", snap.toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ptarena capture: no process with pid 999999999\n", r.err());
        assertFalse(Files.exists(snap));
    }

    @Test void aProcessThatExitsMidCaptureLeavesNoPartialFile() throws IOException {
        Path proc = tmp.resolve("proc");
        Path dir = Files.createDirectories(proc.resolve("77"));
        Files.writeString(dir.resolve("stat"), "77 (gone) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1"
                + " 0 123 456 7\n");
        Files.writeString(dir.resolve("comm"), "gone\n");
        Files.writeString(dir.resolve("maps"),
                "00400000-00401000 r-xp 00000000 08:01 1 /bin/gone\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Runs.Run r = Runs.run("capture", "77", "--proc", proc.toString(), "-o",
                out.resolve("gone.snap").toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ptarena capture: process 77 exited during the capture; nothing written\n",
                r.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count(), "no file, not even a temporary one");
        }
    }

    @Test void helpSaysWhatAPlainUserGets() {
        Runs.Run r = Runs.run("capture", "--help");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("synthetic"), r::toString);
        assertTrue(r.out().contains("2   no such process, it exited during the capture, or no"
                + " permission"), r::toString);
    }

    /** Waits until {@code p} has exec'd sleep, loaded its libraries and gone to sleep. */
    static void awaitSleeping(Process p) throws IOException, InterruptedException {
        Path dir = Path.of("/proc", Long.toString(p.pid()));
        for (int i = 0; i < 500; i++) {
            try {
                String stat = Files.readString(dir.resolve("stat"));
                if (stat.contains("(sleep) S ") && Files.readString(dir.resolve("maps"))
                        .contains("libc")) {
                    return;
                }
            } catch (IOException e) {
                // not there yet, or exiting: try again
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + p.pid() + " never went to sleep");
    }
}

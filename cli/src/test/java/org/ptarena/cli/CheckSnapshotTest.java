package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ptarena check} on snapshots: built, forked, exited and protected everywhere. */
class CheckSnapshotTest {
    @TempDir Path tmp;

    @Test void aSnapshotPassesAlongsideATrace() throws IOException {
        Path snap = Files.writeString(tmp.resolve("hand.snap"), SnapstatCommandTest.SNAP);
        Path trace = Files.writeString(tmp.resolve("t.trace"),
                "geometry x86-64/4level\nmm A\nmap A 0x1000 +4K pfn=0x1 prot=r--u\n");
        Runs.Run r = Runs.run("check", snap.toString(), trace.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("PASS " + snap + " — 15 statements; oracle, legacy,"
                + " ptptr, vpte agree\nPASS " + trace + " — 2 statements;"), r::toString);
    }

    @Test void aCommittedSnapshotPasses() {
        Path snap = Runs.WORKLOADS.resolve("snapshots/sort-pipeline.snap");
        Runs.Run r = Runs.run("check", snap.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("PASS " + snap + " — "), r::toString);
    }

    @Test void aMalformedOrMisfittingSnapshotExits2AndRunsNothing() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.snap"), "snapshot 1\narch x86_64\n"
                + "page-shift 12\npfns real\nvma 400000-400800 r--p\n");
        Runs.Run r = Runs.run("check", bad.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(bad + ":5: vma not page aligned"), r::toString);
        Path vax = Files.writeString(tmp.resolve("vax.snap"), SnapstatCommandTest.SNAP.replace(
                "arch x86_64", "arch vax"));
        r = Runs.run("check", vax.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(vax + ": no default geometry for arch vax"), r::toString);
    }
}

package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Apis;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.SnapshotCheck;
import org.ptarena.core.snap.Workloads;
import org.ptarena.core.strace.StraceImporter;
import org.ptarena.core.trace.TraceRunner;

/**
 * Every committed workload — snapshots and strace logs captured on a real machine — replayed
 * through every implementation against the oracle; and the files say how they were made and
 * name nothing of the machine but the programs' own files.
 */
class WorkloadsTest {
    private static final Path SNAPSHOTS = Runs.WORKLOADS.resolve("snapshots");
    private static final Path STRACE = Runs.WORKLOADS.resolve("strace");
    /** Directories that would identify a machine (home, work and build directories). */
    private static final Pattern PRIVATE = Pattern.compile("/(root|home|work|Users|mnt|srv)/");

    private static Map<String, Path> files(Path dir, String suffix) throws IOException {
        return Workloads.files(dir, suffix);
    }

    @Test void thereAreRealSnapshotsAndLogsOfSeveralPrograms() throws IOException {
        assertTrue(files(SNAPSHOTS, ".snap").size() >= 5, "snapshots");
        assertTrue(files(STRACE, ".strace").size() >= 5, "strace logs");
        System.setProperty(Workloads.PROPERTY, Runs.WORKLOADS.toString());
        try {
            assertEquals(files(SNAPSHOTS, ".snap").keySet(), Workloads.snapshots().keySet());
        } finally {
            System.clearProperty(Workloads.PROPERTY);
        }
    }

    @TestFactory Stream<DynamicTest> everySnapshotReplaysAlikeOnEveryImplementation()
            throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Path> e : files(SNAPSHOTS, ".snap").entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                Snapshot s = Snapshot.read(e.getValue());
                TraceRunner.Result r = SnapshotCheck.run(s, s.defaultGeometry(), Apis.all(),
                        e.getKey());
                assertTrue(r.passed(), r.report());
                assertTrue(r.unsupported().isEmpty(), r.report());
                assertTrue(s.realPfns(), "captured as root");
                String made = s.notes().get(0);
                assertTrue(made.matches("ptarena capture of pid \\d+ \\(.+\\); kernel \\S+;"
                        + " \\d{4}-\\d\\d-\\d\\d"), made);
                assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("started with: ")),
                        s.notes().toString());
                assertTrue(Files.size(e.getValue()) < 100 << 10, "tens of KiB");
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> everyStraceLogImportsAndReplaysAlike() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Path> e : files(STRACE, ".strace").entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                StraceImporter.Result imp = StraceImporter.importLog(e.getValue(),
                        StraceImporter.Options.defaults());
                assertTrue(imp.summary().statements() > 50, imp.summary().toString());
                assertTrue(imp.summary().garbage().isEmpty(), "strict reading");
                TraceRunner.Result r = new TraceRunner(Apis.all()).run(imp.trace());
                assertTrue(r.passed(), r.report());
                List<String> lines = Files.readAllLines(e.getValue());
                assertTrue(lines.get(1).startsWith("# recorded with: "), lines.get(1));
                assertTrue(lines.get(2).matches(
                        "# kernel \\S+ \\(uname -r\\), .*\\d{4}-\\d\\d-\\d\\d.*"), lines.get(2));
                assertTrue(Files.size(e.getValue()) < 100 << 10, "tens of KiB");
            }));
        }
        return tests.stream();
    }

    @Test void noWorkloadNamesADirectoryOfTheMachine() throws IOException {
        List<Path> all = new ArrayList<>(files(SNAPSHOTS, ".snap").values());
        all.addAll(files(STRACE, ".strace").values());
        all.add(Runs.WORKLOADS.resolve("README.md"));
        for (Path f : all) {
            String text = Files.readString(f);
            assertFalse(PRIVATE.matcher(text).find(), f + " names a private directory");
        }
        for (Path f : files(SNAPSHOTS, ".snap").values()) {
            for (Snapshot.Vma v : Snapshot.read(f).vmas()) {
                assertFalse(v.name().contains("/"), f + ": " + v.name());
            }
        }
    }
}

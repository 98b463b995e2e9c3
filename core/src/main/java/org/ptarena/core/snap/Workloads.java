package org.ptarena.core.snap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The committed real workloads: the checkout's top-level {@code workloads/} directory, holding
 * {@code snapshots/NAME.snap} (captured by {@code ptarena capture}) and {@code strace/NAME.strace}
 * (logs of {@code strace -f -e trace=memory,process}). The benchmarks' {@code snap:NAME}
 * scenarios are the snapshots found here.
 *
 * <p>The directory is the system property {@value #PROPERTY} when it is set, otherwise the first
 * {@code workloads} directory holding {@code snapshots} found from the working directory
 * upwards (so it is found from the checkout and from any module in it).
 */
public final class Workloads {
    /** System property naming the workloads directory. */
    public static final String PROPERTY = "ptarena.workloads";
    public static final String SNAPSHOT_SUFFIX = ".snap";
    public static final String STRACE_SUFFIX = ".strace";

    private Workloads() { }

    /**
     * The workloads directory.
     *
     * @throws IllegalStateException when none is found, naming where it was looked for
     */
    public static Path dir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + prop
                        + " is not a directory");
            }
            return p;
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path d = here; d != null; d = d.getParent()) {
            Path w = d.resolve("workloads");
            if (Files.isDirectory(w.resolve("snapshots"))) return w;
        }
        throw new IllegalStateException("no workloads/snapshots directory in " + here
                + " or above it; set -D" + PROPERTY + "=DIR");
    }

    /** Every snapshot, by name (the file name without {@code .snap}), sorted. */
    public static Map<String, Path> snapshots() throws IOException {
        return files(dir().resolve("snapshots"), SNAPSHOT_SUFFIX);
    }

    /** Every strace log, by name (the file name without {@code .strace}), sorted. */
    public static Map<String, Path> straceLogs() throws IOException {
        return files(dir().resolve("strace"), STRACE_SUFFIX);
    }

    /**
     * The snapshot called {@code name}, read.
     *
     * @throws IllegalArgumentException naming the known snapshots when there is none by that name
     */
    public static Snapshot snapshot(String name) throws IOException {
        Map<String, Path> all = snapshots();
        Path p = all.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no snapshot '" + name + "' — known: "
                    + (all.isEmpty() ? "none" : String.join(", ", all.keySet())));
        }
        return Snapshot.read(p);
    }

    /** The files of {@code dir} ending in {@code suffix}, by name without it, sorted. */
    public static Map<String, Path> files(Path dir, String suffix) throws IOException {
        Map<String, Path> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) return found;
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .forEach(p -> {
                        String f = p.getFileName().toString();
                        found.put(f.substring(0, f.length() - suffix.length()), p);
                    });
        }
        return found;
    }
}

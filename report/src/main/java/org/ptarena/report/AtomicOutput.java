package org.ptarena.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a report all or nothing: every output goes first to a temporary sibling in the output
 * directory ({@code .NAME.tmp…}); only when all of them have been written completely are they
 * moved into place, each with {@link StandardCopyOption#ATOMIC_MOVE}. A failure before that
 * deletes the temporary files and leaves whatever was in the directory untouched, so a reader
 * never sees a half-written report.
 */
public final class AtomicOutput {
    private AtomicOutput() { }

    /** Writes the report of {@code m} into {@code dir} (created if missing) with every writer. */
    public static List<Path> write(Path dir, ReportModel m, List<ReportWriter> writers)
            throws IOException {
        List<Body> bodies = new ArrayList<>();
        for (ReportWriter w : writers) bodies.add(new Body(w.fileName(), out -> w.write(m, out)));
        return writeAll(dir, bodies);
    }

    /** Something to write into one file. */
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** One output file: its name in the directory and its content. */
    public record Body(String fileName, Content content) { }

    /** Writes every body to a temporary sibling, then moves all into place; on failure, nothing. */
    public static List<Path> writeAll(Path dir, List<Body> bodies) throws IOException {
        Files.createDirectories(dir);
        List<Path> temps = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        boolean done = false;
        try {
            for (Body b : bodies) {
                Path target = dir.resolve(b.fileName());
                Path temp = temporary(dir, b.fileName());
                temps.add(temp);
                targets.add(target);
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    b.content().writeTo(out);
                }
            }
            for (int i = 0; i < temps.size(); i++) move(temps.get(i), targets.get(i));
            done = true;
            return List.copyOf(targets);
        } finally {
            if (!done) {
                for (Path t : temps) Files.deleteIfExists(t);
            }
        }
    }

    /**
     * A fresh sibling name for {@code name}'s temporary file. Not {@link Files#createTempFile},
     * whose owner-only permissions the report would keep after the move.
     */
    private static Path temporary(Path dir, String name) {
        long pid = ProcessHandle.current().pid();
        for (int i = 0; ; i++) {
            Path p = dir.resolve("." + name + "." + pid + "." + i + ".tmp");
            if (!Files.exists(p)) return p;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package org.ptarena.core.snap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Prints a {@link Snapshot} in the form {@link SnapshotReader} reads back (the grammar is there):
 * the notes as {@code #} comments, the header, then each VMA followed by its runs, one short
 * line each. {@code read(write(s))} equals {@code s}.
 */
public final class SnapshotWriter {
    private SnapshotWriter() { }

    /** The whole snapshot as text. */
    public static String write(Snapshot s) {
        StringBuilder sb = new StringBuilder();
        for (String note : s.notes()) {
            for (String part : note.split("\r\n|\n|\r", -1)) {
                sb.append(part.isEmpty() ? "#" : "# " + part).append('\n');
            }
        }
        sb.append("snapshot ").append(Snapshot.VERSION).append('\n');
        sb.append("arch ").append(s.arch()).append('\n');
        sb.append("page-shift ").append(s.pageShift()).append('\n');
        sb.append("pfns ").append(s.realPfns() ? "real" : "synthetic").append('\n');
        for (Snapshot.Vma v : s.vmas()) {
            sb.append("vma ").append(hex(v.start())).append('-').append(hex(v.end()))
                    .append(' ').append(v.perms());
            if (!v.name().isEmpty()) sb.append(' ').append(v.name());
            sb.append('\n');
            for (Snapshot.Run r : v.runs()) {
                sb.append(' ').append(hex((r.start() - v.start()) >>> s.pageShift()))
                        .append(' ').append(hex(r.pages()))
                        .append(' ').append(hex(r.pfn()));
                if (r.thp()) sb.append(" thp");
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Writes {@code s} to {@code file} through a temporary sibling moved into place at the end,
     * so that a failure leaves no partial file.
     */
    public static void write(Snapshot s, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid()
                + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, write(s), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }
}

package org.ptarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.strace.Populate;
import org.ptarena.core.strace.StraceFormatException;
import org.ptarena.core.strace.StraceImporter;
import org.ptarena.core.trace.TraceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena import-strace}: turns {@code strace -f -e trace=memory,process} output into a
 * trace ({@link StraceImporter}), written to {@code -o} or stdout, with what it skipped on stderr.
 */
@Command(name = "import-strace", mixinStandardHelpOptions = true,
        description = {"Turn the output of strace -f -e trace=memory,process into a trace.",
            "mmap, munmap, mprotect, mremap, brk, madvise(MADV_DONTNEED), fork/clone/vfork,",
            "threads, execve and exits become map, unmap, protect, copy and drop statements.",
            "strace sees no page faults: --populate says which pages each mapping gets."},
        footer = {"%nRecord a log with:",
            "  strace -f -y -e trace=memory,process -o prog.strace PROGRAM ARGS...",
            "(-y lets pages of one file share frames between processes.)"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the trace was written (and, with --check, every implementation agreed)",
            "1:with --check: a disagreement or a broken invariant",
            "2:bad input: missing log, a line that is no strace output, unknown geometry",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class ImportStraceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LOG", description = "The strace output.")
    Path log;

    @Option(names = "--geometry", paramLabel = "G", defaultValue = "x86-64/4level",
            description = "Layout of the trace (default: ${DEFAULT-VALUE}; x86-64 user space is"
                    + " 47-bit).")
    String geometry;

    @Option(names = "--populate", paramLabel = "all|none|PCT", defaultValue = "all",
            description = "Pages each accessible mapping gets: all, none, or about PCT percent"
                    + " in clusters, seeded (default: ${DEFAULT-VALUE}).")
    String populate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the page and frame choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lenient",
            description = "Skip and count lines that are no strace output instead of failing.")
    boolean lenient;

    @Option(names = "--move", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write an mremap that moves pages as a move statement (the default);"
                    + " --no-move writes unmap + map of the same frames instead.")
    boolean move;

    @Option(names = {"-o", "--output"}, paramLabel = "TRACE",
            description = "Write the trace here (default: stdout).")
    Path output;

    @Option(names = "--check",
            description = "Also run the trace on the oracle and every implementation: checked"
                    + " after every statement, and in full before each drop and at the end.")
    boolean check;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        StraceImporter.Options options = options();
        PrintWriter err = spec.commandLine().getErr();
        StraceImporter.Result r;
        try {
            r = StraceImporter.importLog(log, options);
        } catch (NoSuchFileException e) {
            err.println(log + ": no such file");
            return Exit.BAD_INPUT;
        } catch (StraceFormatException e) {
            err.println(e.getMessage());
            return Exit.BAD_INPUT;
        }
        if (output == null) {
            spec.commandLine().getOut().print(r.text());
            spec.commandLine().getOut().flush();
        } else {
            writeAtomically(output, r.text());
        }
        err.println(summary(r.summary()));
        if (!check) {
            err.flush();
            return Exit.OK;
        }
        TraceRunner.Result result = new TraceRunner(Apis.all()).run(r.trace());
        err.println((result.passed() ? "PASS " : "FAIL ") + result.report());
        err.flush();
        return result.passed() ? Exit.OK : Exit.FAILED;
    }

    private StraceImporter.Options options() {
        Geometry g;
        try {
            g = Geometries.byName(geometry);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--geometry: " + e.getMessage());
        }
        Populate p;
        try {
            p = Populate.parse(populate);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--populate: " + e.getMessage());
        }
        return new StraceImporter.Options(g, p, seed, lenient, move);
    }

    private String summary(StraceImporter.Summary s) {
        String where = output == null ? "the trace" : "Wrote " + output;
        String text = String.format(Locale.ROOT, "%s: %d statements, %d address spaces, %d pages"
                + " mapped, %d moves%s (from %d log lines, %d events)", where, s.statements(),
                s.spaces(), s.pagesMapped(), s.moves(), move ? "" : " written as unmap + map",
                s.logLines(), s.events());
        text += "\n  skipped calls: " + list(s.skipped()) + "\n  failed calls: " + list(s.failed());
        if (!s.garbage().isEmpty()) {
            text += "\n  garbage lines skipped: " + s.garbage().size() + ", first at line "
                    + s.garbage().get(0);
        }
        return text;
    }

    private static String list(Map<String, Integer> counts) {
        if (counts.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(counts).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(k).append(" x").append(v));
        return sb.toString();
    }

    /** Writes through a temporary sibling moved into place, so no partial file is left. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid()
                + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
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
}

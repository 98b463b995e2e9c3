package org.ptarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ptarena.core.snap.CaptureException;
import org.ptarena.core.snap.ProcCapture;
import org.ptarena.core.snap.Snapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena capture}: a live process's address space into a {@code .snap} file ({@link
 * ProcCapture}), written only once the whole capture succeeded.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Capture a live process's address space into a .snap file.",
            "Reads /proc/PID/maps, /proc/PID/pagemap and /proc/PID/smaps (and",
            "/proc/kpageflags when readable). Pfns are real as root; otherwise the kernel",
            "hides them, and the snapshot gets synthetic consecutive pfns and says so.",
            "File names are cut to their base name."},
        footer = {"%nA plain user can capture their own processes (pfns then synthetic); root",
            "can capture any, with real pfns and THPs from kpageflags."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the snapshot was written",
            "2:no such process, it exited during the capture, or no permission (nothing written)",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class CaptureCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PID", description = "The process to capture.")
    int pid;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.snap",
            description = "Where to write (default: PID.snap in the working directory).")
    Path output;

    @Option(names = "--note", paramLabel = "TEXT",
            description = "A header line saying how the process was started (repeatable); the"
                    + " capture itself adds pid, program, kernel version and date.")
    List<String> notes = new ArrayList<>();

    @Option(names = "--proc", paramLabel = "DIR", defaultValue = "/proc",
            description = "Where proc is mounted (default: ${DEFAULT-VALUE}).")
    Path proc;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Snapshot s;
        try {
            s = new ProcCapture(proc).capture(pid, notes);
        } catch (CaptureException e) {
            err.println("ptarena capture: " + e.getMessage());
            err.flush();
            return Exit.BAD_INPUT;
        }
        Path file = output != null ? output : Path.of(pid + ".snap");
        s.write(file);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Wrote %s: %d VMAs, %d present pages in %d runs, pfns %s%n",
                file, s.vmas().size(), s.pages(), s.runs(), s.realPfns() ? "real" : "synthetic");
        out.flush();
        return Exit.OK;
    }
}

package org.ptarena.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs {@code ptarena} in-process for the workload commands' tests. */
final class Runs {
    /** The repository root, from the cli module's working directory. */
    static final Path ROOT = Path.of("..");
    static final Path WORKLOADS = ROOT.resolve("workloads");

    private Runs() { }

    record Run(int exit, String out, String err) {
        @Override public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}

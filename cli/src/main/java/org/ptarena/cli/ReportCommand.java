package org.ptarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptarena.report.CodeSize;
import org.ptarena.report.JmhFormatException;
import org.ptarena.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena report}: rebuilds the race report from existing JMH JSON — one file or several
 * runs or machines merged — into {@code REPORT.md}, {@code report.txt}, {@code index.html} and
 * {@code results.csv}, written atomically. Every input is read before anything is written.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild the race report from JMH JSON results (several runs or machines "
                + "may be merged): REPORT.md, report.txt (80 columns), index.html (charts, no "
                + "network) and results.csv, written atomically into --out. A NAME.meta file "
                + "beside NAME.json (ptarena race writes one) gives the host, date, commit and "
                + "command of that run.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the report was written",
            "2:bad input: a missing, empty, truncated, malformed or non-JMH file, or mixed JMH "
                    + "versions (the message names the file; nothing is written)",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class ReportCommand implements Callable<Integer> {
    /** Where a report goes unless {@code --out} says otherwise. */
    static final Path DEFAULT_OUT = Path.of("out", "report");

    @Parameters(arity = "1..*", paramLabel = "JSON",
            description = "JMH JSON files (-rf json), merged.")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = DEFAULT_OUT;

    @Option(names = "--sources", paramLabel = "DIR",
            description = "Checkout whose api-*/src/main/java the code-size table counts "
                    + "(default: found from the working directory or from where ptarena runs).")
    Path sources;

    @Spec CommandSpec spec;

    /** The clock the report is stamped with. */
    Clock clock = Clock.systemUTC();

    @Override public Integer call() throws IOException {
        Path root = checkout(spec, sources);
        PrintWriter err = spec.commandLine().getErr();
        List<Path> written;
        try {
            written = Report.generate(inputs, out, root, clock);
        } catch (JmhFormatException e) {
            err.println("ptarena report: " + e.getMessage());
            err.println("ptarena report: nothing was written");
            err.flush();
            return Exit.BAD_INPUT;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println(wrote(written, out));
        o.flush();
        return Exit.OK;
    }

    /** "Wrote REPORT.md, report.txt, index.html, results.csv to out/report/". */
    static String wrote(List<Path> files, Path dir) {
        List<String> names = new ArrayList<>();
        for (Path f : files) names.add(f.getFileName().toString());
        return "Wrote " + String.join(", ", names) + " to " + dir + "/";
    }

    /**
     * The checkout whose sources the report counts: {@code --sources} when given (it must hold
     * {@code api-*}{@code /src/main/java}), else the first of the working directory and the
     * program's own location, or their parents, that does; null when none does.
     */
    static Path checkout(CommandSpec spec, Path given) {
        if (given != null) {
            Path found = CodeSize.locate(List.of(given));
            if (found == null || !found.equals(given.toAbsolutePath().normalize())) {
                throw new ParameterException(spec.commandLine(), "--sources: " + given
                        + " holds no api-*/src/main/java directory");
            }
            return found;
        }
        return CodeSize.locate(List.of(Path.of("").toAbsolutePath(), programLocation()));
    }

    /** The jar or classes directory this program runs from, or null. */
    static Path programLocation() {
        try {
            CodeSource cs = ReportCommand.class.getProtectionDomain().getCodeSource();
            return cs == null ? null : Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

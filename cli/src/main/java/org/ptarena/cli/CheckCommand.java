package org.ptarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ptarena.core.Apis;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.SnapshotCheck;
import org.ptarena.core.snap.SnapshotFormatException;
import org.ptarena.core.snap.SnapshotReplay;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceFormatException;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena check}: parses every trace first, then runs each on the oracle and every
 * capable implementation and names the first statement where anyone disagrees or an
 * expectation fails.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run traces on the oracle and every capable implementation.",
            "Names the first statement where anyone disagrees or an expectation fails.",
            "Every file is parsed before any is run."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every trace passed: all implementations agree with the oracle",
            "1:a disagreement, a broken invariant or a failed expectation",
            "2:bad input: unknown implementation, missing or malformed trace (nothing is run)",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class CheckCommand implements Callable<Integer> {
    /** From this many traces on, progress goes to stderr. */
    static final int PROGRESS_FROM = 10;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = {"Trace files (.trace), or",
        "snapshots (.snap: built, forked, exited and protected on every implementation)."})
    List<Path> traces;

    @Option(names = "--impl", paramLabel = "NAME",
            description = {"Run only this implementation (repeatable): legacy, ptptr, vpte.",
                "Default: every implementation found."})
    List<String> implNames = new ArrayList<>();

    @Option(names = "--precise",
            description = {"Compare every space in full and audit every arena after every",
                "statement, however long the trace. Default: traces of more than "
                        + TraceRunner.PRECISE_UP_TO + " statements",
                "are compared cheaply per statement and in full every "
                        + TraceRunner.DEFAULT_CHECKPOINT + " statements;",
                "a difference found is still named at its first statement."})
    boolean precise;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        List<PageTableOps> impls = implNames.isEmpty() ? Apis.all()
                : Implementations.named(spec, implNames);
        List<Trace> parsed = parseAll();
        if (parsed == null) return Exit.BAD_INPUT;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.size() >= PROGRESS_FROM) {
                err.printf(Locale.ROOT, "[%d/%d] %s%n", i + 1, parsed.size(), traces.get(i));
                err.flush();
            }
            TraceRunner.Result result = precise
                    ? new TraceRunner(impls).checkpoints(1).run(parsed.get(i))
                    : isSnapshot(traces.get(i)) ? SnapshotCheck.run(parsed.get(i), impls)
                    : new TraceRunner(impls).run(parsed.get(i));
            out.println(describe(traces.get(i), result, impls));
            out.flush();
            if (!result.passed()) failed++;
        }
        if (parsed.size() > 1) {
            out.printf(Locale.ROOT, "%d traces: %d passed, %d failed%n", parsed.size(),
                    parsed.size() - failed, failed);
        }
        out.flush();
        return failed == 0 ? Exit.OK : Exit.FAILED;
    }

    /** Every trace parsed, or null after naming on stderr each file that could not be. */
    private List<Trace> parseAll() {
        PrintWriter err = spec.commandLine().getErr();
        List<Trace> parsed = new ArrayList<>();
        boolean bad = false;
        for (Path file : traces) {
            try {
                if (!Files.isRegularFile(file)) {
                    String why = Files.exists(file) ? "not a regular file" : "no such file";
                    err.println(file + ": " + why);
                    bad = true;
                    continue;
                }
                parsed.add(isSnapshot(file)
                        ? SnapshotReplay.trace(Snapshot.read(file), file.toString())
                        : TraceParser.parse(file));
            } catch (TraceFormatException e) {
                err.println(where(file, e));
                bad = true;
            } catch (SnapshotFormatException e) {
                err.println(e.getMessage());
                bad = true;
            } catch (IllegalArgumentException e) {
                err.println(file + ": " + e.getMessage());
                bad = true;
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e);
                bad = true;
            }
        }
        err.flush();
        return bad ? null : parsed;
    }

    /** Whether {@code file} is a snapshot ({@code .snap}) rather than a trace. */
    static boolean isSnapshot(Path file) {
        return file.getFileName().toString().endsWith(".snap");
    }

    /** The parser's message, led by {@code file:line:column} unless it already names them. */
    static String where(Path file, TraceFormatException e) {
        String at = file + ":" + e.line() + ":" + e.column();
        String msg = e.getMessage() == null ? "malformed trace" : e.getMessage();
        return msg.startsWith(at) ? msg : at + ": " + msg;
    }

    /** One line for a pass or the runner's report for a failure; then who is unsupported. */
    static String describe(Path file, TraceRunner.Result r, List<PageTableOps> impls) {
        StringBuilder sb = new StringBuilder();
        if (r.passed()) {
            List<String> agree = new ArrayList<>(List.of("oracle"));
            for (PageTableOps ops : impls) {
                if (!r.unsupported().containsKey(ops.name())) agree.add(ops.name());
            }
            sb.append("PASS ").append(file).append(" — ").append(r.statements())
                    .append(" statements; ").append(agree.size() == 1
                            ? "oracle alone (no capable implementation)"
                            : String.join(", ", agree) + " agree");
        } else {
            sb.append("FAIL ").append(r.report());
        }
        r.unsupported().forEach((name, why) -> sb.append(System.lineSeparator())
                .append("  ").append(name).append(": unsupported: ").append(why));
        return sb.toString();
    }
}

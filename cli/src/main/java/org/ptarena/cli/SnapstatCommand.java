package org.ptarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ptarena.core.snap.SnapStat;
import org.ptarena.core.snap.Snapshot;
import org.ptarena.core.snap.SnapshotFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena snapstat}: how snapshots' present pages lie, and how many of them 64 KiB
 * contiguous runs and 2 MiB leaves could hold ({@link SnapStat}).
 */
@Command(name = "snapstat", mixinStandardHelpOptions = true,
        description = {"Show how many pages of snapshots 64K runs and 2M leaves could hold.",
            "Per snapshot: VMAs, present pages, runs, THP pages, and the share of pages that",
            "could sit in arm64 64K contiguous runs or 2M leaves if the kernel folded them.",
            "'present' counts aligned blocks whose pages are all present (what large",
            "folios could reach), 'foldable' those whose pfns are also consecutive and",
            "aligned (what folding in place could use today; real pfns only). The 64K",
            "columns leave out pages THPs map."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "2:bad input: a missing or malformed snapshot",
            "3:internal error, a bug in ptarena (stack trace on stderr)"})
final class SnapstatCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE.snap", description = "Snapshots.")
    List<Path> files;

    @Option(names = "--markdown", description = "Print a Markdown table (for a report).")
    boolean markdown;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<SnapStat> stats = new ArrayList<>();
        int pageShift = -1;
        boolean mixed = false;
        for (Path f : files) {
            Snapshot s;
            try {
                s = Snapshot.read(f);
            } catch (NoSuchFileException e) {
                err.println(f + ": no such file");
                return Exit.BAD_INPUT;
            } catch (SnapshotFormatException e) {
                err.println(e.getMessage());
                return Exit.BAD_INPUT;
            }
            mixed |= pageShift >= 0 && pageShift != s.pageShift();
            pageShift = s.pageShift();
            String name = f.getFileName().toString().replaceFirst("\\.snap$", "");
            stats.add(SnapStat.of(name, s));
        }
        if (stats.size() > 1 && !mixed) stats.add(SnapStat.total("all", stats));
        PrintWriter out = spec.commandLine().getOut();
        out.print(markdown ? SnapStat.markdown(stats, pageShift)
                : SnapStat.table(stats, pageShift));
        out.flush();
        return Exit.OK;
    }
}

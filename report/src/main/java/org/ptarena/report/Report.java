package org.ptarena.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ptarena.core.Apis;

/**
 * The whole report in one call, for the command line: read every JMH file (failing before
 * anything is written), probe the implementations on the class path, count the code of the
 * checkout, read the snapshots the results raced, compute the model and write the four outputs
 * atomically.
 */
public final class Report {
    private Report() { }

    /**
     * @param inputs     JMH JSON files, merged
     * @param outDir     where {@code REPORT.md}, {@code report.txt}, {@code index.html} and
     *                   {@code results.csv} go
     * @param sourceRoot the checkout whose {@code api-*} sources are counted, or null when none
     *                   was found
     * @return the files written
     * @throws JmhFormatException when an input cannot be used (nothing is written)
     */
    public static List<Path> generate(List<Path> inputs, Path outDir, Path sourceRoot, Clock clock)
            throws JmhFormatException, IOException {
        JmhResults results = JmhResults.read(inputs);
        Capabilities caps = Capabilities.probe(Apis.all());
        CodeSize code = sourceRoot == null
                ? CodeSize.notFound("no checkout with api-*/src/main/java was found from the "
                        + "working directory or the program's location (use --sources DIR)")
                : CodeSize.count(sourceRoot);
        RealWorkloads real = RealWorkloads.load(results, sourceRoot);
        ReportModel model = ReportModel.build(results, caps, code, real, clock);
        return AtomicOutput.write(outDir, model, ReportWriter.all());
    }
}

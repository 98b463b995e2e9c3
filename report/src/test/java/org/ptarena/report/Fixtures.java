package org.ptarena.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The committed inputs of the report tests and a model built from them. */
final class Fixtures {
    static final Path DIR = Path.of("src/test/resources/fixtures");
    /** A small JMH JSON recorded from a real run. */
    static final Path SMALL = DIR.resolve("jmh-small.json");
    /** A tiny checkout whose api-* sources CodeSize counts. */
    static final Path CHECKOUT = DIR.resolve("checkout");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    private Fixtures() { }

    /** A capability matrix given cell by cell, so golden files do not depend on the JIT. */
    static Capabilities capabilities() {
        List<String> apis = List.of("legacy", "ptptr", "vpte");
        return Capabilities.of(apis, List.of(
                new Capabilities.Feature("layouts supported", "supports() on the catalog", List.of(
                        new Capabilities.Cell("14/15 catalog, 61/100 random", false),
                        new Capabilities.Cell("15/15 catalog, 100/100 random", true),
                        new Capabilities.Cell("15/15 catalog, 100/100 random", true))),
                new Capabilities.Feature("six levels", "map, walk, lookup, unmap on future/6level",
                        List.of(
                        new Capabilities.Cell("no: unsupported", false),
                        new Capabilities.Cell("yes", true),
                        new Capabilities.Cell("yes", true))),
                new Capabilities.Feature("max recursion depth", "maxDepth()", List.of(
                        new Capabilities.Cell("n/a (no recursion)", true),
                        new Capabilities.Cell("6 (deepest probe: 6 levels)", true),
                        new Capabilities.Cell("n/a (no recursion)", true)))),
                List.of("legacy: does not support future/6level: six levels need a new layer of "
                        + "functions"));
    }

    static ReportModel model(List<Path> files) {
        try {
            return ReportModel.build(JmhResults.read(files), capabilities(),
                    CodeSize.count(CHECKOUT), CLOCK);
        } catch (JmhFormatException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReportModel small() {
        return model(List.of(SMALL));
    }

    static String render(ReportWriter w, ReportModel m) {
        StringWriter out = new StringWriter();
        try {
            w.write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}

package org.ptarena.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.snap.SnapStat;

/**
 * {@code REPORT.md}: run metadata, how to read the numbers, the geometric-mean summary, a
 * headline table per operation with links to its charts in {@code index.html}, the real
 * workloads (when the results raced a snapshot), the capability matrix, code size and notes.
 * GitHub-flavoured Markdown tables.
 */
public final class MarkdownWriter implements ReportWriter {
    @Override public String fileName() { return "REPORT.md"; }

    @Override public void write(ReportModel m, Writer w) throws IOException {
        PrintWriter out = new PrintWriter(w);
        out.println("# " + Prose.TITLE);
        out.println();
        out.println(Prose.INTRO);
        out.println();
        out.println(Prose.generated(m) + " Also as [HTML with charts](index.html), "
                + "[plain text](report.txt) and [CSV](results.csv).");
        out.println();
        for (String note : m.notes()) {
            if (!note.contains("cannot reach significance")) continue;
            int colon = note.indexOf(':') + 1;
            out.println("> **" + note.substring(0, colon) + "**" + note.substring(colon));
            out.println();
        }
        run(m, out);
        out.println("## How to read this");
        out.println();
        for (String s : Prose.howToRead(m)) out.println("- " + s);
        out.println();
        summary(m, out);
        for (ReportModel.Op op : m.ops()) op(m, op, out);
        realWorkloads(m, out);
        capabilities(m, out);
        codeSize(m, out);
        if (!m.notes().isEmpty()) {
            out.println("## Notes");
            out.println();
            for (String n : m.notes()) out.println("- " + n);
            out.println();
        }
        out.flush();
    }

    /** Whether a run-metadata value is a command line or flags, shown as code. */
    static boolean isCode(Prose.Pair p) {
        return p.label().equals("Reproduce") || p.label().equals("JMH equivalent")
                || p.label().equals("JVM flags");
    }

    private static void run(ReportModel m, PrintWriter out) {
        out.println("## Run");
        out.println();
        out.println("| | |");
        out.println("| --- | --- |");
        for (Prose.Pair p : Prose.run(m)) {
            row(out, List.of(p.label(), isCode(p) ? code(p.value()) : p.value()));
        }
        out.println();
    }

    private static void summary(ReportModel m, PrintWriter out) {
        if (m.geomeans().isEmpty()) return;
        out.println("## Summary: geometric mean of ratios");
        out.println();
        List<String> header = new ArrayList<>(List.of("ratio", "all"));
        for (ReportModel.Op op : m.ops()) header.add(op.name());
        row(out, header);
        out.println("| --- |" + " ---: |".repeat(header.size() - 1));
        for (String against : List.of(ReportModel.BASELINE, ReportModel.FLOOR)) {
            for (String api : m.apis()) {
                if (m.geomean(api, against, null) == null) continue;
                List<String> cells = new ArrayList<>();
                cells.add(api + " \u00f7 " + against);
                cells.add(geomeanCell(m.geomean(api, against, null)));
                for (ReportModel.Op op : m.ops()) {
                    cells.add(geomeanCell(m.geomean(api, against, op.name())));
                }
                row(out, cells);
            }
        }
        out.println();
        out.println("Each cell: the geometric mean of the ratios of medians over the cases in "
                + "parentheses; below 1 the implementation takes less time than what it is "
                + "divided by. Against legacy, the cases where the U test finds it significantly "
                + "better (+) or worse (\u2212) are counted.");
        out.println();
    }

    /** "×1.021 (4) +1/−0": the geometric mean, its cases, and the significant ones. */
    static String geomeanCell(ReportModel.Geomean g) {
        if (g == null) return "";
        String s = Fmt.times(g.value(), false) + " (" + g.count() + ")";
        if (g.against().equals(ReportModel.BASELINE) && (g.better() > 0 || g.worse() > 0)) {
            s += " +" + g.better() + "/\u2212" + g.worse();
        }
        return s;
    }

    private static void op(ReportModel m, ReportModel.Op op, PrintWriter out) {
        out.println("## " + op.name());
        out.println();
        List<String> links = new ArrayList<>();
        for (Svg.Chart kind : Svg.Chart.values()) {
            if (kind.available(op)) {
                links.add("[" + kind.title() + "](index.html#" + kind.id(op) + ")");
            }
        }
        String charts = links.isEmpty() ? "" : " Charts: " + String.join(" \u00b7 ", links);
        out.println(Prose.opLine(op) + "." + charts);
        out.println();
        List<String> header = new ArrayList<>(op.paramNames());
        header.addAll(List.of("api", "time \u00b1 95%", "\u00d7 legacy [95%]", "p (U)", "p (Welch)",
                "verdict", "\u00d7 floor", "ns/page", "B/op"));
        row(out, header);
        out.println("|" + " --- |".repeat(op.paramNames().size())
                + " --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |");
        boolean hosts = m.run().hosts().size() > 1;
        for (ReportModel.Case c : op.cases()) {
            boolean first = true;
            for (ReportModel.Row r : c.rows()) {
                List<String> cells = params(op, c, first);
                cells.add("**" + r.api() + "**" + (first && hosts ? " @" + c.host() : ""));
                String time = Fmt.value(r.time().center(), op.unit(), false);
                cells.add(time + " " + Fmt.pm(r.time(), false));
                ReportModel.Comparison cmp = r.vsBaseline();
                if (cmp == null) {
                    cells.addAll(List.of("", "", "", ""));
                } else {
                    String ratio = Fmt.times(cmp.ratio().point(), false);
                    cells.add(ratio + " " + Fmt.interval(cmp.ratio()));
                    cells.add(Fmt.p(cmp.u().p()));
                    cells.add(Fmt.p(cmp.welchP()));
                    cells.add(Fmt.verdict(cmp));
                }
                cells.add(Double.isNaN(r.vsFloor()) ? "" : Fmt.times(r.vsFloor(), false));
                cells.add(r.nsPerPage() == null ? "" : Fmt.sig(r.nsPerPage().center()));
                cells.add(Fmt.bytes(r.bytesPerOp()));
                row(out, cells);
                first = false;
            }
            for (String api : c.missing()) {
                List<String> cells = params(op, c, first);
                cells.add("**" + api + "**");
                cells.add("not run: " + Prose.missingReason(m, c, api));
                for (int i = 0; i < 8; i++) cells.add("");
                row(out, cells);
                first = false;
            }
        }
        out.println();
    }

    /** The case's parameter values on its first row, blanks below. */
    private static List<String> params(ReportModel.Op op, ReportModel.Case c, boolean first) {
        List<String> cells = new ArrayList<>();
        for (String p : op.paramNames()) cells.add(first ? c.params().getOrDefault(p, "") : "");
        return cells;
    }

    /** The snapshots' table with full headings, the finding and a link to their results. */
    private static void realWorkloads(ReportModel m, PrintWriter out) {
        RealWorkloads real = m.realWorkloads();
        if (!real.present()) return;
        out.println("## " + Prose.REAL_WORKLOADS);
        out.println();
        if (!real.stats().isEmpty()) {
            row(out, real.headings());
            out.println("| --- |" + " ---: |".repeat(real.headings().size() - 1));
            for (SnapStat s : real.rows()) row(out, s.row());
            out.println();
            out.println(real.note());
            out.println();
        }
        if (real.missing() != null) {
            out.println(real.missing());
            out.println();
        }
        if (real.finding() != null) {
            out.println(real.finding());
            out.println();
        }
        String pointer = Prose.realWorkloadsPointer(m,
                op -> "[" + op.name() + "](#" + anchor(op.name()) + ")", t -> t);
        if (pointer != null) {
            out.println(pointer);
            out.println();
        }
    }

    private static void capabilities(ReportModel m, PrintWriter out) {
        Capabilities caps = m.capabilities();
        out.println("## Capability matrix");
        out.println();
        if (caps.absent() != null) {
            out.println("Not probed: " + caps.absent() + ".");
            out.println();
            return;
        }
        out.println("Probed by running each implementation found on the class path, not typed in.");
        out.println();
        List<String> header = new ArrayList<>(List.of("capability"));
        header.addAll(caps.apis());
        row(out, header);
        out.println("| --- |" + " --- |".repeat(caps.apis().size()));
        for (Capabilities.Feature f : caps.features()) {
            List<String> cells = new ArrayList<>(List.of(f.name()));
            for (Capabilities.Cell c : f.cells()) {
                cells.add(c.ok() ? c.text() : "**" + c.text() + "**");
            }
            row(out, cells);
        }
        out.println();
        out.println("How each was probed:");
        out.println();
        for (Capabilities.Feature f : caps.features()) {
            out.println("- *" + f.name() + "*: " + f.probe() + ".");
        }
        out.println();
        if (!caps.details().isEmpty()) {
            out.println("Details:");
            out.println();
            for (String d : caps.details()) out.println("- " + d);
            out.println();
        }
    }

    private static void codeSize(ReportModel m, PrintWriter out) {
        CodeSize code = m.codeSize();
        out.println("## Code size");
        out.println();
        if (code.absent() != null) {
            out.println("Not counted: " + code.absent() + ".");
            out.println();
            return;
        }
        out.println("Non-blank, non-comment lines of each operation's file and of each design's "
                + "primitives, counted from `api-*/src/main/java` of the checkout the report was "
                + "made in.");
        out.println();
        List<String> header = new ArrayList<>(List.of("operation"));
        header.addAll(code.apis());
        row(out, header);
        out.println("| --- |" + " ---: |".repeat(code.apis().size()));
        for (String op : code.operations()) {
            List<String> cells = new ArrayList<>(List.of(op));
            for (String api : code.apis()) {
                int lines = code.lines(api, op);
                cells.add(lines < 0 ? "\u2014" : String.valueOf(lines));
            }
            row(out, cells);
        }
        List<String> prim = new ArrayList<>(List.of("*primitives*"));
        List<String> total = new ArrayList<>(List.of("**total**"));
        for (String api : code.apis()) {
            prim.add(String.valueOf(code.primitives(api)));
            total.add("**" + code.total(api) + "**");
        }
        row(out, prim);
        row(out, total);
        out.println();
        out.println("Primitives, file by file:");
        out.println();
        for (String api : code.apis()) {
            List<String> parts = new ArrayList<>();
            for (CodeSize.FileCount f : code.files()) {
                if (f.api().equals(api) && f.op() == null) {
                    parts.add("`" + fileName(f.path()) + "` " + f.lines());
                }
            }
            out.println("- " + api + ": " + (parts.isEmpty() ? "none" : String.join(", ", parts)));
        }
        out.println();
    }

    /** GitHub's anchor of a heading: lower case, spaces to hyphens, other punctuation gone. */
    static String anchor(String heading) {
        StringBuilder sb = new StringBuilder();
        for (char c : heading.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') sb.append(c);
            else if (c == ' ') sb.append('-');
        }
        return sb.toString();
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** One table row; pipes inside cells are escaped. */
    private static void row(PrintWriter out, List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            String escaped = c.replaceAll("(?<!\\\\)\\|", "\\\\|");
            sb.append(' ').append(escaped).append(c.isEmpty() ? "|" : " |");
        }
        out.println(sb);
    }

    /** Inline code in a table cell. */
    static String code(String s) {
        return "`" + s.replace("`", "'").replace("|", "\\|") + "`";
    }
}

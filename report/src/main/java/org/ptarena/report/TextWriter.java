package org.ptarena.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.snap.SnapStat;

/**
 * {@code report.txt}: the same findings as {@code REPORT.md} in plain ASCII, never wider than
 * {@value #WIDTH} columns, ready to paste into a mailing-list reply. Every line goes through
 * {@link #emit}, which makes it ASCII and wraps anything that would still be too wide.
 */
public final class TextWriter implements ReportWriter {
    /** The widest line written. */
    public static final int WIDTH = 80;
    private static final String[] HEAD = {"api", "time", "+-95%", "x leg", "95% CI", "p(U)",
        "verdict", "x floor", "ns/pg", "B/op"};
    private static final boolean[] RIGHT = {false, true, true, true, false, true, false, true,
        true, true};
    private static final int LABEL = 15;

    @Override public String fileName() { return "report.txt"; }

    @Override public void write(ReportModel m, Writer w) throws IOException {
        List<String> lines = new ArrayList<>();
        title(lines, Prose.TITLE, '=');
        paragraph(lines, Prose.INTRO, "", "");
        paragraph(lines, Prose.generated(m), "", "");
        for (String note : m.notes()) {
            if (note.contains("cannot reach significance")) paragraph(lines, note, "!! ", "   ");
        }
        title(lines, "Run", '-');
        for (Prose.Pair p : Prose.run(m)) {
            List<String> wrapped = Fmt.wrap(Fmt.ascii(p.value()), WIDTH - 2 - LABEL);
            for (int i = 0; i < wrapped.size(); i++) {
                String label = i == 0 ? Fmt.left(p.label(), LABEL) : " ".repeat(LABEL);
                lines.add("  " + label + wrapped.get(i));
            }
        }
        lines.add("");
        title(lines, "How to read this", '-');
        for (String s : Prose.howToRead(m)) paragraph(lines, s, "- ", "  ");
        lines.add("");
        summary(m, lines);
        for (ReportModel.Op op : m.ops()) op(m, op, lines);
        realWorkloads(m, lines);
        capabilities(m, lines);
        codeSize(m, lines);
        if (!m.notes().isEmpty()) {
            title(lines, "Notes", '-');
            for (String n : m.notes()) paragraph(lines, n, "- ", "  ");
            lines.add("");
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (String line : lines) for (String l : emit(line)) w.write(l + "\n");
        w.flush();
    }

    /** {@code line} in ASCII without trailing blanks, cut into pieces of at most {@link #WIDTH}. */
    static List<String> emit(String line) {
        String s = Fmt.ascii(line).stripTrailing();
        List<String> out = new ArrayList<>();
        while (s.length() > WIDTH) {
            int indent = s.length() - s.stripLeading().length();
            int cut = s.lastIndexOf(' ', WIDTH);
            if (cut <= indent) cut = WIDTH;
            out.add(s.substring(0, cut).stripTrailing());
            s = "    " + s.substring(cut).strip();
        }
        out.add(s);
        return out;
    }

    private static void title(List<String> lines, String title, char underline) {
        lines.add(title);
        lines.add(String.valueOf(underline).repeat(Math.min(WIDTH, title.length())));
        lines.add("");
    }

    /** {@code text} wrapped, its first line led by {@code first}, the others by {@code rest}. */
    private static void paragraph(List<String> lines, String text, String first, String rest) {
        List<String> wrapped = Fmt.wrap(Fmt.ascii(text), WIDTH - first.length());
        for (int i = 0; i < wrapped.size(); i++) {
            lines.add((i == 0 ? first : rest) + wrapped.get(i));
        }
        if (first.isEmpty() || first.startsWith("!")) lines.add("");
    }

    private static void summary(ReportModel m, List<String> lines) {
        if (m.geomeans().isEmpty()) return;
        title(lines, "Summary: geometric mean of ratios (cases)", '-');
        int per = Math.max(1, (WIDTH - 2 - 14) / 17);
        for (String against : List.of(ReportModel.BASELINE, ReportModel.FLOOR)) {
            List<String> apis = new ArrayList<>();
            for (String api : m.apis()) if (m.geomean(api, against, null) != null) apis.add(api);
            for (int from = 0; from < apis.size(); from += per) {
                List<String> chunk = apis.subList(from, Math.min(apis.size(), from + per));
                String divided = "divided by " + against;
                StringBuilder head = new StringBuilder("  " + Fmt.left(divided, 14));
                for (String api : chunk) head.append(Fmt.right(api, 17));
                lines.add(head.toString());
                List<String> ops = new ArrayList<>();
                ops.add(null);
                for (ReportModel.Op op : m.ops()) ops.add(op.name());
                for (String op : ops) {
                    String name = op == null ? "all" : op;
                    StringBuilder line = new StringBuilder("  " + Fmt.left(name, 14));
                    boolean any = false;
                    for (String api : chunk) {
                        ReportModel.Geomean g = m.geomean(api, against, op);
                        any |= g != null;
                        String cell = g == null ? ""
                                : Fmt.times(g.value(), true) + " (" + g.count() + ")";
                        line.append(Fmt.right(cell, 17));
                    }
                    if (any) lines.add(line.toString());
                }
                lines.add("");
            }
        }
        paragraph(lines, "Below x1 the implementation takes less time than what it is divided by.",
                "", "");
    }

    private static void op(ReportModel m, ReportModel.Op op, List<String> lines) {
        title(lines, op.name() + " -- " + Prose.opLine(op), '-');
        List<String[]> table = new ArrayList<>();
        table.add(HEAD);
        List<Integer> starts = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<List<String>> missing = new ArrayList<>();
        boolean hosts = m.run().hosts().size() > 1;
        for (ReportModel.Case c : op.cases()) {
            starts.add(table.size());
            String pages = Prose.pagesNote(c);
            titles.add(c.label() + (hosts ? " @" + c.host() : "")
                    + (pages.isEmpty() ? "" : " (" + pages + ")"));
            for (ReportModel.Row r : c.rows()) table.add(cells(op, r));
            List<String> mine = new ArrayList<>();
            for (String api : c.missing()) {
                mine.add(api + ": not run: " + Prose.missingReason(m, c, api));
            }
            missing.add(mine);
        }
        int[] widths = new int[HEAD.length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], Fmt.ascii(row[i]).length());
            }
        }
        lines.add("    " + format(HEAD, widths));
        for (int k = 0; k < op.cases().size(); k++) {
            int to = k + 1 < starts.size() ? starts.get(k + 1) : table.size();
            lines.add("  " + titles.get(k));
            for (int i = starts.get(k); i < to; i++) {
                lines.add("    " + format(table.get(i), widths));
            }
            for (String s : missing.get(k)) {
                List<String> wrapped = Fmt.wrap(Fmt.ascii(s), WIDTH - 8);
                for (int i = 0; i < wrapped.size(); i++) {
                    lines.add((i == 0 ? "    " : "        ") + wrapped.get(i));
                }
            }
        }
        lines.add("");
    }

    /** One row of an operation's table, in {@link #HEAD}'s columns. */
    private static String[] cells(ReportModel.Op op, ReportModel.Row r) {
        ReportModel.Comparison cmp = r.vsBaseline();
        return new String[] {
            r.api(),
            Fmt.value(r.time().center(), op.unit(), true),
            Fmt.pm(r.time(), true).replace("+-", ""),
            cmp == null ? "" : Fmt.ratio(cmp.ratio().point()),
            cmp == null ? "" : Fmt.interval(cmp.ratio()).replace(", ", ","),
            cmp == null ? "" : Fmt.p(cmp.u().p()),
            Fmt.verdict(cmp),
            Double.isNaN(r.vsFloor()) ? "" : Fmt.ratio(r.vsFloor()),
            r.nsPerPage() == null ? "" : Fmt.sig(r.nsPerPage().center()),
            r.bytesPerOp() == null ? "" : Fmt.bytes(r.bytesPerOp())};
    }

    private static String format(String[] row, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) sb.append(' ');
            String cell = Fmt.ascii(row[i]);
            sb.append(RIGHT[i] ? Fmt.right(cell, widths[i]) : Fmt.left(cell, widths[i]));
        }
        return sb.toString().stripTrailing();
    }

    /**
     * The snapshots' table with short headings explained below it (shares in percent without the
     * sign), then the finding and where their race results are.
     */
    private static void realWorkloads(ReportModel m, List<String> lines) {
        RealWorkloads real = m.realWorkloads();
        if (!real.present()) return;
        title(lines, Prose.REAL_WORKLOADS, '-');
        if (!real.stats().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(real.shortHeadings());
            for (SnapStat s : real.rows()) {
                rows.add(RealWorkloads.textRow(s));
            }
            int[] widths = new int[rows.get(0).size()];
            for (List<String> r : rows) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], Fmt.ascii(r.get(i)).length());
                }
            }
            int others = 0;
            for (int i = 1; i < widths.length; i++) others += 2 + widths[i];
            // a long snapshot name is cut (ending in ~) rather than the line wrapped
            int name = Math.max(8, Math.min(widths[0], WIDTH - 2 - others));
            for (List<String> r : rows) {
                String first = Fmt.ascii(r.get(0));
                if (first.length() > name) first = first.substring(0, name - 1) + "~";
                StringBuilder sb = new StringBuilder("  " + Fmt.left(first, name));
                for (int i = 1; i < widths.length; i++) {
                    sb.append("  ").append(Fmt.right(Fmt.ascii(r.get(i)), widths[i]));
                }
                lines.add(sb.toString());
            }
            lines.add("");
            paragraph(lines, real.legend(), "", "");
        }
        if (real.missing() != null) paragraph(lines, real.missing(), "", "");
        if (real.finding() != null) paragraph(lines, real.finding(), "", "");
        String pointer = Prose.realWorkloadsPointer(m, ReportModel.Op::name,
                t -> t);
        if (pointer != null) paragraph(lines, pointer, "", "");
    }

    private static void capabilities(ReportModel m, List<String> lines) {
        Capabilities caps = m.capabilities();
        title(lines, "Capability matrix (probed by running each implementation)", '-');
        if (caps.absent() != null) {
            paragraph(lines, "Not probed: " + caps.absent() + ".", "", "");
            return;
        }
        int n = caps.apis().size();
        int first = 20;
        int col = Math.max(8, (WIDTH - 2 - first - n) / Math.max(1, n));
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("capability"));
        head.addAll(caps.apis());
        rows.add(head);
        for (Capabilities.Feature f : caps.features()) {
            List<String> r = new ArrayList<>(List.of(f.name()));
            for (Capabilities.Cell c : f.cells()) r.add(c.text());
            rows.add(r);
        }
        for (List<String> r : rows) {
            List<List<String>> cells = new ArrayList<>();
            int height = 0;
            for (int i = 0; i < r.size(); i++) {
                List<String> wrapped = Fmt.wrap(Fmt.ascii(r.get(i)), i == 0 ? first : col);
                cells.add(wrapped);
                height = Math.max(height, wrapped.size());
            }
            for (int h = 0; h < height; h++) {
                StringBuilder sb = new StringBuilder("  ");
                for (int i = 0; i < cells.size(); i++) {
                    String part = h < cells.get(i).size() ? cells.get(i).get(h) : "";
                    sb.append(Fmt.left(part, i == 0 ? first : col)).append(' ');
                }
                lines.add(sb.toString());
            }
        }
        lines.add("");
        for (Capabilities.Feature f : caps.features()) {
            paragraph(lines, f.name() + ": " + f.probe() + ".", "- ", "  ");
        }
        lines.add("");
        for (String d : caps.details()) paragraph(lines, d, "* ", "  ");
        if (!caps.details().isEmpty()) lines.add("");
    }

    private static void codeSize(ReportModel m, List<String> lines) {
        CodeSize code = m.codeSize();
        title(lines, "Code size (non-blank, non-comment lines)", '-');
        if (code.absent() != null) {
            paragraph(lines, "Not counted: " + code.absent() + ".", "", "");
            return;
        }
        paragraph(lines, "Each operation's file and each design's primitives, counted from "
                + "api-*/src/main/java of the checkout the report was made in.", "", "");
        StringBuilder head = new StringBuilder("  " + Fmt.left("operation", 14));
        for (String api : code.apis()) head.append(Fmt.right(api, 10));
        lines.add(head.toString());
        for (String op : code.operations()) {
            StringBuilder line = new StringBuilder("  " + Fmt.left(op, 14));
            for (String api : code.apis()) {
                int n = code.lines(api, op);
                line.append(Fmt.right(n < 0 ? "-" : String.valueOf(n), 10));
            }
            lines.add(line.toString());
        }
        StringBuilder prim = new StringBuilder("  " + Fmt.left("primitives", 14));
        StringBuilder total = new StringBuilder("  " + Fmt.left("total", 14));
        for (String api : code.apis()) {
            prim.append(Fmt.right(String.valueOf(code.primitives(api)), 10));
            total.append(Fmt.right(String.valueOf(code.total(api)), 10));
        }
        lines.add(prim.toString());
        lines.add(total.toString());
        lines.add("");
        for (String api : code.apis()) {
            List<String> parts = new ArrayList<>();
            for (CodeSize.FileCount f : code.files()) {
                if (f.api().equals(api) && f.op() == null) {
                    parts.add(MarkdownWriter.fileName(f.path()) + " " + f.lines());
                }
            }
            String files = parts.isEmpty() ? "none" : String.join(", ", parts);
            paragraph(lines, api + " primitives: " + files, "- ", "  ");
        }
        lines.add("");
    }
}

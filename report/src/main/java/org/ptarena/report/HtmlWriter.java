package org.ptarena.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.snap.SnapStat;

/**
 * {@code index.html}: the whole report in one self-contained page — inline CSS, the charts as
 * inline SVG ({@link Svg}), no script and no reference to anything outside the file, so it reads
 * the same offline. Written as well-formed XML (every element closed, only XML's own entities),
 * so that an XML parser can check it.
 */
public final class HtmlWriter implements ReportWriter {
    /** The anchor of the real-workloads section. */
    static final String REAL_ID = "real-workloads";
    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;",
            "  color:#1d1d1f;margin:0 auto;max-width:1180px;padding:24px 28px 60px;",
            "  line-height:1.45;background:#fff}",
            "h1{font-size:28px;margin:0 0 6px}",
            "h2{font-size:21px;margin:36px 0 8px;padding-top:8px;border-top:2px solid #e8e8ed}",
            "p.lead{font-size:15px;color:#333;margin:4px 0}p.meta{color:#555;font-size:13px}",
            ".warn{background:#fff6e0;border-left:4px solid #e0a100;padding:8px 12px;",
            "  margin:14px 0;font-size:14px}",
            "nav{font-size:13px;margin:14px 0;padding:8px 12px;background:#f5f5f7;",
            "  border-radius:6px}",
            "nav a{margin-right:12px;white-space:nowrap}a{color:#0b63c5;text-decoration:none}",
            "a:hover{text-decoration:underline}",
            "table{border-collapse:collapse;font-size:12.5px;margin:8px 0 14px}",
            "th,td{padding:3px 8px;border-bottom:1px solid #e8e8ed;text-align:left;",
            "  vertical-align:top}",
            "th{background:#f5f5f7;font-weight:600}",
            "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "tr.first td{border-top:1.5px solid #c9c9d1}",
            "td.case{font-weight:600;white-space:nowrap}",
            "td.better{color:#08752f;font-weight:600}td.worse{color:#b3261e;font-weight:600}",
            "td.few{color:#8a6d00}td.no{color:#b3261e}td.missing{color:#777;font-style:italic}",
            ".api{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}",
            "table.run td:first-child{color:#555;white-space:nowrap}",
            "code{font-size:12px;background:#f5f5f7;padding:1px 4px;border-radius:3px;",
            "  word-break:break-all}",
            "figure{margin:10px 0 18px;overflow-x:auto}",
            "figcaption{font-size:13px;color:#444;margin:4px 0}",
            "ul{padding-left:22px}li{margin:3px 0}");

    @Override public String fileName() { return "index.html"; }

    @Override public void write(ReportModel m, Writer w) throws IOException {
        PrintWriter out = new PrintWriter(w);
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\">");
        out.println("<head>");
        out.println("<meta charset=\"utf-8\"/>");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        out.println("<title>" + esc(Prose.TITLE) + "</title>");
        out.println("<style>");
        out.println(CSS);
        out.println("</style>");
        out.println("</head>");
        out.println("<body>");
        out.println("<h1>" + esc(Prose.TITLE) + "</h1>");
        out.println("<p class=\"lead\">" + esc(Prose.INTRO) + "</p>");
        out.println("<p class=\"meta\">" + esc(Prose.generated(m)) + " Also as "
                + "<a href=\"REPORT.md\">Markdown</a>, <a href=\"report.txt\">plain text</a> and "
                + "<a href=\"results.csv\">CSV</a>.</p>");
        for (String note : m.notes()) {
            if (note.contains("cannot reach significance")) {
                out.println("<p class=\"warn\">" + esc(note) + "</p>");
            }
        }
        nav(m, out);
        run(m, out);
        out.println("<h2 id=\"how\">How to read this</h2>");
        list(out, Prose.howToRead(m));
        summary(m, out);
        for (ReportModel.Op op : m.ops()) op(m, op, out);
        realWorkloads(m, out);
        capabilities(m, out);
        codeSize(m, out);
        if (!m.notes().isEmpty()) {
            out.println("<h2 id=\"notes\">Notes</h2>");
            list(out, m.notes());
        }
        out.println("</body>");
        out.println("</html>");
        out.flush();
    }

    private static void nav(ReportModel m, PrintWriter out) {
        StringBuilder sb = new StringBuilder("<nav>");
        sb.append("<a href=\"#run\">Run</a><a href=\"#how\">How to read</a>");
        if (!m.geomeans().isEmpty()) sb.append("<a href=\"#summary\">Summary</a>");
        for (ReportModel.Op op : m.ops()) {
            sb.append("<a href=\"#").append(op.id()).append("\">").append(esc(op.name()))
                    .append("</a>");
        }
        if (m.realWorkloads().present()) {
            sb.append("<a href=\"#").append(REAL_ID).append("\">")
                    .append(esc(Prose.REAL_WORKLOADS)).append("</a>");
        }
        sb.append("<a href=\"#capabilities\">Capabilities</a><a href=\"#code-size\">Code size</a>");
        if (!m.notes().isEmpty()) sb.append("<a href=\"#notes\">Notes</a>");
        out.println(sb.append("</nav>"));
    }

    private static void run(ReportModel m, PrintWriter out) {
        out.println("<h2 id=\"run\">Run</h2>");
        out.println("<table class=\"run\">");
        for (Prose.Pair p : Prose.run(m)) {
            String value = MarkdownWriter.isCode(p) ? "<code>" + esc(p.value()) + "</code>"
                    : esc(p.value());
            out.println("<tr><td>" + esc(p.label()) + "</td><td>" + value + "</td></tr>");
        }
        out.println("</table>");
    }

    private static void summary(ReportModel m, PrintWriter out) {
        if (m.geomeans().isEmpty()) return;
        out.println("<h2 id=\"summary\">Summary: geometric mean of ratios</h2>");
        out.println("<table>");
        StringBuilder h = new StringBuilder("<tr><th>ratio</th><th class=\"n\">all</th>");
        for (ReportModel.Op op : m.ops()) {
            h.append("<th class=\"n\">").append(esc(op.name())).append("</th>");
        }
        out.println(h.append("</tr>"));
        for (String against : List.of(ReportModel.BASELINE, ReportModel.FLOOR)) {
            for (String api : m.apis()) {
                if (m.geomean(api, against, null) == null) continue;
                StringBuilder r = new StringBuilder("<tr><td>").append(dot(api))
                        .append(esc(api + " \u00f7 " + against)).append("</td>");
                r.append(num(MarkdownWriter.geomeanCell(m.geomean(api, against, null))));
                for (ReportModel.Op op : m.ops()) {
                    r.append(num(MarkdownWriter.geomeanCell(m.geomean(api, against, op.name()))));
                }
                out.println(r.append("</tr>"));
            }
        }
        out.println("</table>");
        out.println("<p class=\"meta\">Each cell: the geometric mean of the ratios of medians over "
                + "the cases in parentheses. Against legacy, the cases the U test finds "
                + "significantly better (+) or worse (\u2212) are counted.</p>");
    }

    private static void op(ReportModel m, ReportModel.Op op, PrintWriter out) {
        out.println("<h2 id=\"" + op.id() + "\">" + esc(op.name()) + "</h2>");
        out.println("<p class=\"meta\">" + esc(Prose.opLine(op)) + "</p>");
        out.println("<table>");
        StringBuilder h = new StringBuilder("<tr>");
        for (String p : op.paramNames()) h.append("<th>").append(esc(p)).append("</th>");
        h.append("<th>api</th>");
        for (String c : List.of("time \u00b1 95%", "\u00d7 legacy [95%]", "p (U)", "p (Welch)")) {
            h.append("<th class=\"n\">").append(esc(c)).append("</th>");
        }
        h.append("<th>verdict</th>");
        for (String c : List.of("\u00d7 floor", "ns/page", "B/op")) {
            h.append("<th class=\"n\">").append(esc(c)).append("</th>");
        }
        out.println(h.append("</tr>"));
        boolean hosts = m.run().hosts().size() > 1;
        for (ReportModel.Case c : op.cases()) {
            int span = c.rows().size() + c.missing().size();
            boolean first = true;
            for (ReportModel.Row r : c.rows()) {
                StringBuilder row = new StringBuilder(first ? "<tr class=\"first\">" : "<tr>");
                if (first) caseCells(op, c, span, hosts, row);
                row.append("<td>").append(dot(r.api())).append(esc(r.api())).append("</td>");
                String time = Fmt.value(r.time().center(), op.unit(), false);
                row.append(num(time + " " + Fmt.pm(r.time(), false)));
                ReportModel.Comparison cmp = r.vsBaseline();
                if (cmp == null) {
                    row.append(num("")).append(num("")).append(num("")).append("<td></td>");
                } else {
                    String ratio = Fmt.times(cmp.ratio().point(), false);
                    row.append(num(ratio + " " + Fmt.interval(cmp.ratio())));
                    row.append(num(Fmt.p(cmp.u().p()))).append(num(Fmt.p(cmp.welchP())));
                    row.append("<td class=\"").append(verdictClass(cmp)).append("\">")
                            .append(esc(Fmt.verdict(cmp))).append("</td>");
                }
                row.append(num(Double.isNaN(r.vsFloor()) ? "" : Fmt.times(r.vsFloor(), false)));
                row.append(num(r.nsPerPage() == null ? "" : Fmt.sig(r.nsPerPage().center())));
                row.append(num(Fmt.bytes(r.bytesPerOp())));
                out.println(row.append("</tr>"));
                first = false;
            }
            for (String api : c.missing()) {
                StringBuilder row = new StringBuilder(first ? "<tr class=\"first\">" : "<tr>");
                if (first) caseCells(op, c, span, hosts, row);
                row.append("<td>").append(dot(api)).append(esc(api)).append("</td>");
                row.append("<td class=\"missing\" colspan=\"8\">not run: ")
                        .append(esc(Prose.missingReason(m, c, api))).append("</td>");
                out.println(row.append("</tr>"));
                first = false;
            }
        }
        out.println("</table>");
        for (Svg.Chart kind : Svg.Chart.values()) {
            if (!kind.available(op)) continue;
            out.println("<figure id=\"" + kind.id(op) + "\">");
            out.println("<figcaption><b>" + esc(op.name() + ": " + kind.title()) + "</b> \u2014 "
                    + esc(caption(kind, op)) + "</figcaption>");
            out.print(Svg.render(kind, m, op));
            out.println("</figure>");
        }
    }

    private static String caption(Svg.Chart kind, ReportModel.Op op) {
        String per = Svg.forksPerPage(op) ? "Per base page, so that every size shares one axis: "
                : "";
        return switch (kind) {
            case FORKS -> per + "every fork is a dot, the thick tick is the median, the line "
                    + "its 95% interval (a thin line: the range of the forks, when they are too "
                    + "few for an interval).";
            case RATIO -> "each implementation's median over legacy's with its bootstrap 95% "
                    + "interval; left of the line is less time.";
            case SCALING -> "ns per base page against pages per op, log\u2013log, per layout and "
                    + "scenario.";
            case ALLOC -> "bytes allocated per op, median over forks.";
        };
    }

    /** The case's parameter cells, spanning its rows; the host after the first when several. */
    private static void caseCells(ReportModel.Op op, ReportModel.Case c, int span, boolean host,
            StringBuilder row) {
        for (int i = 0; i < op.paramNames().size(); i++) {
            String v = c.params().getOrDefault(op.paramNames().get(i), "");
            if (i == 0 && host) v = v + " @" + c.host();
            row.append("<td class=\"case\" rowspan=\"").append(span).append("\">").append(esc(v))
                    .append("</td>");
        }
    }

    private static String verdictClass(ReportModel.Comparison c) {
        return switch (c.verdict()) {
            case BETTER -> "better";
            case WORSE -> "worse";
            case SAME -> "same";
            case TOO_FEW -> "few";
        };
    }

    /** The snapshots' table with full headings, the finding and links to their results. */
    private static void realWorkloads(ReportModel m, PrintWriter out) {
        RealWorkloads real = m.realWorkloads();
        if (!real.present()) return;
        out.println("<h2 id=\"" + REAL_ID + "\">" + esc(Prose.REAL_WORKLOADS) + "</h2>");
        if (!real.stats().isEmpty()) {
            out.println("<table>");
            List<String> head = real.headings();
            StringBuilder h = new StringBuilder("<tr>");
            for (int i = 0; i < head.size(); i++) {
                h.append(i == 0 ? "<th>" : "<th class=\"n\">").append(esc(head.get(i)))
                        .append("</th>");
            }
            out.println(h.append("</tr>"));
            for (SnapStat s : real.rows()) {
                boolean total = s.name().equals(RealWorkloads.TOTAL) && real.total() == s;
                StringBuilder r = new StringBuilder(total ? "<tr class=\"first\">" : "<tr>");
                List<String> cells = s.row();
                r.append("<td class=\"case\">").append(esc(cells.get(0))).append("</td>");
                for (int i = 1; i < cells.size(); i++) r.append(num(cells.get(i)));
                out.println(r.append("</tr>"));
            }
            out.println("</table>");
            out.println("<p class=\"meta\">" + esc(real.note()) + "</p>");
        }
        if (real.missing() != null) out.println("<p>" + esc(real.missing()) + "</p>");
        if (real.finding() != null) out.println("<p>" + esc(real.finding()) + "</p>");
        String pointer = Prose.realWorkloadsPointer(m,
                op -> "<a href=\"#" + op.id() + "\">" + esc(op.name()) + "</a>", HtmlWriter::esc);
        if (pointer != null) out.println("<p>" + pointer + "</p>");
    }

    private static void capabilities(ReportModel m, PrintWriter out) {
        Capabilities caps = m.capabilities();
        out.println("<h2 id=\"capabilities\">Capability matrix</h2>");
        if (caps.absent() != null) {
            out.println("<p>Not probed: " + esc(caps.absent()) + ".</p>");
            return;
        }
        out.println("<p class=\"meta\">Probed by running each implementation found on the class "
                + "path, not typed in.</p>");
        out.println("<table>");
        StringBuilder h = new StringBuilder("<tr><th>capability</th>");
        for (String api : caps.apis()) {
            h.append("<th>").append(dot(api)).append(esc(api)).append("</th>");
        }
        out.println(h.append("<th>how it was probed</th></tr>"));
        for (Capabilities.Feature f : caps.features()) {
            StringBuilder r = new StringBuilder("<tr><td class=\"case\">").append(esc(f.name()))
                    .append("</td>");
            for (Capabilities.Cell c : f.cells()) {
                r.append(c.ok() ? "<td>" : "<td class=\"no\">").append(esc(c.text()))
                        .append("</td>");
            }
            r.append("<td class=\"missing\">").append(esc(f.probe())).append("</td></tr>");
            out.println(r);
        }
        out.println("</table>");
        if (!caps.details().isEmpty()) list(out, caps.details());
    }

    private static void codeSize(ReportModel m, PrintWriter out) {
        CodeSize code = m.codeSize();
        out.println("<h2 id=\"code-size\">Code size</h2>");
        if (code.absent() != null) {
            out.println("<p>Not counted: " + esc(code.absent()) + ".</p>");
            return;
        }
        out.println("<p class=\"meta\">Non-blank, non-comment lines of each operation's file "
                + "and of each design's primitives, counted from <code>api-*/src/main/java</code> "
                + "of the checkout the report was made in.</p>");
        out.println("<table>");
        StringBuilder h = new StringBuilder("<tr><th>operation</th>");
        for (String api : code.apis()) {
            h.append("<th class=\"n\">").append(dot(api)).append(esc(api)).append("</th>");
        }
        out.println(h.append("</tr>"));
        for (String op : code.operations()) {
            StringBuilder r = new StringBuilder("<tr><td>").append(esc(op)).append("</td>");
            for (String api : code.apis()) {
                int lines = code.lines(api, op);
                r.append(num(lines < 0 ? "\u2014" : String.valueOf(lines)));
            }
            out.println(r.append("</tr>"));
        }
        StringBuilder prim = new StringBuilder("<tr class=\"first\"><td><i>primitives</i></td>");
        StringBuilder total = new StringBuilder("<tr><td><b>total</b></td>");
        for (String api : code.apis()) {
            prim.append(num(String.valueOf(code.primitives(api))));
            total.append("<td class=\"n\"><b>").append(code.total(api)).append("</b></td>");
        }
        out.println(prim.append("</tr>"));
        out.println(total.append("</tr>"));
        out.println("</table>");
        out.println("<ul>");
        for (String api : code.apis()) {
            List<String> parts = new ArrayList<>();
            for (CodeSize.FileCount f : code.files()) {
                if (!f.api().equals(api) || f.op() != null) continue;
                String name = esc(MarkdownWriter.fileName(f.path()));
                parts.add("<code>" + name + "</code> " + f.lines());
            }
            String files = parts.isEmpty() ? "none" : String.join(", ", parts);
            out.println("<li>" + esc(api) + " primitives: " + files + "</li>");
        }
        out.println("</ul>");
    }

    private static void list(PrintWriter out, List<String> items) {
        out.println("<ul>");
        for (String s : items) out.println("<li>" + esc(s) + "</li>");
        out.println("</ul>");
    }

    private static String dot(String api) {
        return "<span class=\"api\" style=\"background:" + Svg.color(api) + "\"></span>";
    }

    private static String num(String s) {
        return "<td class=\"n\">" + esc(s) + "</td>";
    }

    static String esc(String s) {
        return Svg.esc(s);
    }
}

package org.ptarena.report;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.snap.SnapStat;

/**
 * {@code results.csv} (RFC 4180): one row per benchmark and parameter setting, with every
 * statistic of the model and the fork values themselves; when the results raced a snapshot,
 * {@code snap_*} columns with its statistics follow ({@link #SNAP_COLUMNS}). Numbers have nine
 * significant digits, written the same on every JVM; an empty field is a statistic that does not
 * apply, {@code inf} an unbounded interval end.
 */
public final class CsvWriter implements ReportWriter {
    private static final MathContext DIGITS = new MathContext(9);

    @Override public String fileName() { return "results.csv"; }

    @Override public void write(ReportModel m, Writer w) throws IOException {
        List<String> params = new ArrayList<>(List.of(ReportModel.API_PARAM));
        for (ReportModel.Op op : m.ops()) {
            for (String p : op.paramNames()) if (!params.contains(p)) params.add(p);
        }
        List<String> head = new ArrayList<>(List.of("host", "benchmark", "op", "unit"));
        head.addAll(params);
        head.addAll(List.of("forks", "dropped", "median", "ci_lo", "ci_hi", "ci_confidence",
                "mean", "min", "max", "ratio_legacy", "ratio_legacy_lo", "ratio_legacy_hi", "u",
                "p_utest", "p_utest_exact", "ties", "p_welch", "min_p", "verdict", "ratio_floor",
                "pages_per_op", "ns_per_page", "ns_per_page_lo", "ns_per_page_hi", "bytes_per_op",
                "bytes_per_op_lo", "bytes_per_op_hi", "fork_values", "files"));
        boolean snaps = m.realWorkloads().present();
        if (snaps) head.addAll(SNAP_COLUMNS);
        line(w, head);
        for (ReportModel.Op op : m.ops()) {
            for (ReportModel.Case c : op.cases()) {
                for (ReportModel.Row r : c.rows()) {
                    List<String> f = new ArrayList<>(
                            List.of(c.host(), c.benchmark(), op.name(), op.unit()));
                    for (String p : params) {
                        boolean api = p.equals(ReportModel.API_PARAM);
                        f.add(api ? r.api() : c.params().getOrDefault(p, ""));
                    }
                    Stats.Summary t = r.time();
                    double[] s = ReportModel.sorted(r.forks());
                    f.add(String.valueOf(r.forks().length));
                    f.add(String.valueOf(r.dropped()));
                    f.addAll(List.of(num(t.center()), num(t.lo()), num(t.hi()), num(t.confidence()),
                            num(Stats.mean(r.forks())), num(s.length == 0 ? Double.NaN : s[0]),
                            num(s.length == 0 ? Double.NaN : s[s.length - 1])));
                    ReportModel.Comparison cmp = r.vsBaseline();
                    if (cmp == null) {
                        for (int i = 0; i < 10; i++) f.add("");
                    } else {
                        f.addAll(List.of(num(cmp.ratio().point()), num(cmp.ratio().lo()),
                                num(cmp.ratio().hi()), num(cmp.u().u()), num(cmp.u().p()),
                                String.valueOf(cmp.u().exact()),
                                String.valueOf(cmp.u().ties()), num(cmp.welchP()), num(cmp.minP()),
                                cmp.verdict().name().toLowerCase(java.util.Locale.ROOT)));
                    }
                    f.add(num(r.vsFloor()));
                    f.add(num(r.pagesPerOp()));
                    f.addAll(summary(r.nsPerPage()));
                    f.addAll(summary(r.bytesPerOp()));
                    List<String> forks = new ArrayList<>();
                    for (double v : r.forks()) forks.add(num(v));
                    f.add(String.join(";", forks));
                    List<String> files = new ArrayList<>();
                    for (java.nio.file.Path p : r.files()) files.add(Prose.display(p));
                    f.add(String.join(";", files));
                    if (snaps) f.addAll(snapshot(m.realWorkloads(), c));
                    line(w, f);
                }
            }
        }
        w.flush();
    }

    /**
     * The statistics of the snapshot a row raced ({@code scenario=snap:NAME}), as counts of pages
     * ({@link SnapStat}); only when the results raced a snapshot.
     */
    static final List<String> SNAP_COLUMNS = List.of("snap_vmas", "snap_pages", "snap_runs",
            "snap_pfns", "snap_thp_pages", "snap_contig_bytes", "snap_contig_present_pages",
            "snap_contig_foldable_pages", "snap_pmd_bytes", "snap_pmd_present_pages",
            "snap_pmd_foldable_pages");

    /**
     * The {@link #SNAP_COLUMNS} of case {@code c}: empty fields when it raced no snapshot or its
     * snapshot was not found, the foldable counts empty with synthetic pfns.
     */
    private static List<String> snapshot(RealWorkloads real, ReportModel.Case c) {
        String name = RealWorkloads.snapshotOf(c.params().get(RealWorkloads.SCENARIO));
        SnapStat s = name == null ? null : real.stat(name);
        if (s == null) return java.util.Collections.nCopies(SNAP_COLUMNS.size(), "");
        String cf = s.realPfns() ? String.valueOf(s.contigFoldable()) : "";
        String pf = s.realPfns() ? String.valueOf(s.pmdFoldable()) : "";
        long page = 1L << real.pageShift(name);
        return List.of(String.valueOf(s.vmas()), String.valueOf(s.pages()),
                String.valueOf(s.runs()), s.realPfns() ? "real" : "synthetic",
                String.valueOf(s.thpPages()), String.valueOf(page << s.contigOrder()),
                String.valueOf(s.contigPresent()), cf, String.valueOf(page << s.pmdOrder()),
                String.valueOf(s.pmdPresent()), pf);
    }

    /** Centre, low and high of a summary; three empty fields for none. */
    private static List<String> summary(Stats.Summary s) {
        return s == null ? List.of("", "", "") : List.of(num(s.center()), num(s.lo()), num(s.hi()));
    }

    /** Nine significant digits, plain; empty for NaN, {@code inf}/{@code -inf} for infinities. */
    static String num(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
    }

    private static void line(Writer w, List<String> fields) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(fields.get(i)));
        }
        w.write(sb.append("\r\n").toString());
    }

    /** A field quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String quote(String s) {
        boolean plain = s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0;
        if (plain) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

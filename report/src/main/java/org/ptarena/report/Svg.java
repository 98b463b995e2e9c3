package org.ptarena.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.Predicate;

/**
 * Hand-written SVG charts, deterministic (same model, same bytes): per operation a
 * dot-and-interval chart of every implementation and the floor with every fork's point, a
 * ratio-to-legacy chart with bootstrap intervals, ns per page against pages on log–log axes, and
 * bytes allocated per op. No script, no external reference: each chart is one {@code <svg>}
 * element with its own attributes, readable offline.
 */
final class Svg {
    static final int WIDTH = 820;
    private static final int LEFT = 240;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 46;
    private static final int LANE = 10;
    private static final int GAP = 10;
    private static final int PANEL_W = 390;
    private static final int PANEL_H = 240;
    private static final String FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, "
            + "sans-serif";
    private static final String GRID = "#e3e3e3";

    private Svg() { }

    /** The charts of an operation. */
    enum Chart {
        FORKS("forks and medians"),
        RATIO("ratio to legacy"),
        SCALING("scaling"),
        ALLOC("allocation");

        private final String title;

        Chart(String title) { this.title = title; }

        String title() { return title; }

        /** The anchor of this chart of {@code op} in {@code index.html}. */
        String id(ReportModel.Op op) { return op.id() + "-" + name().toLowerCase(Locale.ROOT); }

        /** Whether {@code op} has data for this chart. */
        boolean available(ReportModel.Op op) {
            return switch (this) {
                case FORKS -> !op.cases().isEmpty();
                case RATIO -> anyRow(op, r -> r.vsBaseline() != null);
                case SCALING -> op.hasScaling();
                case ALLOC -> anyRow(op, r -> r.bytesPerOp() != null);
            };
        }

        private static boolean anyRow(ReportModel.Op op, Predicate<ReportModel.Row> p) {
            return op.cases().stream().anyMatch(c -> c.rows().stream().anyMatch(p));
        }
    }

    /** The colour of an implementation: the same in every chart. */
    static String color(String api) {
        return switch (api) {
            case "legacy" -> "#1f77b4";
            case "ptptr" -> "#d95f02";
            case "vpte" -> "#1b9e77";
            case ReportModel.FLOOR -> "#7f7f7f";
            default -> "#7570b3";
        };
    }

    static String render(Chart chart, ReportModel m, ReportModel.Op op) {
        return switch (chart) {
            case FORKS -> forks(m, op);
            case RATIO -> ratio(m, op);
            case SCALING -> scaling(m, op);
            case ALLOC -> alloc(m, op);
        };
    }

    /** Whether the fork chart of {@code op} is drawn per base page (every row knows its pages). */
    static boolean forksPerPage(ReportModel.Op op) {
        if (Double.isNaN(Units.nanosPerUnit(op.unit()))) return false;
        return op.cases().stream().allMatch(c -> c.rows().stream()
                .allMatch(r -> !Double.isNaN(r.pagesPerOp()) && r.pagesPerOp() > 0));
    }

    /** From a row's unit to the fork chart's axis: ns per page, ns per op, or the unit itself. */
    private static double scale(ReportModel.Row r, double nanos, boolean perPage) {
        if (Double.isNaN(nanos)) return 1;
        return perPage ? nanos / r.pagesPerOp() : nanos;
    }

    private static String forks(ReportModel m, ReportModel.Op op) {
        List<String> apis = m.apis();
        double nanos = Units.nanosPerUnit(op.unit());
        boolean perPage = forksPerPage(op);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (ReportModel.Case c : op.cases()) {
            for (ReportModel.Row r : c.rows()) {
                double scale = scale(r, nanos, perPage);
                for (double v : r.forks()) {
                    if (!(v > 0)) continue;
                    lo = Math.min(lo, v * scale);
                    hi = Math.max(hi, v * scale);
                }
            }
        }
        LogAxis x = LogAxis.of(lo, hi, LEFT, WIDTH - RIGHT);
        int band = apis.size() * LANE + GAP;
        int height = TOP + op.cases().size() * band + BOTTOM;
        Doc d = new Doc(WIDTH, height, op.name() + ": every fork, the median and its 95% "
                + "interval, per implementation");
        legend(d, apis, TOP - 26);
        bands(d, op, band);
        x.grid(d, TOP, height - BOTTOM, v -> perPage ? trimZeros(Fmt.sig(v)) + " ns"
                : Double.isNaN(nanos) ? trimZeros(Fmt.sig(v)) : trimTime(Fmt.time(v, false)));
        String axis = perPage ? "nanoseconds per base page"
                : Double.isNaN(nanos) ? op.unit() : "time per op";
        String better = op.higherIsBetter() ? "higher" : "lower";
        d.text(LEFT + (WIDTH - RIGHT - LEFT) / 2.0, height - 8, "middle", 11, "#333",
                axis + " (log scale; " + better + " is better)");
        int y0 = TOP;
        for (ReportModel.Case c : op.cases()) {
            for (int lane = 0; lane < apis.size(); lane++) {
                ReportModel.Row r = c.row(apis.get(lane));
                if (r == null) continue;
                double y = y0 + GAP / 2.0 + lane * LANE + LANE / 2.0;
                forkLane(d, x, op, c, r, scale(r, nanos, perPage), y);
            }
            y0 += band;
        }
        return d.close();
    }

    /** One implementation's forks: interval (or range), every fork's dot, the median's tick. */
    private static void forkLane(Doc d, LogAxis x, ReportModel.Op op, ReportModel.Case c,
            ReportModel.Row r, double scale, double y) {
        String col = color(r.api());
        Stats.Summary s = r.time();
        double[] forks = r.forks();
        if (s.n() > 1) {
            double[] sorted = ReportModel.sorted(forks);
            double a = s.bounded() ? s.lo() : sorted[0];
            double b = s.bounded() ? s.hi() : sorted[sorted.length - 1];
            String style = s.bounded() ? " stroke-width=\"2\" stroke-opacity=\"0.8\""
                    : " stroke-width=\"1\" stroke-opacity=\"0.45\"";
            d.line(x.at(a * scale), y, x.at(b * scale), y, col, style);
        }
        for (int i = 0; i < forks.length; i++) {
            if (!(forks[i] > 0)) continue;
            double jitter = ((i % 3) - 1) * 2.0;
            d.circle(x.at(forks[i] * scale), y + jitter, 2.4, col, " fill-opacity=\"0.55\"", null);
        }
        if (s.n() > 0 && s.center() > 0) {
            double cx = x.at(s.center() * scale);
            String median = Fmt.value(s.center(), op.unit(), false) + " " + Fmt.pm(s, false);
            d.line(cx, y - 4.5, cx, y + 4.5, col, " stroke-width=\"2.5\"", c.label() + " "
                    + r.api() + ": median " + median + ", " + s.n() + " forks");
        }
    }

    private static String ratio(ReportModel m, ReportModel.Op op) {
        List<String> apis = m.challengers();
        double span = Math.log(1.1);
        for (ReportModel.Case c : op.cases()) {
            for (ReportModel.Row r : c.rows()) {
                ReportModel.Comparison cmp = r.vsBaseline();
                if (cmp == null) continue;
                Stats.Interval i = cmp.ratio();
                for (double v : new double[] {i.point(), i.lo(), i.hi()}) {
                    if (v > 0 && Double.isFinite(v)) span = Math.max(span, Math.abs(Math.log(v)));
                }
            }
        }
        span *= 1.08;
        LogAxis x = LogAxis.of(Math.exp(-span), Math.exp(span), LEFT, WIDTH - RIGHT);
        int lane = LANE + 2;
        int band = Math.max(1, apis.size()) * lane + GAP;
        int height = TOP + op.cases().size() * band + BOTTOM;
        Doc d = new Doc(WIDTH, height, op.name() + ": ratio of each implementation's median to "
                + "legacy's, with its bootstrap 95% interval; filled when the U test finds a "
                + "difference");
        legend(d, apis, TOP - 26);
        d.text(WIDTH - RIGHT, TOP - 22, "end", 10, "#555",
                "filled: p < 0.05 \u00b7 hollow: ~ or too few forks");
        bands(d, op, band);
        x.grid(d, TOP, height - BOTTOM, v -> "\u00d7" + trimZeros(Fmt.sig(v)));
        double one = x.at(1);
        String legacy = color(ReportModel.BASELINE);
        d.line(one, TOP, one, height - BOTTOM, legacy, " stroke-width=\"1.5\"");
        String less = op.higherIsBetter() ? "slower than legacy" : "faster than legacy";
        String more = op.higherIsBetter() ? "faster than legacy" : "slower than legacy";
        d.text(one - 6, height - 8, "end", 11, "#333", "\u2190 " + less);
        d.text(one + 6, height - 8, "start", 11, "#333", more + " \u2192");
        int y0 = TOP;
        for (ReportModel.Case c : op.cases()) {
            for (int k = 0; k < apis.size(); k++) {
                ReportModel.Row r = c.row(apis.get(k));
                if (r == null || r.vsBaseline() == null) continue;
                ReportModel.Comparison cmp = r.vsBaseline();
                Stats.Interval i = cmp.ratio();
                if (!(i.point() > 0) || Double.isInfinite(i.point())) continue;
                double y = y0 + GAP / 2.0 + k * lane + lane / 2.0;
                String col = color(r.api());
                if (Double.isFinite(i.lo()) && Double.isFinite(i.hi())) {
                    d.line(x.at(i.lo()), y, x.at(i.hi()), y, col, " stroke-width=\"2\"");
                }
                boolean filled = cmp.verdict() == ReportModel.Verdict.BETTER
                        || cmp.verdict() == ReportModel.Verdict.WORSE;
                String tip = c.label() + " " + r.api() + ": " + Fmt.times(i.point(), false) + " "
                        + Fmt.interval(i) + ", p=" + Fmt.p(cmp.u().p()) + " (" + Fmt.verdict(cmp)
                        + ")";
                d.circle(x.at(i.point()), y, 4, filled ? col : "#ffffff",
                        " stroke=\"" + col + "\" stroke-width=\"1.5\"", tip);
            }
            y0 += band;
        }
        return d.close();
    }

    private static String scaling(ReportModel m, ReportModel.Op op) {
        Map<String, List<ReportModel.Case>> series = new LinkedHashMap<>();
        for (ReportModel.Case c : op.cases()) {
            String host = m.run().hosts().size() > 1 ? c.host() + ": " : "";
            String key = host + ReportModel.scalingSeries(c);
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        series.values().removeIf(cs -> distinctPages(cs) < 2);
        int cols = 2;
        int rows = (series.size() + cols - 1) / cols;
        int height = TOP + rows * (PANEL_H + 20) + 10;
        Doc d = new Doc(WIDTH, height, op.name() + ": nanoseconds per base page against pages per "
                + "operation, log\u2013log; flat lines scale linearly");
        legend(d, m.apis(), TOP - 26);
        int i = 0;
        for (Map.Entry<String, List<ReportModel.Case>> e : series.entrySet()) {
            int px = 20 + (i % cols) * (PANEL_W + 10);
            int py = TOP + (i / cols) * (PANEL_H + 20);
            panel(d, m, e.getKey(), e.getValue(), px, py);
            i++;
        }
        return d.close();
    }

    private static int distinctPages(List<ReportModel.Case> cases) {
        Set<Double> pages = new HashSet<>();
        for (ReportModel.Case c : cases) {
            for (ReportModel.Row r : c.rows()) {
                if (!Double.isNaN(r.pagesPerOp())) pages.add(r.pagesPerOp());
            }
        }
        return pages.size();
    }

    /** One scaling panel: a line per implementation through its sizes, log–log. */
    private static void panel(Doc d, ReportModel m, String title, List<ReportModel.Case> cases,
            int px, int py) {
        double[] range = {Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY, 0};
        Map<String, TreeMap<Double, ReportModel.Row>> lines = new LinkedHashMap<>();
        for (String api : m.apis()) lines.put(api, new TreeMap<>());
        for (ReportModel.Case c : cases) {
            for (ReportModel.Row row : c.rows()) {
                Stats.Summary s = row.nsPerPage();
                if (Double.isNaN(row.pagesPerOp()) || s == null || !(s.center() > 0)) continue;
                lines.get(row.api()).put(row.pagesPerOp(), row);
                range[0] = Math.min(range[0], row.pagesPerOp());
                range[1] = Math.max(range[1], row.pagesPerOp());
                range[2] = Math.min(range[2], s.bounded() && s.lo() > 0 ? s.lo() : s.center());
                range[3] = Math.max(range[3], s.bounded() ? s.hi() : s.center());
            }
        }
        int l = px + 58;
        int r = px + PANEL_W - 12;
        int t = py + 22;
        int b = py + PANEL_H - 34;
        d.add(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                + "fill=\"#fafafa\" stroke=\"#ddd\"/>", px, py, PANEL_W, PANEL_H));
        d.text(px + 8, py + 14, "start", 11, "#222", title);
        LogAxis x = LogAxis.of(range[0], range[1], l, r);
        LogAxis y = LogAxis.of(range[2], range[3], b, t);
        x.grid(d, t, b, Svg::compact);
        y.gridY(d, l, r, v -> trimZeros(Fmt.sig(v)));
        double mid = (t + b) / 2.0;
        d.text((l + r) / 2.0, py + PANEL_H - 6, "middle", 10, "#333", "pages per op (log)");
        d.add(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" "
                + "font-size=\"10\" fill=\"#333\" transform=\"rotate(-90 %d %.1f)\">ns per page "
                + "(log)</text>", px + 12, mid, px + 12, mid));
        for (Map.Entry<String, TreeMap<Double, ReportModel.Row>> e : lines.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            String col = color(e.getKey());
            StringBuilder path = new StringBuilder();
            for (Map.Entry<Double, ReportModel.Row> p : e.getValue().entrySet()) {
                double py2 = y.at(p.getValue().nsPerPage().center());
                path.append(path.length() == 0 ? "M" : " L")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", x.at(p.getKey()), py2));
            }
            d.add("<path d=\"" + path + "\" fill=\"none\" stroke=\"" + col
                    + "\" stroke-width=\"1.8\"/>");
            for (Map.Entry<Double, ReportModel.Row> p : e.getValue().entrySet()) {
                Stats.Summary s = p.getValue().nsPerPage();
                double cx = x.at(p.getKey());
                if (s.bounded() && s.lo() > 0) d.line(cx, y.at(s.lo()), cx, y.at(s.hi()), col, "");
                String tip = e.getKey() + ": " + Fmt.pages(p.getKey()) + " pages, "
                        + Fmt.sig(s.center()) + " ns/page";
                d.circle(cx, y.at(s.center()), 3, col, "", tip);
            }
        }
    }

    private static String alloc(ReportModel m, ReportModel.Op op) {
        List<String> apis = m.apis();
        double max = 0;
        for (ReportModel.Case c : op.cases()) {
            for (ReportModel.Row r : c.rows()) {
                if (r.bytesPerOp() != null) max = Math.max(max, r.bytesPerOp().center());
            }
        }
        double top = niceCeiling(Math.max(max, 1));
        int band = apis.size() * LANE + GAP;
        int height = TOP + op.cases().size() * band + BOTTOM;
        Doc d = new Doc(WIDTH, height, op.name() + ": bytes allocated per operation (median over "
                + "forks, JMH -prof gc)");
        legend(d, apis, TOP - 26);
        bands(d, op, band);
        int l = LEFT;
        int r = WIDTH - RIGHT - 50;
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            double gx = l + (r - l) * v / top;
            d.line(gx, TOP, gx, height - BOTTOM, GRID, "");
            d.text(gx, height - BOTTOM + 14, "middle", 10, "#555", trimZeros(Fmt.sig(v)));
        }
        String axis = "bytes per op (gc.alloc.rate.norm)";
        d.text((l + r) / 2.0, height - 8, "middle", 11, "#333", axis);
        int y0 = TOP;
        for (ReportModel.Case c : op.cases()) {
            for (int lane = 0; lane < apis.size(); lane++) {
                ReportModel.Row row = c.row(apis.get(lane));
                if (row == null || row.bytesPerOp() == null) continue;
                double v = Math.max(0, row.bytesPerOp().center());
                double y = y0 + GAP / 2.0 + lane * LANE;
                double w = (r - l) * v / top;
                d.add(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%d\" fill=\"%s\"/>", l, y + 1, Math.max(w, 0.8), LANE - 2,
                        color(row.api())));
                d.text(l + w + 4, y + LANE - 1.5, "start", 9, "#333", Fmt.bytes(row.bytesPerOp()));
            }
            y0 += band;
        }
        return d.close();
    }

    /** "100.0 ns" → "100 ns": {@link #trimZeros} on the number of a scaled time. */
    static String trimTime(String t) {
        int space = t.indexOf(' ');
        return space < 0 ? trimZeros(t) : trimZeros(t.substring(0, space)) + t.substring(space);
    }

    /** A count with K, M or G for thousands, millions, billions ("262K", "1.05M"). */
    static String compact(double v) {
        String[] suffix = {"", "K", "M", "G", "T"};
        int i = 0;
        while (Math.abs(v) >= 999.5 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        String pattern = v >= 99.5 ? "%.0f" : v >= 9.95 ? "%.1f" : "%.2f";
        return trimZeros(String.format(Locale.ROOT, pattern, v)) + suffix[i];
    }

    /** "1.250" → "1.25", "1.000" → "1"; integers stay as they are. */
    static String trimZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[] {1, 2, 5, 10}) if (f * p >= v * (1 - 1e-12)) return f * p;
        return 10 * p;
    }

    /** Case labels on the left, on alternately shaded bands. */
    private static void bands(Doc d, ReportModel.Op op, int band) {
        int y = TOP;
        int i = 0;
        for (ReportModel.Case c : op.cases()) {
            if (i % 2 == 0) {
                d.add(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"%d\" "
                        + "height=\"%d\" fill=\"#f3f5f8\"/>", y, WIDTH, band));
            }
            String label = c.label();
            if (label.length() > 38) label = label.substring(0, 37) + "\u2026";
            d.text(LEFT - 8, y + band / 2.0 + 4, "end", 11, "#222", label);
            y += band;
            i++;
        }
    }

    private static void legend(Doc d, List<String> apis, int y) {
        double x = LEFT;
        for (String api : apis) {
            d.circle(x, y, 5, color(api), "", null);
            d.text(x + 9, y + 4, "start", 12, "#222", api);
            x += 22 + 7.5 * api.length();
        }
    }

    /** A log-scale axis mapping values to pixels. */
    static final class LogAxis {
        final double min;
        final double max;
        private final double from;
        private final double to;

        private LogAxis(double min, double max, double from, double to) {
            this.min = min;
            this.max = max;
            this.from = from;
            this.to = to;
        }

        /** An axis covering {@code [lo, hi]} with a margin, at least a factor of 2 wide. */
        static LogAxis of(double lo, double hi, double from, double to) {
            if (!(lo > 0) || !(hi > 0) || Double.isInfinite(lo)) {
                lo = 1;
                hi = 10;
            }
            double mid = Math.sqrt(lo * hi);
            double half = Math.max(Math.sqrt(hi / lo) * 1.12, Math.sqrt(2));
            return new LogAxis(mid / half, mid * half, from, to);
        }

        double at(double v) {
            if (Double.isNaN(v)) throw new IllegalArgumentException("NaN on a chart axis");
            double c = Math.min(max, Math.max(min, v));
            return from + (to - from) * Math.log(c / min) / Math.log(max / min);
        }

        /** Ticks at 1, 2, 5 × 10^k inside the axis; fewer when they would crowd (55 px apart). */
        List<Double> ticks() {
            int most = Math.max(2, (int) (Math.abs(to - from) / 55));
            List<Double> out = new ArrayList<>();
            double[][] steps = {{1, 2, 5}, {1, 3}, {1}};
            int lowest = (int) Math.floor(Math.log10(min));
            int highest = (int) Math.ceil(Math.log10(max));
            for (double[] step : steps) {
                out.clear();
                for (int e = lowest; e <= highest; e++) {
                    for (double f : step) {
                        double v = f * Math.pow(10, e);
                        if (v >= min && v <= max) out.add(v);
                    }
                }
                if (out.size() <= most) break;
            }
            if (out.size() > most) {
                List<Double> thinned = new ArrayList<>();
                int every = (out.size() + most - 1) / most;
                for (int i = 0; i < out.size(); i += every) thinned.add(out.get(i));
                out = thinned;
            }
            if (out.size() < 2) {
                out.clear();
                out.add(min * Math.pow(max / min, 0.25));
                out.add(Math.sqrt(min * max));
                out.add(min * Math.pow(max / min, 0.75));
            }
            return out;
        }

        /** Vertical grid lines and labels below, for an x axis. */
        void grid(Doc d, int top, int bottom, DoubleFunction<String> label) {
            for (double v : ticks()) {
                double gx = at(v);
                d.line(gx, top, gx, bottom, GRID, "");
                d.text(gx, bottom + 14, "middle", 10, "#555", label.apply(v));
            }
        }

        /** Horizontal grid lines and labels on the left, for a y axis. */
        void gridY(Doc d, int left, int right, DoubleFunction<String> label) {
            for (double v : ticks()) {
                double gy = at(v);
                d.line(left, gy, right, gy, GRID, "");
                d.text(left - 4, gy + 3, "end", 10, "#555", label.apply(v));
            }
        }
    }

    /** An SVG document being written, element by element. */
    static final class Doc {
        private final StringBuilder sb = new StringBuilder();

        Doc(int width, int height, String title) {
            sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                    + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    + "font-family=\"%s\">%n", width, height, width, height, FONT));
            sb.append("<title>").append(esc(title)).append("</title>\n");
            add(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
                    + "fill=\"#ffffff\"/>", width, height));
        }

        void add(String element) {
            sb.append(element).append('\n');
        }

        /** A line; {@code extra} holds more attributes, each led by a space. */
        void line(double x1, double y1, double x2, double y2, String stroke, String extra) {
            line(x1, y1, x2, y2, stroke, extra, null);
        }

        /** A line with a tooltip ({@code title} may be null). */
        void line(double x1, double y1, double x2, double y2, String stroke, String extra,
                String title) {
            String attrs = String.format(Locale.ROOT, "x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"%s\"%s", x1, y1, x2, y2, stroke, extra);
            element("line", attrs, title);
        }

        /** A filled circle with a tooltip ({@code title} may be null). */
        void circle(double cx, double cy, double r, String fill, String extra, String title) {
            String attrs = String.format(Locale.ROOT, "cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
                    + "fill=\"%s\"%s", cx, cy, trimZeros(String.valueOf(r)), fill, extra);
            element("circle", attrs, title);
        }

        void text(double x, double y, String anchor, int size, String fill, String text) {
            add(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
                    + "font-size=\"%d\" fill=\"%s\">%s</text>", x, y, anchor, size, fill,
                    esc(text)));
        }

        private void element(String name, String attrs, String title) {
            if (title == null) add("<" + name + " " + attrs + "/>");
            else add("<" + name + " " + attrs + "><title>" + esc(title) + "</title></" + name
                    + ">");
        }

        String close() {
            return sb.append("</svg>\n").toString();
        }
    }

    /** Text escaped for XML content and attribute values. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

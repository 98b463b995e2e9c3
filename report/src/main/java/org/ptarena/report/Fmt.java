package org.ptarena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Number and text formatting shared by the writers, always with {@link Locale#ROOT}. Each
 * formatter has an ASCII form for {@code report.txt} ({@code x} for ×, {@code +-} for ±,
 * {@code us} for µs, {@code inf} for ∞).
 */
final class Fmt {
    private Fmt() { }

    /**
     * {@code v} with four significant digits and no exponent from 1 up ("411.4", "1.235"),
     * three below 1 ("0.0243"), and below 0.001 three with a short exponent ("5.35e-4"), so a
     * column keeps its width.
     */
    static String sig(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        if (Math.abs(v) < 0.001) return tiny(v, 2);
        int magnitude = (int) Math.floor(Math.log10(Math.abs(v)));
        int decimals = Math.max(0, 3 - magnitude);
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        // rounding may have carried into a new digit (999.96 → "1000.0"): one decimal fewer
        if (decimals > 0 && s.replace("-", "").indexOf('.') > magnitude + 1) {
            s = String.format(Locale.ROOT, "%." + (decimals - 1) + "f", v);
        }
        return s;
    }

    /** {@code v} with exactly {@code decimals} decimals ("0.02", "16.00"). */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) return "n/a";
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * A value of {@code unit}: time per op is scaled to ns, µs, ms or s ("411.4 ns",
     * "1.235 ms"); other units keep their name ("12.34 ops/us").
     */
    static String value(double v, String unit, boolean ascii) {
        double nanos = Units.nanosPerUnit(unit);
        if (Double.isNaN(v)) return "n/a";
        if (Double.isNaN(nanos)) return sig(v) + " " + (ascii ? unit.replace('\u00b5', 'u') : unit);
        return time(v * nanos, ascii);
    }

    /** Nanoseconds scaled to ns, µs, ms or s. */
    static String time(double ns, boolean ascii) {
        if (Double.isNaN(ns)) return "n/a";
        double a = Math.abs(ns);
        if (a < 999.95) return sig(ns) + " ns";
        if (a < 999.95e3) return sig(ns / 1e3) + (ascii ? " us" : " \u00b5s");
        if (a < 999.95e6) return sig(ns / 1e6) + " ms";
        return sig(ns / 1e9) + " s";
    }

    /** benchstat's "± x%": the interval's half-width relative to the median. */
    static String pm(Stats.Summary s, boolean ascii) {
        String sign = ascii ? "+-" : "\u00b1";
        if (s == null || s.n() == 0) return "";
        double r = s.relativeHalfWidth();
        if (Double.isInfinite(r)) return sign + (ascii ? "inf" : "\u221e");
        if (Double.isNaN(r)) return sign + "?";
        return sign + percent(r * 100);
    }

    private static String percent(double pct) {
        if (pct < 9.95) return String.format(Locale.ROOT, "%.1f%%", pct);
        return String.format(Locale.ROOT, "%.0f%%", pct);
    }

    /**
     * {@code v}, whose magnitude is below 1, as a mantissa with {@code decimals} decimals and a
     * short exponent: "5.35e-4", "2.4e-4".
     */
    private static String tiny(double v, int decimals) {
        int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
        double mantissa = v / Math.pow(10, exponent);
        String m = String.format(Locale.ROOT, "%." + decimals + "f", mantissa);
        if (m.replace("-", "").startsWith("10")) {           // 9.996 rounded up to 10.00
            exponent++;
            m = String.format(Locale.ROOT, "%." + decimals + "f", v / Math.pow(10, exponent));
        }
        return m + "e" + exponent;
    }

    /**
     * A ratio with three decimals ("1.021"); below 0.001, where three decimals would read
     * "0.000", two significant digits and an exponent ("2.4e-4").
     */
    static String ratio(double r) {
        if (Double.isNaN(r)) return "n/a";
        if (r > 0 && r < 0.001) return tiny(r, 1);
        if (r >= 100) return String.format(Locale.ROOT, "%.1f", r);
        if (r >= 10) return String.format(Locale.ROOT, "%.2f", r);
        return String.format(Locale.ROOT, "%.3f", r);
    }

    /** A ratio prefixed by × (or x). */
    static String times(double r, boolean ascii) {
        return (ascii ? "x" : "\u00d7") + ratio(r);
    }

    /** "[0.951, 1.102]". */
    static String interval(Stats.Interval i) {
        if (Double.isNaN(i.lo()) || Double.isNaN(i.hi())) return "";
        return "[" + ratio(i.lo()) + ", " + ratio(i.hi()) + "]";
    }

    /** A p-value with three decimals, "<0.001" below. */
    static String p(double p) {
        if (Double.isNaN(p)) return "n/a";
        if (p < 0.001) return "<0.001";
        return String.format(Locale.ROOT, "%.3f", p);
    }

    /** Bytes per op: "0" for zero, else two decimals below 10 and none above. */
    static String bytes(Stats.Summary s) {
        if (s == null) return "n/a";
        double v = s.center();
        if (Double.isNaN(v)) return "n/a";
        if (Math.abs(v) < 0.005) return "0";
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.0f", v);
    }

    /** Pages per op as an integer when it is one. */
    static String pages(double p) {
        if (Double.isNaN(p)) return "n/a";
        boolean whole = p == Math.rint(p) && Math.abs(p) < 1e15;
        if (whole) return String.format(Locale.ROOT, "%d", (long) p);
        return sig(p);
    }

    /** The verdict's word, or "~" (benchstat's mark for no significant difference). */
    static String verdict(ReportModel.Comparison c) {
        if (c == null) return "";
        return switch (c.verdict()) {
            case BETTER -> "better";
            case WORSE -> "worse";
            case SAME -> "~";
            case TOO_FEW -> "too few";
        };
    }

    /** Change of the median in percent, signed ("+5.2%"). */
    static String change(ReportModel.Comparison c) {
        double pct = c.changePercent();
        return String.format(Locale.ROOT, "%+.1f%%", pct);
    }

    /** Words of {@code text} in lines of at most {@code width} characters; longer words are cut. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) continue;
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /** {@code s} made plain ASCII: typographic characters replaced, anything else as '?'. */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\u00d7' -> sb.append('x');
                case '\u00b1' -> sb.append("+-");
                case '\u00b5' -> sb.append('u');
                case '\u221e' -> sb.append("inf");
                case '\u2013', '\u2014' -> sb.append('-');
                case '\u2026' -> sb.append("...");
                case '\u2192' -> sb.append("->");
                case '\u2018', '\u2019' -> sb.append('\'');
                case '\u201c', '\u201d' -> sb.append('"');
                case '\u2264' -> sb.append("<=");
                case '\u2265' -> sb.append(">=");
                case '\t' -> sb.append("    ");
                default -> sb.append(c >= 32 && c < 127 ? c : '?');
            }
        }
        return sb.toString();
    }

    /** {@code s} padded with spaces on the right to {@code width}. */
    static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} padded with spaces on the left to {@code width}. */
    static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}

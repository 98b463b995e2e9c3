package org.ptarena.report;

import java.util.Locale;

/**
 * What a JMH score unit says: whether higher is better (ops per time) or lower (time per op),
 * and how many nanoseconds one of its time units holds.
 */
final class Units {
    private Units() { }

    /**
     * Higher is better for throughput units ({@code ops/s}, {@code ops/ns} …), lower for time per
     * operation ({@code ns/op} …) and for anything else per operation.
     */
    static boolean higherIsBetter(String unit) {
        return unit.startsWith("ops/");
    }

    /** Nanoseconds in the time of a {@code TIME/op} unit ({@code us/op} → 1000); else NaN. */
    static double nanosPerUnit(String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0 || !unit.substring(slash + 1).equals("op")) return Double.NaN;
        return switch (unit.substring(0, slash)) {
            case "ns" -> 1;
            case "us", "\u00b5s" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
    }

    /** "ops/time: higher is better" or "time/op: lower is better", for the legend. */
    static String direction(String unit) {
        return higherIsBetter(unit) ? "ops/time: higher is better" : "time/op: lower is better";
    }

    /** Lower-case, for identifiers. */
    static String id(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) sb.append(c);
            else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') sb.append('-');
        }
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}

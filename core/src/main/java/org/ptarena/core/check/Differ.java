package org.ptarena.core.check;

import java.util.List;
import java.util.Map;
import org.ptarena.core.Geometry;
import org.ptarena.core.TlbGather;

/**
 * Compares two outcomes of one operation and names the first difference in words a maintainer
 * reads, e.g. {@code vpte differs from oracle: A: entry L0 0x200000: prot rw-u vs r--u} (the first
 * value is the first outcome's). Order of comparison: the result (a value, or the exception class —
 * messages are shown, never compared), the walk's visits, then each address space's dump, RSS,
 * tables per level and table bytes, then the gather.
 */
public final class Differ {
    private Differ() {}

    /**
     * The first difference between {@code a} (called {@code aName}) and {@code b}, or null if none.
     */
    public static String firstDifference(
            String aName, Outcome a, String bName, Outcome b, Geometry g) {
        String d = difference(a, b, aName, bName, g);
        return d == null ? null : aName + " differs from " + bName + ": " + d;
    }

    private static String difference(Outcome a, Outcome b, String aName, String bName, Geometry g) {
        if (a.exception() == null && b.exception() == null && !a.result().equals(b.result())) {
            return "returned " + a.result() + " vs " + b.result();
        }
        if (a.exception() != b.exception()) return a.describeResult() + " vs " + b.describeResult();
        String d = visits(a.visits(), b.visits(), aName, bName, g);
        if (d != null) return d;
        for (Map.Entry<String, Outcome.Space> e : a.spaces().entrySet()) {
            Outcome.Space other = b.spaces().get(e.getKey());
            if (other == null) return e.getKey() + ": no such address space in " + bName;
            d = space(e.getKey(), e.getValue(), other, aName, bName);
            if (d != null) return d;
        }
        for (String id : b.spaces().keySet()) {
            if (!a.spaces().containsKey(id)) return id + ": no such address space in " + aName;
        }
        return gather(a.gather(), b.gather());
    }

    /** The first difference between two states of one address space, or null. */
    public static String space(
            String id, Outcome.Space a, Outcome.Space b, String aName, String bName) {
        int i = a.dump().firstDifference(b.dump());
        if (i >= 0) return id + ": " + entry(a.dump(), b.dump(), i, aName, bName);
        if (a.rss() != b.rss()) return id + ": rss " + a.rss() + " vs " + b.rss();
        for (int level = a.tables().length - 1; level >= 0; level--) {
            if (a.tables()[level] != b.tables()[level]) {
                return id
                        + ": tables at L"
                        + level
                        + " "
                        + a.tables()[level]
                        + " vs "
                        + b.tables()[level];
            }
        }
        if (a.tableBytes() != b.tableBytes())
            return id + ": page-table bytes " + a.tableBytes() + " vs " + b.tableBytes();
        return null;
    }

    private static String entry(
            CanonicalDump a, CanonicalDump b, int i, String aName, String bName) {
        if (i >= a.size()) return "entry " + b.get(i) + " missing in " + aName;
        if (i >= b.size()) return "entry " + a.get(i) + " only in " + aName;
        CanonicalDump.Entry x = a.get(i);
        CanonicalDump.Entry y = b.get(i);
        if (x.start() == y.start() && x.level() == y.level())
            return "entry " + x.position() + ": " + x.fieldsDiffering(y);
        // the dump order is (start, level from the top): the entry that sorts first is the one the
        // other lacks
        boolean xFirst =
                Long.compareUnsigned(x.start(), y.start()) < 0
                        || (x.start() == y.start() && x.level() > y.level());
        return xFirst ? "entry " + x + " only in " + aName : "entry " + y + " missing in " + aName;
    }

    private static String visits(
            List<Outcome.Visit> a, List<Outcome.Visit> b, String aName, String bName, Geometry g) {
        if (a == null && b == null) return null;
        if (a == null || b == null)
            return "walk visits "
                    + (a == null ? "none" : a.size())
                    + " vs "
                    + (b == null ? "none" : b.size());
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "walk visit "
                        + (i + 1)
                        + ": "
                        + a.get(i).describe(g)
                        + " vs "
                        + b.get(i).describe(g);
            }
        }
        if (a.size() > n)
            return "walk visit " + (n + 1) + " " + a.get(n).describe(g) + " only in " + aName;
        if (b.size() > n)
            return "walk visit " + (n + 1) + " " + b.get(n).describe(g) + " missing in " + aName;
        return null;
    }

    private static String gather(TlbGather a, TlbGather b) {
        if (a == null || b == null) return a == b ? null : "gather " + a + " vs " + b;
        return a.sameAs(b) ? null : "gather " + a + " vs " + b;
    }
}

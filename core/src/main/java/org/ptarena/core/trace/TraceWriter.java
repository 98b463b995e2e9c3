package org.ptarena.core.trace;

import java.util.List;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

/**
 * Prints statements in the canonical form {@link TraceParser} reads back: addresses and pfns as
 * {@code 0x} lowercase hex; an {@code END} as {@code +SIZE} relative to {@code START}, with the
 * largest of K, M, G, T that divides it exactly ({@code +4K}, {@code +2M}), otherwise {@code +0x…};
 * an end that is not above its start (only meaningful under {@code fail}) as the absolute address;
 * counts, levels, orders and K in decimal; keys in grammar order; the policy only when it is not
 * {@code base}. {@code parse(write(t))} equals {@code t} up to line numbers.
 */
public final class TraceWriter {
    private TraceWriter() {}

    /** The whole trace: {@code geometry NAME}, then one statement a line. */
    public static String write(Trace trace) {
        return write(trace, List.of());
    }

    /** The whole trace after {@code header} lines written as {@code #} comments. */
    public static String write(Trace trace, List<String> header) {
        StringBuilder sb = new StringBuilder();
        for (String h : header) {
            for (String part : h.split("\r\n|\n|\r", -1)) sb.append("# ").append(part).append('\n');
        }
        sb.append("geometry ").append(trace.geometry()).append('\n');
        for (Trace.Line l : trace.lines()) sb.append(line(l.op())).append('\n');
        return sb.toString();
    }

    /** One statement, canonical, without a newline. */
    public static String line(Op op) {
        if (op instanceof Op.GeometryOp g) return "geometry " + g.name();
        if (op instanceof Op.MmOp m) return "mm " + m.id();
        if (op instanceof Op.MapOp m) {
            return "map "
                    + m.id()
                    + " "
                    + range(m.start(), m.end())
                    + " pfn="
                    + hex(m.pfn())
                    + " prot="
                    + prot(m.prot())
                    + (m.policy() == null || m.policy() == MapPolicy.BASE
                            ? ""
                            : " policy=" + m.policy().word());
        }
        if (op instanceof Op.UnmapOp u) {
            return "unmap " + u.id() + " " + range(u.start(), u.end()) + (u.free() ? " free" : "");
        }
        if (op instanceof Op.ProtectOp p) {
            return "protect "
                    + p.id()
                    + " "
                    + range(p.start(), p.end())
                    + " prot="
                    + prot(p.prot());
        }
        if (op instanceof Op.CopyOp c) {
            return "copy "
                    + c.dst()
                    + " "
                    + c.src()
                    + " "
                    + range(c.start(), c.end())
                    + (c.cow() ? " cow" : " shared");
        }
        if (op instanceof Op.WalkOp w) return "walk " + w.id() + " " + range(w.start(), w.end());
        if (op instanceof Op.LookupOp l) return "lookup " + l.id() + " " + hex(l.va());
        if (op instanceof Op.TouchOp t)
            return "touch " + t.id() + " " + hex(t.va()) + (t.write() ? " write" : "");
        if (op instanceof Op.MoveOp m) {
            return "move "
                    + m.id()
                    + " "
                    + range(m.oldStart(), m.oldEnd())
                    + " "
                    + hex(m.newStart());
        }
        if (op instanceof Op.DropOp d) return "drop " + d.id();
        if (op instanceof Op.FaultOp f) return "fault " + Long.toUnsignedString(f.k());
        if (op instanceof Op.FailOp f) return "fail " + line(f.op());
        if (op instanceof Op.ExpectOp e) {
            StringBuilder sb =
                    new StringBuilder("expect ").append(e.id()).append(' ').append(hex(e.va()));
            if (e.order() != null) sb.append(" order=").append(e.order());
            if (e.pfn() != null) sb.append(" pfn=").append(hex(e.pfn()));
            if (e.prot() != null) sb.append(" prot=").append(prot(e.prot()));
            if (e.young() != null) sb.append(" young=").append(e.young() ? 1 : 0);
            if (e.dirty() != null) sb.append(" dirty=").append(e.dirty() ? 1 : 0);
            return sb.toString();
        }
        if (op instanceof Op.ExpectNoneOp e) return "expect-none " + e.id() + " " + hex(e.va());
        if (op instanceof Op.ExpectRssOp e)
            return "expect-rss " + e.id() + " " + Long.toUnsignedString(e.pages());
        if (op instanceof Op.ExpectTablesOp e) {
            return "expect-tables "
                    + e.id()
                    + " "
                    + e.level()
                    + " "
                    + Long.toUnsignedString(e.count());
        }
        throw new IllegalArgumentException("no trace form for " + op);
    }

    /** {@code START END}, END as {@code +SIZE} when it lies above START. */
    private static String range(long start, long end) {
        if (Long.compareUnsigned(end, start) <= 0) return hex(start) + " " + hex(end);
        return hex(start) + " +" + size(end - start);
    }

    /** A size with the largest exact suffix of K, M, G, T, or {@code 0x…} hex. */
    public static String size(long bytes) {
        String[] suffix = {"T", "G", "M", "K"};
        for (int i = 0; i < suffix.length; i++) {
            int shift = 10 * (4 - i);
            if (bytes != 0 && (bytes & ((1L << shift) - 1)) == 0) {
                return Long.toUnsignedString(bytes >>> shift) + suffix[i];
            }
        }
        return hex(bytes);
    }

    private static String prot(int prot) {
        return Prot.toString(prot & Prot.ALL);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}

package org.ptarena.core.check;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.oracle.OracleMm;

/**
 * Everything one world (the oracle or an implementation) shows after one operation: the value it
 * returned or the exception it threw, the walk's visits, the state of the address spaces the
 * operation named, and the TLB gather. {@link Differ} compares two of them.
 */
public final class Outcome {
    /** One walk visit: the unit's start, order, level and entry word. */
    public record Visit(long addr, int order, int level, long entry) {
        /** The visit in words, decoding the entry with {@code g}'s format. */
        public String describe(Geometry g) {
            EntryFormat f = g.format();
            String e = "entry 0x" + Long.toHexString(entry);
            if (level >= 0 && level < g.levels() && f.leaf(level, entry)) {
                e +=
                        " (pfn=0x"
                                + Long.toHexString(f.pfn(level, entry))
                                + " prot="
                                + Prot.toString(f.prot(level, entry))
                                + (f.contig(level, entry) ? " contiguous" : "")
                                + (f.young(level, entry) ? " young" : "")
                                + (f.dirty(level, entry) ? " dirty" : "")
                                + ")";
            }
            return String.format(Locale.ROOT, "0x%x order=%d L%d %s", addr, order, level, e);
        }
    }

    /** The state of one address space: its canonical dump and counters. */
    public record Space(CanonicalDump dump, long rss, long[] tables, long tableBytes) {
        public static Space of(Mm mm) {
            long[] t = new long[mm.geometry().levels()];
            for (int l = 0; l < t.length; l++) t[l] = mm.tables(l);
            return new Space(CanonicalDump.of(mm), mm.rss(), t, mm.tableBytes());
        }

        public static Space of(OracleMm mm) {
            long[] t = new long[mm.geometry().levels()];
            for (int l = 0; l < t.length; l++) t[l] = mm.tables(l);
            return new Space(CanonicalDump.of(mm), mm.rss(), t, mm.tableBytes());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Space s
                    && rss == s.rss
                    && tableBytes == s.tableBytes
                    && Arrays.equals(tables, s.tables)
                    && dump.equals(s.dump);
        }

        @Override
        public int hashCode() {
            return dump.hashCode() * 31 + Long.hashCode(rss);
        }
    }

    private final String result;
    private final Class<? extends Throwable> exception;
    private final String message;
    private List<Visit> visits;
    private final Map<String, Space> spaces = new LinkedHashMap<>();
    private TlbGather gather;

    private Outcome(String result, Class<? extends Throwable> exception, String message) {
        this.result = result;
        this.exception = exception;
        this.message = message;
    }

    /**
     * The operation returned {@code result} (its value in words: a count, true/false, a
     * translation).
     */
    public static Outcome returned(String result) {
        return new Outcome(result, null, null);
    }

    /** The operation threw {@code t}. */
    public static Outcome threw(Throwable t) {
        return new Outcome(null, t.getClass(), t.getMessage());
    }

    public Outcome visits(List<Visit> visits) {
        this.visits = List.copyOf(visits);
        return this;
    }

    public Outcome space(String id, Space space) {
        spaces.put(id, space);
        return this;
    }

    public Outcome gather(TlbGather gather) {
        this.gather = gather;
        return this;
    }

    /** The returned value in words, or null when the operation threw. */
    public String result() {
        return result;
    }

    /** The exception's class, or null when the operation returned. */
    public Class<? extends Throwable> exception() {
        return exception;
    }

    public String message() {
        return message;
    }

    /** The walk's visits, or null when the operation was no walk. */
    public List<Visit> visits() {
        return visits;
    }

    /** Named address space → state, in the order added. */
    public Map<String, Space> spaces() {
        return Collections.unmodifiableMap(spaces);
    }

    /** The gather, or null when the operation takes none. */
    public TlbGather gather() {
        return gather;
    }

    /**
     * Whether the operation was refused the way the contract refuses: bad argument, overlap, no
     * table.
     */
    public boolean refused() {
        return exception == IllegalArgumentException.class
                || exception == OverlapException.class
                || exception == OutOfTablesException.class;
    }

    /** {@code returned 512} or {@code threw OverlapException (map: 0x1000 is already mapped)}. */
    public String describeResult() {
        return exception == null
                ? "returned " + result
                : "threw " + exception.getSimpleName() + " (" + message + ")";
    }
}

package org.ptarena.core.check;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;

/**
 * Every non-empty entry of an address space, in address order (an entry before the entries of the
 * table it points to): level, start of its span, kind, and for a leaf its pfn, prot, contiguous,
 * young and dirty bits. Tables are compared by position, never by address, so a dump of an {@link
 * Mm} (read straight from the arena: a checker, not a design) equals the dump of an {@link
 * OracleMm} holding the same translations and tables. Stored packed, one slot per entry, so that
 * large spaces dump without an object per entry.
 */
public final class CanonicalDump {
    /** What an entry is: a pointer to a table, a leaf, or a word that is neither (a bug). */
    public enum Kind {
        TABLE,
        LEAF,
        INVALID
    }

    /**
     * One entry. For a table every field past {@code kind} is zero; for an invalid word {@code pfn}
     * holds the raw word.
     */
    public record Entry(
            int level,
            long start,
            Kind kind,
            long pfn,
            int prot,
            boolean contiguous,
            boolean young,
            boolean dirty) {

        /** {@code L0 0x200000} — where the entry is. */
        public String position() {
            return "L" + level + " 0x" + Long.toHexString(start);
        }

        /** What the entry holds, e.g. {@code LEAF pfn=0x200 prot=rw-u contiguous young}. */
        public String content() {
            switch (kind) {
                case TABLE:
                    return "TABLE";
                case INVALID:
                    return "INVALID word 0x" + Long.toHexString(pfn);
                default:
                    return "LEAF pfn=0x"
                            + Long.toHexString(pfn)
                            + " prot="
                            + Prot.toString(prot)
                            + (contiguous ? " contiguous" : "")
                            + (young ? " young" : "")
                            + (dirty ? " dirty" : "");
            }
        }

        /**
         * The fields in which {@code other}, at the same position, differs: {@code prot rw-u vs
         * r--u}.
         */
        public String fieldsDiffering(Entry other) {
            if (kind != other.kind || kind == Kind.INVALID)
                return content() + " vs " + other.content();
            List<String> d = new ArrayList<>();
            if (pfn != other.pfn)
                d.add(String.format(Locale.ROOT, "pfn 0x%x vs 0x%x", pfn, other.pfn));
            if (prot != other.prot)
                d.add("prot " + Prot.toString(prot) + " vs " + Prot.toString(other.prot));
            if (contiguous != other.contiguous)
                d.add("contiguous " + bit(contiguous) + " vs " + bit(other.contiguous));
            if (young != other.young) d.add("young " + bit(young) + " vs " + bit(other.young));
            if (dirty != other.dirty) d.add("dirty " + bit(dirty) + " vs " + bit(other.dirty));
            return String.join(", ", d);
        }

        @Override
        public String toString() {
            return position() + " " + content();
        }

        private static int bit(boolean b) {
            return b ? 1 : 0;
        }
    }

    private static final int LEVEL_BITS = 3;
    private static final int KIND_SHIFT = 3;
    private static final int PROT_SHIFT = 5;
    private static final int CONTIG = 1 << 9;
    private static final int YOUNG = 1 << 10;
    private static final int DIRTY = 1 << 11;

    private long[] starts = new long[64];
    private long[] pfns = new long[64];
    private int[] meta = new int[64];
    private int size;

    private CanonicalDump() {}

    /**
     * The dump of a real address space, read from its arena by a depth-first walk from the root.
     */
    public static CanonicalDump of(Mm mm) {
        CanonicalDump d = new CanonicalDump();
        d.table(mm, mm.root(), mm.geometry().rootLevel(), 0);
        return d;
    }

    private void table(Mm mm, int ptr, int level, long base) {
        Geometry g = mm.geometry();
        EntryFormat f = g.format();
        for (int i = 0; i < g.entries(level); i++) {
            long e = mm.get(ptr + i);
            if (e == 0) continue;
            long start = base + ((long) i << g.spanShift(level));
            if (f.table(level, e)) {
                add(level, start, Kind.TABLE, 0, 0, false, false, false);
                int child = f.tablePtr(level, e);
                // a pointer to no table of the right level is reported by the invariants, not
                // followed
                if (mm.arena().levelOf(child) == level - 1
                        && mm.arena().entriesOf(child) == g.entries(level - 1)) {
                    table(mm, child, level - 1, start);
                }
            } else if (f.leaf(level, e)) {
                add(
                        level,
                        start,
                        Kind.LEAF,
                        f.pfn(level, e),
                        f.prot(level, e),
                        f.contig(level, e),
                        f.young(level, e),
                        f.dirty(level, e));
            } else {
                add(level, start, Kind.INVALID, e, 0, false, false, false);
            }
        }
    }

    /**
     * The dump of an oracle address space: a table entry for every non-root table (at the level
     * above it, at the start of the span it covers) and a leaf entry for every entry of every unit,
     * merged in address order, table entries first where they share a start.
     */
    public static CanonicalDump of(OracleMm mm) {
        Geometry g = mm.geometry();
        List<long[]> tables = new ArrayList<>();
        for (int level = 0; level < g.rootLevel(); level++) {
            for (long start : mm.tableStarts(level)) tables.add(new long[] {start, level + 1});
        }
        tables.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
        CanonicalDump d = new CanonicalDump();
        int t = 0;
        for (Unit u : mm.units()) {
            for (; t < tables.size() && tables.get(t)[0] <= u.start(); t++) {
                d.add(
                        (int) tables.get(t)[1],
                        tables.get(t)[0],
                        Kind.TABLE,
                        0,
                        0,
                        false,
                        false,
                        false);
            }
            for (int i = 0; i < u.entries(); i++) {
                d.add(
                        u.level(),
                        u.start() + i * g.span(u.level()),
                        Kind.LEAF,
                        u.pfn() + i * u.entryPages(),
                        u.prot(),
                        u.contiguous(),
                        u.young(i),
                        u.dirty(i));
            }
        }
        for (; t < tables.size(); t++) {
            d.add((int) tables.get(t)[1], tables.get(t)[0], Kind.TABLE, 0, 0, false, false, false);
        }
        return d;
    }

    private void add(
            int level,
            long start,
            Kind kind,
            long pfn,
            int prot,
            boolean contig,
            boolean young,
            boolean dirty) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            pfns = Arrays.copyOf(pfns, size * 2);
            meta = Arrays.copyOf(meta, size * 2);
        }
        starts[size] = start;
        pfns[size] = pfn;
        meta[size] =
                level
                        | kind.ordinal() << KIND_SHIFT
                        | (prot & Prot.ALL) << PROT_SHIFT
                        | (contig ? CONTIG : 0)
                        | (young ? YOUNG : 0)
                        | (dirty ? DIRTY : 0);
        size++;
    }

    /** Number of non-empty entries. */
    public int size() {
        return size;
    }

    /** Entry {@code i}, in dump order. */
    public Entry get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        int m = meta[i];
        return new Entry(
                m & ((1 << LEVEL_BITS) - 1),
                starts[i],
                Kind.values()[(m >>> KIND_SHIFT) & 3],
                pfns[i],
                (m >>> PROT_SHIFT) & Prot.ALL,
                (m & CONTIG) != 0,
                (m & YOUNG) != 0,
                (m & DIRTY) != 0);
    }

    /** The entries as a list view (each made on demand). */
    public List<Entry> entries() {
        return new AbstractList<>() {
            @Override
            public Entry get(int i) {
                return CanonicalDump.this.get(i);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Index of the first entry where the two dumps differ (a missing entry counts), or -1. */
    public int firstDifference(CanonicalDump o) {
        int n = Math.min(size, o.size);
        for (int i = 0; i < n; i++) {
            if (starts[i] != o.starts[i] || pfns[i] != o.pfns[i] || meta[i] != o.meta[i]) return i;
        }
        return size == o.size ? -1 : n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalDump d && firstDifference(d) < 0;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++)
            h = 31 * h + Long.hashCode(starts[i] ^ pfns[i] * 31 ^ meta[i]);
        return h;
    }

    /** One entry a line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(get(i)).append('\n');
        return sb.toString();
    }
}

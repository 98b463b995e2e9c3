package org.ptarena.bench;

import java.util.Arrays;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;

/**
 * The leaf entries of a populated range as flat slices of the arena: each slice is a run of
 * consecutive arena slots holding leaves of one level, with consecutive pfns and one contiguous
 * marker. {@link Floor} loops over them with no traversal at all. Found once, at setup, by a
 * plain scan of the tree ({@link #scan}); nothing measured ever walks the tree here.
 */
public final class Slices {
    private int n;
    private int[] first = new int[16];
    private int[] count = new int[16];
    private int[] level = new int[16];
    private long[] pfn = new long[16];
    private long[] addr = new long[16];
    private boolean[] contig = new boolean[16];
    private long units;
    private long pages;
    private long entries;

    private Slices() { }

    /** The leaf slices of {@code [start, end)} in {@code mm}, in address order. */
    public static Slices scan(Mm mm, long start, long end) {
        Slices s = new Slices();
        s.visit(mm, mm.root(), mm.geometry().rootLevel(), start, end);
        return s;
    }

    private void visit(Mm mm, int table, int lvl, long addr, long end) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        for (long next; addr != end; addr = next) {
            next = g.addrEnd(lvl, addr, end);
            int slot = table + g.index(lvl, addr);      // the entry of this table covering addr
            long e = mm.get(slot);
            if (f.table(lvl, e)) {
                visit(mm, f.tablePtr(lvl, e), lvl - 1, addr, next);
            } else if (f.leaf(lvl, e)) {
                add(g, slot, lvl, g.entryStart(lvl, addr), f.pfn(lvl, e), f.contig(lvl, e));
            }
        }
    }

    private void add(Geometry g, int slot, int lvl, long a, long p, boolean c) {
        int step = g.contig(lvl);
        entries++;
        pages += 1L << g.order(lvl);
        if (!c || (slot & (step - 1)) == 0) units++;   // a run is one unit, at its first slot
        int last = n - 1;
        if (last >= 0 && level[last] == lvl && contig[last] == c
                && first[last] + count[last] == slot
                && addr[last] + ((long) count[last] << g.spanShift(lvl)) == a
                && pfn[last] + ((long) count[last] << g.order(lvl)) == p) {
            count[last]++;
            return;
        }
        if (n == first.length) grow();
        first[n] = slot;
        count[n] = 1;
        level[n] = lvl;
        pfn[n] = p;
        addr[n] = a;
        contig[n] = c;
        n++;
    }

    private void grow() {
        int cap = n * 2;
        first = Arrays.copyOf(first, cap);
        count = Arrays.copyOf(count, cap);
        level = Arrays.copyOf(level, cap);
        pfn = Arrays.copyOf(pfn, cap);
        addr = Arrays.copyOf(addr, cap);
        contig = Arrays.copyOf(contig, cap);
    }

    /** Number of slices. */
    public int size() { return n; }
    /** Arena index of slice {@code i}'s first entry. */
    public int first(int i) { return first[i]; }
    /** Entries in slice {@code i}. */
    public int count(int i) { return count[i]; }
    public int level(int i) { return level[i]; }
    /** Pfn of slice {@code i}'s first entry; its entry {@code k} has {@code pfn + (k << order)}. */
    public long pfn(int i) { return pfn[i]; }
    /** Address slice {@code i}'s first entry maps. */
    public long addr(int i) { return addr[i]; }
    /** Whether slice {@code i}'s entries are members of contiguous runs. */
    public boolean contig(int i) { return contig[i]; }
    /** Units (TLB translations) in all slices. */
    public long units() { return units; }
    /** Base pages mapped by all slices. */
    public long pages() { return pages; }
    /** Leaf entries in all slices. */
    public long entries() { return entries; }

    /** Whether {@code o} has slices of the same lengths, levels, pfns and markers. */
    public boolean sameShape(Slices o) {
        return n == o.n && Arrays.equals(count, 0, n, o.count, 0, n)
                && Arrays.equals(level, 0, n, o.level, 0, n)
                && Arrays.equals(pfn, 0, n, o.pfn, 0, n)
                && Arrays.equals(contig, 0, n, o.contig, 0, n);
    }

    /**
     * The slot where a hardware walk for {@code va} stops (a leaf, or the none entry it meets),
     * packed as {@code slot << 8 | level}. Setup only.
     */
    public static long resolve(Mm mm, long va) {
        Geometry g = mm.geometry();
        EntryFormat f = mm.format();
        int table = mm.root();
        for (int lvl = g.rootLevel(); ; lvl--) {
            int slot = table + g.index(lvl, va);
            long e = mm.get(slot);
            if (lvl == 0 || !f.table(lvl, e)) return (long) slot << 8 | lvl;
            table = f.tablePtr(lvl, e);
        }
    }
}

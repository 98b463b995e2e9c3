package org.ptarena.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Physical memory: one {@code long[]} holding every table of the address spaces built on it. A
 * table of {@code 2^k} entries is a slice aligned to its own size, and a table pointer is the index
 * of its first entry. Tables are allocated per size class with free lists, counted per level by
 * their {@link Mm}, zeroed on allocation; an allocation can be made to fail on request (fault
 * injection), and {@link #audit} finds every table that is not reachable exactly once.
 *
 * <p>Per table the arena keeps one byte of metadata (size class and level) in a side array, never
 * an object per entry: tens of millions of entries fit in a few hundred MiB.
 */
public final class Arena {
    private static final int MAX_CLASS = 20;
    private long[] mem;
    private byte[]
            meta; // meta[ptr >> 1]: 0 = no table starts here; else (sizeClass << 3) | (level + 1)
    private int top; // bump pointer
    private final int[][] free = new int[MAX_CLASS + 1][];
    private final int[] freeCount = new int[MAX_CLASS + 1];
    private long allocations;
    private long failCountdown; // 0 = disarmed

    public Arena() {
        this(1 << 12);
    }

    /** An arena with room for {@code entries} entries before it grows. */
    public Arena(int entries) {
        int cap = Math.max(64, entries + 1) & ~1;
        mem = new long[cap];
        meta = new byte[cap >> 1];
        for (int c = 0; c <= MAX_CLASS; c++) free[c] = new int[4];
    }

    /**
     * Reads the entry at {@code ptr}. Never cache the backing array: it moves when the arena grows.
     */
    public long get(int ptr) {
        return mem[ptr];
    }

    public void set(int ptr, long e) {
        mem[ptr] = e;
    }

    /**
     * Allocates a zeroed table of {@code 2^sizeClass} entries for a table of {@code level}.
     *
     * @throws OutOfTablesException when fault injection says this allocation fails
     */
    public int alloc(int sizeClass, int level) {
        if (sizeClass < 1 || sizeClass > MAX_CLASS)
            throw new IllegalArgumentException("table size class " + sizeClass);
        if (level < 0 || level > 6)
            throw new IllegalArgumentException("table level " + level + " out of 0..6");
        if (failCountdown > 0 && --failCountdown == 0) {
            throw new OutOfTablesException(
                    "injected failure of a level-" + level + " table allocation");
        }
        allocations++;
        int size = 1 << sizeClass;
        int ptr;
        if (freeCount[sizeClass] > 0) {
            ptr = free[sizeClass][--freeCount[sizeClass]];
            Arrays.fill(mem, ptr, ptr + size, 0L);
        } else {
            int aligned = (top + size - 1) & -size;
            ensure((long) aligned + size);
            releaseGap(top, aligned);
            ptr = aligned;
            top = aligned + size;
        }
        meta[ptr >> 1] = (byte) ((sizeClass << 3) | (level + 1));
        return ptr;
    }

    /** Returns a table to its free list. */
    public void free(int ptr) {
        int m = meta[ptr >> 1] & 0xff;
        if (m == 0)
            throw new IllegalStateException(
                    "free of 0x" + Integer.toHexString(ptr) + ", which is not an allocated table");
        meta[ptr >> 1] = 0;
        pushFree(m >>> 3, ptr);
    }

    /** The level a live table was allocated for, or -1 if no table starts at {@code ptr}. */
    public int levelOf(int ptr) {
        return (ptr & 1) != 0 || ptr < 0 || ptr >= mem.length ? -1 : (meta[ptr >> 1] & 7) - 1;
    }

    /** Number of entries of the live table at {@code ptr}. */
    public int entriesOf(int ptr) {
        return 1 << ((meta[ptr >> 1] & 0xff) >>> 3);
    }

    /**
     * Makes the {@code n}-th table allocation from now fail with {@link OutOfTablesException}
     * ({@code n = 1}: the next one); {@code 0} disarms. The failure disarms itself.
     */
    public void failAfter(long n) {
        if (n < 0) throw new IllegalArgumentException("failAfter " + n);
        failCountdown = n;
    }

    /** Successful allocations since the arena was made. */
    public long allocations() {
        return allocations;
    }

    /** Bytes of the backing array. */
    public long capacityBytes() {
        return 8L * mem.length + meta.length;
    }

    private void pushFree(int sizeClass, int ptr) {
        if (freeCount[sizeClass] == free[sizeClass].length)
            free[sizeClass] = Arrays.copyOf(free[sizeClass], free[sizeClass].length * 2);
        free[sizeClass][freeCount[sizeClass]++] = ptr;
    }

    /**
     * Puts the alignment gap {@code [from, to)} on the free lists as aligned power-of-two blocks.
     */
    private void releaseGap(int from, int to) {
        while (from < to) {
            int c = Integer.numberOfTrailingZeros(from);
            while (c > 0 && (c > MAX_CLASS || from + (1 << c) > to)) c--;
            if (c == 0) {
                from++;
                continue;
            } // a single odd word is never a table
            pushFree(c, from);
            from += 1 << c;
        }
    }

    private void ensure(long needed) {
        if (needed <= mem.length) return;
        if (needed > Integer.MAX_VALUE - 8)
            throw new OutOfTablesException("arena full: " + needed + " entries");
        long cap =
                Math.max(
                        needed,
                        mem.length
                                + (mem.length
                                        >> 3)); // grow by 1/8: the backing array is most of the
                                                // heap
        cap = Math.min(Integer.MAX_VALUE - 8, (cap + 1) & ~1L);
        mem = Arrays.copyOf(mem, (int) cap);
        meta = Arrays.copyOf(meta, (int) (cap >> 1));
    }

    /**
     * Every problem with the tables of {@code spaces}: a live table reachable from no root
     * (leaked), reachable twice (doubly linked), a table entry pointing where no table of the right
     * level starts, or a table of a wrong size. Empty when all is well.
     */
    public List<String> audit(List<Mm> spaces) {
        List<String> problems = new ArrayList<>();
        int[] seen = new int[mem.length >> 1];
        for (Mm mm : spaces) {
            if (mm.arena() != this)
                throw new IllegalArgumentException("address space on another arena");
            seen[mm.root() >> 1]++;
            auditTable(mm, mm.root(), mm.geometry().rootLevel(), 0, seen, problems);
        }
        for (int i = 0; i < meta.length; i++) {
            if (meta[i] != 0 && seen[i] == 0) {
                problems.add(
                        "leaked table at 0x"
                                + Integer.toHexString(i << 1)
                                + " (level "
                                + ((meta[i] & 7) - 1)
                                + ")");
            } else if (seen[i] > 1) {
                problems.add(
                        "table at 0x"
                                + Integer.toHexString(i << 1)
                                + " linked "
                                + seen[i]
                                + " times");
            }
        }
        return problems;
    }

    private void auditTable(
            Mm mm, int ptr, int level, long base, int[] seen, List<String> problems) {
        Geometry g = mm.geometry();
        EntryFormat f = g.format();
        if (levelOf(ptr) != level) {
            problems.add(
                    "level-"
                            + level
                            + " table expected at 0x"
                            + Integer.toHexString(ptr)
                            + " (for 0x"
                            + Long.toHexString(base)
                            + ")");
            return;
        }
        if (entriesOf(ptr) != g.entries(level)) {
            problems.add(
                    "table at 0x"
                            + Integer.toHexString(ptr)
                            + " has "
                            + entriesOf(ptr)
                            + " entries, level "
                            + level
                            + " needs "
                            + g.entries(level));
            return;
        }
        if (level == 0) return;
        for (int i = 0; i < g.entries(level); i++) {
            long e = mem[ptr + i];
            if (!f.table(level, e)) continue;
            int child = f.tablePtr(level, e);
            long addr = base + ((long) i << g.spanShift(level));
            if (child < 0 || child >= mem.length || (child & 1) != 0) {
                problems.add(
                        "table entry for 0x"
                                + Long.toHexString(addr)
                                + " points outside the arena");
                continue;
            }
            if (seen[child >> 1]++ > 0) continue; // reported as doubly linked; do not walk it twice
            auditTable(mm, child, level - 1, addr, seen, problems);
        }
    }
}

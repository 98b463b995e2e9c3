package org.ptarena.core;

/**
 * An address space: a geometry, a root table (always present), an RSS counter in base pages and
 * page-table counters (tables per level, bytes). Entries are read and written through {@link
 * #get}/{@link #set} by table pointer; tables are allocated and freed through {@link
 * #allocTable}/{@link #freeTable}, which keep the counters.
 */
public final class Mm {
    private final Geometry geometry;
    private final EntryFormat format;
    private final Arena arena;
    private final int root;
    private final long[] tables;
    private long rss;
    private long tableBytes;

    /** A new address space with an empty root table on {@code arena}. */
    public Mm(Geometry geometry, Arena arena) {
        this.geometry = geometry;
        this.format = geometry.format();
        this.arena = arena;
        this.tables = new long[geometry.levels()];
        this.root = allocTable(geometry.rootLevel());
    }

    public Geometry geometry() {
        return geometry;
    }

    public EntryFormat format() {
        return format;
    }

    public Arena arena() {
        return arena;
    }

    /** Arena index of the root table. */
    public int root() {
        return root;
    }

    /** The entry at arena index {@code ptr}. */
    public long get(int ptr) {
        return arena.get(ptr);
    }

    public void set(int ptr, long e) {
        arena.set(ptr, e);
    }

    /**
     * Allocates a zeroed table for {@code level}, counted in this address space.
     *
     * @throws OutOfTablesException on an injected failure
     */
    public int allocTable(int level) {
        int ptr = arena.alloc(geometry.bits(level), level);
        tables[level]++;
        tableBytes += geometry.tableBytes(level);
        return ptr;
    }

    /** Frees a table of {@code level}; the caller has cleared the entry that pointed to it. */
    public void freeTable(int ptr, int level) {
        if (ptr == root) throw new IllegalStateException("the root table is never freed");
        arena.free(ptr);
        tables[level]--;
        tableBytes -= geometry.tableBytes(level);
    }

    /** Resident base pages. */
    public long rss() {
        return rss;
    }

    public void addRss(long pages) {
        rss += pages;
    }

    /** Tables of {@code level} (the root counts at the root level). */
    public long tables(int level) {
        return tables[level];
    }

    /** Bytes of all tables, root included. */
    public long tableBytes() {
        return tableBytes;
    }
}

package org.ptarena.core;

/**
 * The format of layouts no hardware has (random property-test geometries, {@code future/6level}):
 * plain bits with no level-dependent meaning beyond "table above level 0". Bit 0 present, bit 1
 * leaf, bit 2 contiguous, bits 3..6 r w x u, bit 7 accessed, bit 8 dirty, frame bits 12..61. {@code
 * PROT_NONE} is present and leaf with no r/w/x.
 */
public final class GenericFormat extends EntryFormat {
    public static final GenericFormat INSTANCE = new GenericFormat();

    static final long PRESENT = 1L;
    static final long LEAF = 1L << 1;
    static final long CONT = 1L << 2;
    static final int PROT_SHIFT = 3;
    static final long A = 1L << 7;
    static final long D = 1L << 8;
    static final int FRAME_SHIFT = 12;
    static final long FRAME = ((1L << 50) - 1) << FRAME_SHIFT;

    private GenericFormat() {}

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public int pfnBits() {
        return 50;
    }

    @Override
    public boolean hasContig() {
        return true;
    }

    @Override
    public boolean present(int level, long e) {
        return (e & PRESENT) != 0;
    }

    @Override
    public boolean table(int level, long e) {
        return level > 0 && (e & (PRESENT | LEAF)) == PRESENT;
    }

    @Override
    public boolean leaf(int level, long e) {
        return (e & (PRESENT | LEAF)) == (PRESENT | LEAF);
    }

    @Override
    public int tablePtr(int level, long e) {
        return (int) ((e & FRAME) >>> FRAME_SHIFT);
    }

    @Override
    public long makeTable(int level, int ptr) {
        return PRESENT | ((long) ptr << FRAME_SHIFT);
    }

    @Override
    public long pfn(int level, long e) {
        return (e & FRAME) >>> FRAME_SHIFT;
    }

    @Override
    public int prot(int level, long e) {
        return (int) ((e >>> PROT_SHIFT) & Prot.ALL);
    }

    @Override
    public boolean contig(int level, long e) {
        return (e & CONT) != 0;
    }

    @Override
    public boolean young(int level, long e) {
        return (e & A) != 0;
    }

    @Override
    public boolean dirty(int level, long e) {
        return (e & D) != 0;
    }

    @Override
    protected long encodeLeaf(
            int level, long pfn, int prot, boolean contig, boolean young, boolean dirty) {
        long e = PRESENT | LEAF | (pfn << FRAME_SHIFT) | ((long) prot << PROT_SHIFT);
        if (contig) e |= CONT;
        if (young) e |= A;
        if (dirty) e |= D;
        return e;
    }

    @Override
    public long withProt(int level, long e, int prot) {
        return (e & ~((long) Prot.ALL << PROT_SHIFT)) | ((long) normalise(prot) << PROT_SHIFT);
    }

    @Override
    public long withContig(int level, long e, boolean on) {
        return on ? e | CONT : e & ~CONT;
    }

    @Override
    public long mkold(int level, long e) {
        return e & ~A;
    }

    @Override
    public long mkyoung(int level, long e) {
        return e | A;
    }

    @Override
    public long mkclean(int level, long e) {
        return e & ~D;
    }

    @Override
    public long mkdirty(int level, long e) {
        return e | D;
    }
}

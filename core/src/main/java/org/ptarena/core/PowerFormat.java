package org.ptarena.core;

/**
 * POWER radix tree entries. Power ISA v3.0B Book III §5.7.10.1 "Radix Tree Page Directory Entry" /
 * "Page Table Entry"; bit names from the kernel's {@code
 * arch/powerpc/include/asm/book3s/64/pgtable.h} (big-endian bit 0 = our bit 63).
 *
 * <p>{@code _PAGE_PRESENT} (valid) bit 63, {@code _PAGE_PTE} (leaf) bit 62, RPN bits 12..55, R
 * (accessed) bit 8, C (dirty) bit 7, {@code _PAGE_PRIVILEGED} bit 3 (so u is its absence), read 2,
 * write 1, exec 0. A directory entry is valid with the leaf bit clear. {@code PROT_NONE} is the
 * kernel's {@code PAGE_NONE}: valid, privileged, no r/w/x. No contiguous marker.
 */
public final class PowerFormat extends EntryFormat {
    public static final PowerFormat INSTANCE = new PowerFormat();

    static final long PRESENT = 1L << 63;
    static final long PTE = 1L << 62;
    static final int RPN_SHIFT = 12;
    static final long RPN = ((1L << 44) - 1) << RPN_SHIFT; // bits 12..55
    static final long ACCESSED = 1L << 8;
    static final long DIRTY = 1L << 7;
    static final long PRIVILEGED = 1L << 3;
    static final long READ = 1L << 2;
    static final long WRITE = 1L << 1;
    static final long EXEC = 1L;

    private PowerFormat() {}

    @Override
    public String name() {
        return "power";
    }

    @Override
    public int pfnBits() {
        return 44;
    }

    @Override
    public boolean hasContig() {
        return false;
    }

    @Override
    public boolean present(int level, long e) {
        return (e & PRESENT) != 0;
    }

    @Override
    public boolean table(int level, long e) {
        return level > 0 && (e & (PRESENT | PTE)) == PRESENT;
    }

    @Override
    public boolean leaf(int level, long e) {
        return (e & (PRESENT | PTE)) == (PRESENT | PTE);
    }

    @Override
    public int tablePtr(int level, long e) {
        return (int) ((e & RPN) >>> RPN_SHIFT);
    }

    @Override
    public long makeTable(int level, int ptr) {
        return PRESENT | ((long) ptr << RPN_SHIFT);
    }

    @Override
    public long pfn(int level, long e) {
        return (e & RPN) >>> RPN_SHIFT;
    }

    @Override
    public int prot(int level, long e) {
        int p = 0;
        if ((e & READ) != 0) p |= Prot.R;
        if ((e & WRITE) != 0) p |= Prot.W;
        if ((e & EXEC) != 0) p |= Prot.X;
        if (p != 0 && (e & PRIVILEGED) == 0) p |= Prot.U;
        return p;
    }

    @Override
    public boolean contig(int level, long e) {
        return false;
    }

    @Override
    public boolean young(int level, long e) {
        return (e & ACCESSED) != 0;
    }

    @Override
    public boolean dirty(int level, long e) {
        return (e & DIRTY) != 0;
    }

    @Override
    protected long encodeLeaf(
            int level, long pfn, int prot, boolean contig, boolean young, boolean dirty) {
        long e = PRESENT | PTE | (pfn << RPN_SHIFT);
        if (young) e |= ACCESSED;
        if (dirty) e |= DIRTY;
        if ((prot & Prot.R) != 0) e |= READ;
        if ((prot & Prot.W) != 0) e |= WRITE;
        if ((prot & Prot.X) != 0) e |= EXEC;
        if ((prot & Prot.U) == 0) e |= PRIVILEGED;
        return e;
    }

    @Override
    public long mkold(int level, long e) {
        return e & ~ACCESSED;
    }

    @Override
    public long mkyoung(int level, long e) {
        return e | ACCESSED;
    }

    @Override
    public long mkclean(int level, long e) {
        return e & ~DIRTY;
    }

    @Override
    public long mkdirty(int level, long e) {
        return e | DIRTY;
    }

    @Override
    public long wrprotect(int level, long e) {
        return e & ~WRITE;
    }
}

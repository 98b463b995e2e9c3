package org.ptarena.core;

/**
 * x86-64 (and PAE) entries. Intel SDM Vol. 3A (Dec 2023), §4.5 "4-Level Paging and 5-Level Paging",
 * Tables 4-15 to 4-20; software bits from the kernel's {@code
 * arch/x86/include/asm/pgtable_types.h}.
 *
 * <p>P bit 0, R/W 1, U/S 2, A 5, D 6, bit 7 is PS above the PT level (a leaf) and PAT at the PT
 * level, G 8 (reused as {@code _PAGE_PROTNONE} while P is clear), frame bits 12..51, XD/NX 63. A
 * present x86 page is always readable, so x implies r.
 */
public final class X86Format extends EntryFormat {
    public static final X86Format INSTANCE = new X86Format();

    static final long P = 1L;
    static final long RW = 1L << 1;
    static final long US = 1L << 2;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7; // leaf above the PT level only; at PT level bit 7 is PAT
    static final long PROTNONE =
            1L << 8; // _PAGE_PROTNONE = _PAGE_GLOBAL, meaningful while P is clear
    static final long NX = 1L << 63;
    static final int FRAME_SHIFT = 12;
    static final long FRAME = ((1L << 40) - 1) << FRAME_SHIFT; // bits 12..51

    /** {@code _PAGE_TABLE}: P, RW, US, A, D. */
    static final long TABLE = P | RW | US | A | D;

    private X86Format() {}

    @Override
    public String name() {
        return "x86";
    }

    @Override
    public int pfnBits() {
        return 40;
    }

    @Override
    public boolean hasContig() {
        return false;
    }

    @Override
    public int normalise(int prot) {
        int p = super.normalise(prot);
        return p == Prot.NONE ? p : p | Prot.R;
    }

    @Override
    public boolean present(int level, long e) {
        return (e & (P | PROTNONE)) != 0;
    }

    @Override
    public boolean table(int level, long e) {
        return level > 0 && (e & P) != 0 && (e & PS) == 0;
    }

    @Override
    public boolean leaf(int level, long e) {
        if (level == 0) return (e & (P | PROTNONE)) != 0;
        return (e & PS) != 0 && (e & (P | PROTNONE)) != 0;
    }

    @Override
    public int tablePtr(int level, long e) {
        return (int) ((e & FRAME) >>> FRAME_SHIFT);
    }

    @Override
    public long makeTable(int level, int ptr) {
        return TABLE | ((long) ptr << FRAME_SHIFT);
    }

    @Override
    public long pfn(int level, long e) {
        return (e & FRAME) >>> FRAME_SHIFT;
    }

    @Override
    public int prot(int level, long e) {
        if ((e & P) == 0) return Prot.NONE;
        int p = Prot.R;
        if ((e & RW) != 0) p |= Prot.W;
        if ((e & NX) == 0) p |= Prot.X;
        if ((e & US) != 0) p |= Prot.U;
        return p;
    }

    @Override
    public boolean contig(int level, long e) {
        return false;
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
        long e = pfn << FRAME_SHIFT;
        if (level > 0) e |= PS;
        if (young) e |= A;
        if (dirty) e |= D;
        if (prot == Prot.NONE) return e | PROTNONE | NX; // PAGE_NONE: P clear, PROTNONE set
        e |= P;
        if ((prot & Prot.W) != 0) e |= RW;
        if ((prot & Prot.U) != 0) e |= US;
        if ((prot & Prot.X) == 0) e |= NX;
        return e;
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

    @Override
    public long wrprotect(int level, long e) {
        return e & ~RW;
    }
}

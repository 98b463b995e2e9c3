package org.ptarena.core;

/**
 * RISC-V Sv39/Sv48/Sv57 entries. RISC-V Privileged Architecture 20211203, §4.3.1 and §4.4–4.6 (V R
 * W X U G A D, PPN bits 10..53), and the Svnapot extension (N bit 63); software bits from the
 * kernel's {@code arch/riscv/include/asm/pgtable-bits.h}.
 *
 * <p>An entry is a leaf iff any of R, W, X is set, at any level; a valid entry with none of them
 * points to the next table. {@code PROT_NONE} is {@code _PAGE_PROT_NONE} (= G, bit 5) with V clear
 * and R kept, as the kernel's {@code PAGE_NONE}. W without R is reserved, so w implies r;
 * execute-only is expressible. Svnapot: each entry of a run keeps its own pfn here and carries N;
 * real hardware encodes the run size in the low PPN bits instead (a simplification that changes no
 * walker).
 */
public final class RiscvFormat extends EntryFormat {
    public static final RiscvFormat INSTANCE = new RiscvFormat();

    static final long V = 1L;
    static final long R = 1L << 1;
    static final long W = 1L << 2;
    static final long X = 1L << 3;
    static final long U = 1L << 4;
    static final long G = 1L << 5;
    static final long PROT_NONE = G; // _PAGE_PROT_NONE, meaningful while V is clear
    static final long A = 1L << 6;
    static final long D = 1L << 7;
    static final int PPN_SHIFT = 10;
    static final long PPN = ((1L << 44) - 1) << PPN_SHIFT; // bits 10..53
    static final long N = 1L << 63; // Svnapot
    static final long RWX = R | W | X;

    private RiscvFormat() {}

    @Override
    public String name() {
        return "riscv";
    }

    @Override
    public int pfnBits() {
        return 44;
    }

    @Override
    public boolean hasContig() {
        return true;
    }

    @Override
    public boolean present(int level, long e) {
        return (e & V) != 0 || ((e & PROT_NONE) != 0 && (e & RWX) != 0);
    }

    @Override
    public boolean table(int level, long e) {
        return level > 0 && (e & V) != 0 && (e & RWX) == 0;
    }

    @Override
    public boolean leaf(int level, long e) {
        return present(level, e) && (e & RWX) != 0;
    }

    @Override
    public int tablePtr(int level, long e) {
        return (int) ((e & PPN) >>> PPN_SHIFT);
    }

    @Override
    public long makeTable(int level, int ptr) {
        return V | ((long) ptr << PPN_SHIFT);
    }

    @Override
    public long pfn(int level, long e) {
        return (e & PPN) >>> PPN_SHIFT;
    }

    @Override
    public int prot(int level, long e) {
        if ((e & V) == 0) return Prot.NONE;
        int p = 0;
        if ((e & R) != 0) p |= Prot.R;
        if ((e & W) != 0) p |= Prot.W;
        if ((e & X) != 0) p |= Prot.X;
        if ((e & U) != 0) p |= Prot.U;
        return p;
    }

    @Override
    public boolean contig(int level, long e) {
        return (e & N) != 0;
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
        long e = pfn << PPN_SHIFT;
        if (young) e |= A;
        if (dirty) e |= D;
        if (contig) e |= N;
        if (prot == Prot.NONE) return e | PROT_NONE | R; // PAGE_NONE: V clear
        e |= V;
        if ((prot & Prot.R) != 0) e |= R;
        if ((prot & Prot.W) != 0) e |= W;
        if ((prot & Prot.X) != 0) e |= X;
        if ((prot & Prot.U) != 0) e |= U;
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
    public long withContig(int level, long e, boolean on) {
        return on ? e | N : e & ~N;
    }
}

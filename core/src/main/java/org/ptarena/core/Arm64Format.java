package org.ptarena.core;

/**
 * arm64 VMSAv8-64 descriptors. Arm ARM (DDI 0487J.a) D8.3 "Translation table descriptor formats";
 * software bits from the kernel's {@code arch/arm64/include/asm/pgtable-hwdef.h} and {@code
 * pgtable-prot.h}.
 *
 * <p>Bit 0 valid; bit 1 means "table" above the last level and "page" at it (a block above the last
 * level has bit 1 clear); AP[1] bit 6 = {@code PTE_USER}; AP[2] bit 7 = {@code PTE_RDONLY}; SH bits
 * 8..9; AF bit 10; nG bit 11; output address bits 12..47; DBM bit 51 = {@code PTE_WRITE};
 * contiguous bit 52; PXN 53; UXN 54; software {@code PTE_DIRTY} bit 55 and {@code PTE_PROT_NONE}
 * bit 58 (valid clear). As in the kernel, a writable clean entry is {@code PTE_WRITE|PTE_RDONLY}
 * (hardware DBM clears RDONLY on the first write) and a writable dirty one has RDONLY clear.
 * Without FEAT_PIE, x implies r ({@code protection_map} maps PROT_EXEC to PAGE_READONLY_EXEC).
 */
public final class Arm64Format extends EntryFormat {
    public static final Arm64Format INSTANCE = new Arm64Format();

    static final long VALID = 1L;
    static final long TABLE_OR_PAGE = 1L << 1; // table above the last level, page at it
    static final long USER = 1L << 6; // AP[1]
    static final long RDONLY = 1L << 7; // AP[2]
    static final long SH_INNER = 3L << 8;
    static final long AF = 1L << 10;
    static final long NG = 1L << 11;
    static final int OA_SHIFT = 12;
    static final long OA = ((1L << 36) - 1) << OA_SHIFT; // bits 12..47
    static final long WRITE = 1L << 51; // DBM
    static final long CONT = 1L << 52;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;
    static final long SW_DIRTY = 1L << 55;
    static final long PROT_NONE = 1L << 58;

    private Arm64Format() {}

    @Override
    public String name() {
        return "arm64";
    }

    @Override
    public int pfnBits() {
        return 36;
    }

    @Override
    public boolean hasContig() {
        return true;
    }

    @Override
    public int normalise(int prot) {
        int p = super.normalise(prot);
        return p == Prot.NONE ? p : p | Prot.R;
    }

    @Override
    public boolean present(int level, long e) {
        return (e & (VALID | PROT_NONE)) != 0;
    }

    @Override
    public boolean table(int level, long e) {
        return level > 0 && (e & (VALID | TABLE_OR_PAGE)) == (VALID | TABLE_OR_PAGE);
    }

    @Override
    public boolean leaf(int level, long e) {
        if ((e & (VALID | PROT_NONE)) == 0) return false;
        return level == 0 || (e & TABLE_OR_PAGE) == 0;
    }

    @Override
    public int tablePtr(int level, long e) {
        return (int) ((e & OA) >>> OA_SHIFT);
    }

    @Override
    public long makeTable(int level, int ptr) {
        return VALID | TABLE_OR_PAGE | ((long) ptr << OA_SHIFT);
    }

    @Override
    public long pfn(int level, long e) {
        return (e & OA) >>> OA_SHIFT;
    }

    @Override
    public int prot(int level, long e) {
        if ((e & VALID) == 0) return Prot.NONE;
        int p = Prot.R;
        if ((e & WRITE) != 0) p |= Prot.W;
        if ((e & UXN) == 0) p |= Prot.X;
        if ((e & USER) != 0) p |= Prot.U;
        return p;
    }

    @Override
    public boolean contig(int level, long e) {
        return (e & CONT) != 0;
    }

    @Override
    public boolean young(int level, long e) {
        return (e & AF) != 0;
    }

    /** {@code pte_dirty}: software dirty, or hardware dirty (DBM set and RDONLY clear). */
    @Override
    public boolean dirty(int level, long e) {
        return (e & SW_DIRTY) != 0 || (e & (WRITE | RDONLY)) == WRITE;
    }

    @Override
    protected long encodeLeaf(
            int level, long pfn, int prot, boolean contig, boolean young, boolean dirty) {
        long e = (pfn << OA_SHIFT) | SH_INNER;
        if (level == 0) e |= TABLE_OR_PAGE;
        if (young) e |= AF;
        if (dirty) e |= SW_DIRTY;
        if (contig) e |= CONT;
        if (prot == Prot.NONE)
            return e | PROT_NONE | RDONLY | NG | PXN | UXN; // PAGE_NONE, valid clear
        e |= VALID;
        if ((prot & Prot.W) != 0) {
            e |= WRITE;
            if (!dirty) e |= RDONLY;
        } else {
            e |= RDONLY;
        }
        if ((prot & Prot.U) != 0) e |= USER | NG;
        if ((prot & Prot.X) == 0) e |= UXN | PXN;
        return e;
    }

    @Override
    public long mkold(int level, long e) {
        return e & ~AF;
    }

    @Override
    public long mkyoung(int level, long e) {
        return e | AF;
    }

    @Override
    public long withContig(int level, long e, boolean on) {
        return on ? e | CONT : e & ~CONT;
    }
}

package org.ptarena.core;

/**
 * How one 64-bit entry is laid out on an architecture. Every method takes the entry's level,
 * because on real hardware the same bits mean different things at different levels (x86 bit 7 is PS
 * above the PTE level and PAT at it; arm64 bit 1 means "table" above the last level and "page" at
 * it). An API touches entries only through this class, as kernel code does through {@code
 * pte_*}/{@code pmd_*} helpers.
 *
 * <p>Words: an entry is <em>none</em> when it is zero; <em>present</em> is the kernel's {@code
 * pte_present} — a hardware-valid entry or a {@code PROT_NONE} leaf, which keeps the page mapped
 * with the valid bit clear; a present entry is either a <em>table</em> (a pointer to the next
 * level, never at level 0) or a <em>leaf</em>. Every leaf this class builds is canonical: its bits
 * are a function of (level, pfn, prot, contiguous, young, dirty) alone, so two implementations that
 * build the same unit produce the same word.
 *
 * <p>Prots are normalised as the kernel's {@code protection_map} does: no r, w or x at all is
 * {@code PROT_NONE} (and drops u); w implies r everywhere; the format may add more (x86 and arm64:
 * x implies r). {@link #prot} returns the normalised prot.
 */
public abstract class EntryFormat {

    /**
     * Format name as used in the catalog: {@code x86}, {@code arm64}, {@code riscv}, {@code power},
     * {@code generic}.
     */
    public abstract String name();

    /** Width of the frame-number field. */
    public abstract int pfnBits();

    /** Largest pfn the frame field holds. */
    public final long maxPfn() {
        return (1L << pfnBits()) - 1;
    }

    /** Whether the format has a contiguous marker (arm64 contiguous bit, riscv Svnapot N). */
    public abstract boolean hasContig();

    /** The prot the hardware can express for {@code prot}, as {@code protection_map} gives it. */
    public int normalise(int prot) {
        prot &= Prot.ALL;
        if (Prot.isNone(prot)) return Prot.NONE;
        if ((prot & Prot.W) != 0) prot |= Prot.R;
        return prot;
    }

    // --- classification -------------------------------------------------------------------

    /** {@code pte_none}: the entry is empty. */
    public final boolean none(int level, long e) {
        return e == 0;
    }

    /** {@code pte_present}: valid, or a {@code PROT_NONE} leaf. Tables are present. */
    public abstract boolean present(int level, long e);

    /** A pointer to a table of level {@code level - 1}. Never true at level 0. */
    public abstract boolean table(int level, long e);

    /**
     * A present leaf (base page, huge leaf or contiguous-run member), {@code PROT_NONE} included.
     */
    public abstract boolean leaf(int level, long e);

    // --- tables ---------------------------------------------------------------------------

    /** The arena index of the table a table entry points to. */
    public abstract int tablePtr(int level, long e);

    /** A table entry at {@code level} pointing to the table at arena index {@code ptr}. */
    public abstract long makeTable(int level, int ptr);

    // --- leaves: fields -------------------------------------------------------------------

    public abstract long pfn(int level, long e);

    /** The normalised prot of a leaf. */
    public abstract int prot(int level, long e);

    public abstract boolean contig(int level, long e);

    /** Accessed. */
    public abstract boolean young(int level, long e);

    public abstract boolean dirty(int level, long e);

    /**
     * The canonical leaf with these fields; {@code prot} is normalised first. The one constructor
     * every other leaf operation goes through.
     */
    public final long makeLeaf(
            int level, long pfn, int prot, boolean contig, boolean young, boolean dirty) {
        if (contig && !hasContig())
            throw new IllegalArgumentException(name() + " has no contiguous marker");
        return encodeLeaf(level, pfn, normalise(prot), contig, young, dirty);
    }

    /** Encodes a leaf; {@code prot} is already normalised and the pfn is in range. */
    protected abstract long encodeLeaf(
            int level, long pfn, int prot, boolean contig, boolean young, boolean dirty);

    // --- leaves: the kernel's helpers -----------------------------------------------------

    /**
     * {@code pfn_pte(pfn, prot)}: young and clean, as the kernel's page protections carry the
     * accessed bit.
     */
    public final long makeLeaf(int level, long pfn, int prot) {
        return makeLeaf(level, pfn, prot, false, true, false);
    }

    /** {@code pte_modify}: a new prot, keeping pfn, contiguous, young and dirty. */
    public long withProt(int level, long e, int prot) {
        return makeLeaf(
                level, pfn(level, e), prot, contig(level, e), young(level, e), dirty(level, e));
    }

    /** {@code pte_mkcont} / {@code pte_mknoncont}. */
    public long withContig(int level, long e, boolean on) {
        return makeLeaf(level, pfn(level, e), prot(level, e), on, young(level, e), dirty(level, e));
    }

    public long mkold(int level, long e) {
        return makeLeaf(
                level, pfn(level, e), prot(level, e), contig(level, e), false, dirty(level, e));
    }

    public long mkyoung(int level, long e) {
        return makeLeaf(
                level, pfn(level, e), prot(level, e), contig(level, e), true, dirty(level, e));
    }

    public long mkclean(int level, long e) {
        return makeLeaf(
                level, pfn(level, e), prot(level, e), contig(level, e), young(level, e), false);
    }

    public long mkdirty(int level, long e) {
        return makeLeaf(
                level, pfn(level, e), prot(level, e), contig(level, e), young(level, e), true);
    }

    /** {@code pte_wrprotect}: w removed, everything else kept. */
    public long wrprotect(int level, long e) {
        return withProt(level, e, prot(level, e) & ~Prot.W);
    }

    /** Young and dirty set as given, everything else kept. */
    public long withAccess(int level, long e, boolean young, boolean dirty) {
        return makeLeaf(level, pfn(level, e), prot(level, e), contig(level, e), young, dirty);
    }

    @Override
    public String toString() {
        return name();
    }
}

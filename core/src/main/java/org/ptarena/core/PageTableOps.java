package org.ptarena.core;

/**
 * The operation contract every design implements and the oracle follows. Addresses are
 * visited in ascending order; tables are allocated at the moment they are first needed,
 * top-down, so all designs allocate in the same order and an injected allocation failure
 * strikes all of them at the same point.
 *
 * <h2>Common rules</h2>
 * <ul>
 * <li><b>Arguments first.</b> Every operation checks its arguments with {@link Args} before it
 *     looks at a table: ranges page-aligned, non-empty, not reversed, inside
 *     {@code [0, 2^vaBits)} ({@code end == 2^vaBits} is valid, and reads negative when
 *     {@code vaBits == 63}); prots of r/w/x/u only (normalised by the format); pfns inside the
 *     frame field. Failure: {@link IllegalArgumentException}, nothing changed.</li>
 * <li><b>Unit.</b> One TLB translation: a base leaf (level 0), a huge leaf (level &gt; 0), or a
 *     whole contiguous run of {@code geometry.contig(level)} entries at one level. Its order is
 *     log2 of its size in base pages.</li>
 * <li><b>Partial coverage.</b> An operation that changes entries ({@code unmap}, {@code protect},
 *     the source of {@code copy}, the source of {@code move}) and whose range covers part of a unit first makes the unit
 *     fit, at the moment the ascending walk reaches the unit's first slot inside the range:
 *     part of a contiguous run → {@link Leaves#unfoldRun}; part of a huge leaf →
 *     {@link Leaves#splitLeaf} (after unfolding its run if it has one), then the operation goes
 *     on inside the new table, splitting further if needed. This happens even when the covered
 *     part then stays as it was (the kernel splits before it looks). {@code walk},
 *     {@code lookup} and {@code touch} never split. An operation covering a whole unit treats it
 *     whole.</li>
 * <li><b>Gather.</b> Splits and unfolds record themselves. Clearing a unit records
 *     {@link TlbGather#leafRemoved} once per unit (a run is one unit: pfn of its first entry,
 *     the run's order); changing a unit records {@link TlbGather#leafChanged} once per unit;
 *     freeing a table records {@link TlbGather#tableFreed}.</li>
 * <li><b>Young and dirty.</b> {@code map} installs entries young and clean. {@code touch} sets
 *     bits on one entry only, even inside a run. {@code walk} and {@code lookup} report young
 *     and dirty ORed over a run. Unfolding gives every entry of the run the OR; a split leaf's
 *     children inherit its bits; {@code protect} keeps them.</li>
 * </ul>
 */
public interface PageTableOps {

    /** {@code legacy}, {@code ptptr} or {@code vpte}. */
    String name();

    /** Whether this design can express {@code geometry}, and if not, why. */
    Support supports(Geometry geometry);

    /**
     * {@code remap_pfn_range}/{@code set_ptes}: installs leaves for {@code [start, end)} from
     * consecutive pfns starting at {@code pfn} (address {@code a} gets
     * {@code pfn + (a - start) / pageSize}), young and clean, with {@code prot}.
     *
     * <p>Policy {@link MapPolicy#BASE}: level-0 leaves only, no runs. Policy
     * {@link MapPolicy#LARGEST}: walking down from the root at each address, at a level that may
     * hold leaves, and only where the slot is none: a whole contiguous run of that level if the
     * level has runs, address and pfn are aligned to the run, the remaining length holds it and
     * every slot of the run is none; else a single leaf of that level if address and pfn are
     * aligned to it and the remaining length holds it. Otherwise a none slot gets a new table
     * and a table slot (even an empty one) is descended into.
     *
     * <p>Refused with {@link OverlapException#mapped} (message: the first address of the range
     * that is mapped) before anything changes if any page in the range is mapped. On an
     * {@link OutOfTablesException} part-way, the leaves it installed are removed again (tables
     * it allocated stay, as in the kernel) and the exception propagates.
     *
     * @return base pages mapped; RSS grows by as much
     */
    long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy);

    /**
     * {@code zap_page_range} + {@code free_pgtables}: clears every leaf in the range (splitting
     * and unfolding units it covers in part). With {@code freeTables}, afterwards every table
     * whose span meets the range and that is empty is freed and its parent entry cleared,
     * bottom-up, up to but not including the root.
     *
     * @return base pages unmapped; RSS shrinks by as much
     */
    long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb);

    /**
     * {@code change_protection}: gives every unit in the range {@code prot} (splitting and
     * unfolding first where the range covers a unit in part). Units already at the (normalised)
     * prot are left alone and not recorded. A run covered whole stays contiguous and is one
     * unit. Young, dirty and pfn are kept.
     *
     * @return base pages whose entry changed
     */
    long protect(Mm mm, long start, long end, int prot, TlbGather tlb);

    /**
     * {@code copy_page_range} for fork: walks {@code src} and {@code dst} together over the
     * range (same geometry, distinct spaces). The source's units covered in part are split or
     * unfolded first (recorded in {@code srcTlb}). Wherever the walk enters a source table, the
     * destination gets a table at the same position if it has none ({@code pXd_alloc} in
     * {@code copy_pXd_range}) — so an empty source table gets an empty destination table. Each
     * source unit is copied as a unit: same level, huge stays huge, runs stay runs, same pfns;
     * every destination entry of the unit gets young false and dirty = the unit's dirty ORed
     * over the run if {@code cow}, false otherwise ({@code ptep_get} then {@code set_ptes}:
     * mkold, and mkclean for shared mappings). With {@code cow}, a writable unit loses w in both
     * trees (one {@code leafChanged} in {@code srcTlb} per unit; the source keeps its own young
     * and dirty per entry).
     *
     * <p>The destination range must be empty: it may hold no leaf meeting the range and no table
     * whose span lies wholly inside the range; otherwise {@link OverlapException} before
     * anything changes. On an {@link OutOfTablesException} part-way, the leaves installed in
     * {@code dst} are removed again (its tables stay), the source keeps what was done to it, and
     * the exception propagates.
     *
     * @return base pages copied; {@code dst}'s RSS grows by as much
     */
    long copy(Mm dst, Mm src, long start, long end, boolean cow, TlbGather srcTlb);

    /**
     * {@code walk_page_range}: one visit per unit that meets the range, in address order, with
     * the unit's own start (which may lie below {@code start}), order, level and entry (for a
     * run: its first slot's entry with young and dirty ORed over the run). Changes nothing.
     *
     * @return units visited
     */
    long walk(Mm mm, long start, long end, WalkVisitor visitor);

    /**
     * {@code follow_page}: the translation of {@code va} into {@code out}. A {@code PROT_NONE}
     * page is mapped and is found (with prot {@link Prot#NONE}).
     *
     * @return false when nothing maps {@code va}
     */
    boolean lookup(Mm mm, long va, Translation out);

    /**
     * A user access by the MMU. Permitted when the unit's prot has u and r (read) or w (write);
     * then the accessed bit, and on a write the dirty bit, is set on the one entry {@code va}
     * falls in (inside a run, that entry alone). Otherwise it faults and nothing changes.
     *
     * @return true when the access was permitted
     */
    boolean touch(Mm mm, long va, boolean write);

    /**
     * {@code move_page_tables} for {@code mremap}: moves the mappings of
     * {@code [oldStart, oldEnd)} to {@code [newStart, newStart + len)} within {@code mm}, ascending
     * over the source, as the kernel walks it.
     *
     * <p><b>Refusals</b>, in this order and before anything changes: both ranges through
     * {@link Args#range}; ranges that overlap ({@code oldEnd > newStart && newEnd > oldStart},
     * {@code mremap_to}'s {@code vrm_overlaps}, {@code -EINVAL}): {@link IllegalArgumentException};
     * a destination that is not empty — a leaf meeting it, or a table whose span lies wholly
     * inside it (as for {@link #copy}; {@code move_normal_pmd} expects {@code pmd_none}):
     * {@link OverlapException} at the lowest such address, a table first.
     *
     * <p><b>The walk.</b> At each source entry, top-down, in address order:
     * <ul>
     * <li>none: stepped over; nothing is allocated for it.</li>
     * <li>a unit the range covers in part, or whose destination address is not aligned to the
     *     unit's size: a run is unfolded, a huge leaf split (the Partial-coverage helpers, recorded
     *     in {@code tlb}), and the walk goes on in what is there now ({@code split_huge_pmd} when
     *     the extent is not {@code HPAGE_PMD_SIZE}).</li>
     * <li>a unit covered whole with an aligned destination is moved whole
     *     ({@code move_huge_pmd}, {@code move_ptes}): the destination's missing tables down to the
     *     unit's level are allocated top-down at that moment, the source entries cleared, the
     *     destination entries set with the same pfns, prot and contiguity; a single entry keeps
     *     its young and dirty, every entry of a run gets young and dirty ORed over the run
     *     ({@code get_and_clear_full_ptes} then {@code set_ptes}). One
     *     {@link TlbGather#leafChanged} per unit, at its old address and level.</li>
     * <li>a table of level 0 or 1 (hung in what the kernel calls a PMD or PUD entry) whose
     *     entry's span the range covers whole, whose destination address is aligned to that span
     *     and whose destination entry is none (after allocating the destination's missing tables
     *     above it, top-down) is moved whole ({@code move_normal_pmd}, {@code move_normal_pud}):
     *     the destination entry takes the table, the source entry is cleared, everything under it
     *     stays as it is (young and dirty per entry). One {@link TlbGather#leafChanged} for the
     *     entry's span at its old address and the entry's level. Tables of level 2 and up never
     *     move whole: the kernel has no {@code move_normal_p4d}.</li>
     * <li>any other table is descended into.</li>
     * </ul>
     * Afterwards every table whose span meets the source range and that is empty is freed, as
     * {@link #unmap} with {@code freeTables} does (mremap unmaps the old range:
     * {@code unmap_source_vma}); each is a {@link TlbGather#tableFreed}. No unit is released
     * (its pages stay mapped), RSS does not change, and the destination needs no flush.
     *
     * <p>On an {@link OutOfTablesException} part-way (a split, or a destination table), what was
     * moved stays moved, splits and unfolds stay, tables allocated stay, nothing is freed, and
     * the exception propagates. (The kernel moves the entries back and unmaps the new range; the
     * model keeps the simpler rule, identical in every design.) Differs from the kernel too: no
     * realignment of the addresses to a PMD boundary ({@code try_realign_addr} needs VMAs), and a
     * destination table is allocated only when something is placed under it.
     *
     * <p>Every design implements this method; the default only serves implementations outside
     * the project that predate it.
     *
     * @return base pages in the range, {@code (oldEnd - oldStart) / pageSize} (the kernel's
     *         {@code move_page_tables} returns the bytes it moved)
     */
    default long move(Mm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        throw new UnsupportedOperationException("move: not supported by " + name());
    }
}

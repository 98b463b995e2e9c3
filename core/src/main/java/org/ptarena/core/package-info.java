/**
 * The machine model every page-table design works on, and the contract they implement.
 *
 * <h2>Glossary</h2>
 * <dl>
 * <dt>level</dt><dd>A table's depth counted from the bottom: 0 is the base-page table, the
 *     root has the highest number (as in generic_pt and the 2018 pt_ptr proposal), so levels
 *     compare across geometries.</dd>
 * <dt>table</dt><dd>A power-of-two array of entries in the {@link org.ptarena.core.Arena},
 *     aligned to its own size; a table pointer is the arena index of its first entry.</dd>
 * <dt>entry</dt><dd>One 64-bit word, read through an {@link org.ptarena.core.EntryFormat}
 *     with its level: none, table, or leaf.</dd>
 * <dt>unit</dt><dd>One TLB translation: a base leaf, a huge leaf, or a whole contiguous run.</dd>
 * <dt>order</dt><dd>log2 of a unit's size in base pages (2M on 4K pages: 9).</dd>
 * <dt>span</dt><dd>Bytes one entry of a level covers; {@code spanShift} is its log2.</dd>
 * <dt>range</dt><dd>{@code [start, end)}, page aligned; {@code end} may be {@code 2^63}.</dd>
 * <dt>pfn</dt><dd>Page frame number in base pages.</dd>
 * <dt>prot</dt><dd>r, w, x, u bits ({@link org.ptarena.core.Prot}); none of r/w/x is
 *     {@code PROT_NONE}, which stays mapped.</dd>
 * <dt>present</dt><dd>The kernel's {@code pte_present}: valid, or a {@code PROT_NONE} leaf
 *     with the hardware valid bit clear.</dd>
 * </dl>
 *
 * <p>{@code core} holds no traversal: no walker, iterator or range loop a design could call
 * instead of writing its own. It gives every design what the kernel gives every walker: entry
 * formats, the arena, the gather, and the two helpers in {@link org.ptarena.core.Leaves}.
 */
package org.ptarena.core;

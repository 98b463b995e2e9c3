/**
 * The baseline design: the Linux per-level cascade. Five named levels, PGD, P4D, PUD, PMD and
 * PTE, each with its own function per operation ({@code zap_pmd_range} and its siblings), the
 * per-level helpers of {@code include/linux/pgtable.h} ({@code pmd_offset},
 * {@code pmd_addr_end}, {@code pmd_none}, {@code pmd_bad}, {@code pmd_leaf},
 * {@code pmd_present}, {@code pmd_alloc}) in {@link org.ptarena.legacy.Levels}, and the folding
 * of missing levels of {@code pgtable-nop4d.h}, {@code pgtable-nopud.h} and
 * {@code pgtable-nopmd.h}: a folded level's offset is its parent's slot and its
 * {@code addr_end} is {@code end}.
 *
 * <p>Level mapping (geometry levels count from 0 at the bottom): with five levels PGD = 4,
 * P4D = 3, PUD = 2, PMD = 1, PTE = 0. With fewer, P4D folds first, then PUD, then PMD: four
 * levels give PGD = 3, PUD = 2, PMD = 1; three give PGD = 2, PMD = 1; two give PGD = 1. A
 * folded level lives at its parent's geometry level.
 *
 * <p>Files: {@code Levels} (the per-level primitives and folding), {@code Huge} (huge leaves
 * and contiguous runs: fitting a unit to a range, and acting on a whole unit),
 * {@code RangeCheck} (the "range must be empty" pre-checks of map and copy),
 * {@code LegacyOps} (the contract, delegating), and one file per operation.
 */
package org.ptarena.legacy;

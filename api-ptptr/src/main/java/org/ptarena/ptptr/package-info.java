/**
 * {@code ptptr}: Kirill Shutemov's page-table API proposed at LSF/MM 2018 — a pointer into the
 * tables at any level, {@code pt_ptr(ptr, lvl)} (level 0 the bottom, the root's level taken from
 * the geometry at run time), and one recursive function per operation.
 *
 * <p>{@link org.ptarena.ptptr.PtPtr} holds the primitives (descend, walk-with-allocate, addrEnd,
 * the generic leaf test, partial-coverage fitting); each operation has its own file:
 * {@code MapRange}, {@code UnmapRange}, {@code ProtectRange}, {@code CopyRange} (the proposal's
 * two-tree {@code copy_pt_range}), {@code WalkRange}, {@code Lookup}, {@code Touch}.
 * {@link org.ptarena.ptptr.PtPtrOps} is the {@code PageTableOps} found by {@code ServiceLoader}.
 */
package org.ptarena.ptptr;

/**
 * The {@code vpte} design: Matthew Wilcox's flat page-table iterator from the 2020
 * page-table-primitives thread. {@link org.ptarena.vpte.VpteIter} keeps a table and slot per
 * level and moves up before sideways, then down; the unit order lives in the iterator, and
 * {@code setVpteAt} writes a unit of any order where it stands.
 * {@link org.ptarena.vpte.DualIter} walks two address spaces together for {@code copy}. Each
 * operation of {@link org.ptarena.core.PageTableOps} has its own file with one flat loop.
 */
package org.ptarena.vpte;

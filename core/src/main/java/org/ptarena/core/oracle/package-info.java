/**
 * The reference model every design is checked against: {@link org.ptarena.core.oracle.Oracle} runs
 * the operations of {@link org.ptarena.core.PageTableOps} on {@link
 * org.ptarena.core.oracle.OracleMm}s — a sorted map of {@link org.ptarena.core.oracle.Unit}s and
 * the set of tables per level, no table of entries at all — so that it can be trusted by reading,
 * and reports through {@link org.ptarena.core.oracle.OracleEvents} which behaviours a run
 * exercised. It shares none of the designs' code: no walker, no {@code Leaves} helper; only the
 * argument checks ({@link org.ptarena.core.Args}), the entry format (to build the word a walk
 * reports) and the gather record.
 */
package org.ptarena.core.oracle;

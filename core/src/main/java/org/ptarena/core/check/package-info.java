/**
 * Checkers that know nothing of any design: {@link org.ptarena.core.check.CanonicalDump} (every
 * entry of a real or an oracle address space, tables by position), {@link
 * org.ptarena.core.check.Invariants} (what must hold after every operation), {@link
 * org.ptarena.core.check.Outcome} (what one world shows after an operation) and {@link
 * org.ptarena.core.check.Differ} (the first difference between two outcomes, in words).
 */
package org.ptarena.core.check;

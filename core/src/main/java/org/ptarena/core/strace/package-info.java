/**
 * The strace importer: {@code strace -f -e trace=memory,process} output ({@link
 * org.ptarena.core.strace.StraceLog}) turned into a trace of page-table operations ({@link
 * org.ptarena.core.strace.StraceImporter}), with a stated policy for the pages strace cannot see
 * ({@link org.ptarena.core.strace.Populate}).
 */
package org.ptarena.core.strace;

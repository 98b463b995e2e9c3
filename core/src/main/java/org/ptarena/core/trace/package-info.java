/** The trace format: statements, parser, writer, and the runner that checks a trace on every implementation. */
package org.ptarena.core.trace;

package org.ptarena.core.trace;

import org.ptarena.core.MapPolicy;

/**
 * One statement of a trace, as parsed; {@link TraceWriter} prints each in canonical form. Fields
 * hold values exactly as written (prots as given, not normalised). Absent optional keys of
 * {@code expect} are {@code null}.
 */
public sealed interface Op {

    /** {@code geometry NAME} — the first statement. */
    record GeometryOp(String name) implements Op { }

    /** {@code mm ID} — a new, empty address space. */
    record MmOp(String id) implements Op { }

    /** {@code map ID START END pfn=PFN prot=PROT [policy=base|largest]}. */
    record MapOp(String id, long start, long end, long pfn, int prot, MapPolicy policy) implements Op { }

    /** {@code unmap ID START END [free]}. */
    record UnmapOp(String id, long start, long end, boolean free) implements Op { }

    /** {@code protect ID START END prot=PROT}. */
    record ProtectOp(String id, long start, long end, int prot) implements Op { }

    /** {@code copy DST SRC START END cow|shared}. */
    record CopyOp(String dst, String src, long start, long end, boolean cow) implements Op { }

    /** {@code walk ID START END}. */
    record WalkOp(String id, long start, long end) implements Op { }

    /** {@code lookup ID VA}. */
    record LookupOp(String id, long va) implements Op { }

    /** {@code touch ID VA [write]}. */
    record TouchOp(String id, long va, boolean write) implements Op { }

    /** {@code move ID OLD_START OLD_END NEW_START}. */
    record MoveOp(String id, long oldStart, long oldEnd, long newStart) implements Op { }

    /** {@code drop ID} — unmap everything and free every table but the root. */
    record DropOp(String id) implements Op { }

    /**
     * {@code fault K} — fault injection, an extension of the architecture's grammar: the K-th
     * table allocation (K &ge; 1) of the next statement fails, in the oracle and in every
     * implementation alike.
     */
    record FaultOp(long k) implements Op { }

    /** {@code fail STATEMENT} — the operation must be refused and change nothing. */
    record FailOp(Op op) implements Op { }

    /** {@code expect ID VA [order=N] [pfn=PFN] [prot=PROT] [young=0|1] [dirty=0|1]}. */
    record ExpectOp(String id, long va, Integer order, Long pfn, Integer prot, Boolean young, Boolean dirty) implements Op { }

    /** {@code expect-none ID VA}. */
    record ExpectNoneOp(String id, long va) implements Op { }

    /** {@code expect-rss ID PAGES}. */
    record ExpectRssOp(String id, long pages) implements Op { }

    /** {@code expect-tables ID LEVEL COUNT}. */
    record ExpectTablesOp(String id, int level, long count) implements Op { }
}

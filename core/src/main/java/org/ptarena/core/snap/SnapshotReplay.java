package org.ptarena.core.snap;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;

/**
 * Builds an address space from a {@link Snapshot} and puts it through a process's life: fork,
 * mprotect, exit. The same steps exist three ways: as trace statements ({@link #trace}, which
 * {@code ptarena check} runs on the oracle and every implementation), on any {@link
 * PageTableOps} (for the benchmarks), and on the {@link Oracle}.
 *
 * <ul>
 * <li><b>Build</b> ({@link #populate}): one {@code map} per run, with the VMA's prot, policy
 *     {@code largest} for a run marked {@code thp} (a PMD-mapped huge page becomes a huge leaf;
 *     the run is aligned, so nothing smaller is made) and {@code base} for every other run (the
 *     kernel fills a PTE at a time on a fault; contiguous bits are never set by a fault).</li>
 * <li><b>Fork</b> ({@link #fork}, the kernel's {@code dup_mmap}): one {@code copy} per VMA into
 *     an empty space, {@code cow} for private writable VMAs, {@code shared} otherwise. The
 *     kernel skips VMAs without an {@code anon_vma} ({@code vma_needs_copy}: their pages are
 *     faulted in again later); a snapshot cannot tell which VMAs have one, so every VMA is
 *     copied, the cost fork would pay if every VMA had anonymous pages.</li>
 * <li><b>Protect</b> ({@link #protectWritable}): each writable VMA made read-only, as an
 *     {@code mprotect(PROT_READ)} of the whole VMA.</li>
 * <li><b>Exit</b> ({@link #exit}): unmap everything and free every table but the root ({@code
 *     exit_mmap}: {@code unmap_vmas} then {@code free_pgtables}); the trace's {@code drop}.</li>
 * </ul>
 */
public final class SnapshotReplay {
    /** Address space names in {@link #trace}: the process and its child. */
    public static final String PARENT = "P";
    public static final String CHILD = "C";

    private SnapshotReplay() { }

    /** The policy a run is mapped with: {@code largest} for a THP, {@code base} otherwise. */
    public static MapPolicy policy(Snapshot.Run r) {
        return r.thp() ? MapPolicy.LARGEST : MapPolicy.BASE;
    }

    /** The run's end address. */
    public static long end(Snapshot s, Snapshot.Run r) {
        return r.start() + (r.pages() << s.pageShift());
    }

    /** The read-only prot a writable VMA gets from {@link #protectWritable}. */
    public static int readOnly(Snapshot.Vma v) {
        return v.prot() & ~Prot.W;
    }

    // --- as trace statements ---------------------------------------------------------------

    /** {@code mm ID}, then one {@code map} per run. */
    public static List<Op> build(Snapshot s, String id) {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.MmOp(id));
        for (Snapshot.Vma v : s.vmas()) {
            for (Snapshot.Run r : v.runs()) {
                ops.add(new Op.MapOp(id, r.start(), end(s, r), r.pfn(), v.prot(), policy(r)));
            }
        }
        return ops;
    }

    /** {@code mm CHILD}, then one {@code copy} per VMA. */
    public static List<Op> fork(Snapshot s, String child, String parent) {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.MmOp(child));
        for (Snapshot.Vma v : s.vmas()) {
            ops.add(new Op.CopyOp(child, parent, v.start(), v.end(), v.cow()));
        }
        return ops;
    }

    /** One {@code protect} to read-only per writable VMA. */
    public static List<Op> protectWritable(Snapshot s, String id) {
        List<Op> ops = new ArrayList<>();
        for (Snapshot.Vma v : s.vmas()) {
            if (v.writable()) ops.add(new Op.ProtectOp(id, v.start(), v.end(), readOnly(v)));
        }
        return ops;
    }

    /** {@link #trace(Snapshot, Geometry, String)} on {@link Snapshot#defaultGeometry}. */
    public static Trace trace(Snapshot s, String source) {
        return trace(s, s.defaultGeometry(), source);
    }

    /**
     * The whole life as a trace on {@code g}: build {@code P} (then walk it), fork {@code C}
     * from it (walk it), exit {@code C}, protect {@code P}'s writable VMAs read-only, exit
     * {@code P}; with the resident pages expected after each step.
     *
     * @throws IllegalArgumentException when the snapshot does not fit {@code g} ({@link
     *     Snapshot#misfit})
     */
    public static Trace trace(Snapshot s, Geometry g, String source) {
        String misfit = s.misfit(g);
        if (misfit != null) throw new IllegalArgumentException(source + ": " + misfit);
        List<Op> ops = new ArrayList<>(build(s, PARENT));
        ops.add(new Op.ExpectRssOp(PARENT, s.pages()));
        ops.add(new Op.WalkOp(PARENT, 0, g.vaEnd()));
        ops.addAll(fork(s, CHILD, PARENT));
        ops.add(new Op.ExpectRssOp(CHILD, s.pages()));
        ops.add(new Op.WalkOp(CHILD, 0, g.vaEnd()));
        ops.add(new Op.DropOp(CHILD));
        ops.add(new Op.ExpectRssOp(CHILD, 0));
        ops.addAll(protectWritable(s, PARENT));
        ops.add(new Op.DropOp(PARENT));
        ops.add(new Op.ExpectRssOp(PARENT, 0));
        List<Trace.Line> lines = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) lines.add(new Trace.Line(i + 1, ops.get(i)));
        return new Trace(source, g.name(), lines);
    }

    // --- on an implementation ----------------------------------------------------------------

    /**
     * Maps every run of {@code s} into {@code mm} with {@code ops} (see the class comment).
     *
     * @return base pages mapped
     */
    public static long populate(PageTableOps ops, Mm mm, Snapshot s) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            for (Snapshot.Run r : v.runs()) {
                pages += ops.map(mm, r.start(), end(s, r), r.pfn(), v.prot(), policy(r));
            }
        }
        return pages;
    }

    /**
     * Copies every VMA of {@code parent} into the empty {@code child}, {@code cow} for private
     * writable ones.
     *
     * @return base pages copied
     */
    public static long fork(PageTableOps ops, Mm child, Mm parent, Snapshot s, TlbGather tlb) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            pages += ops.copy(child, parent, v.start(), v.end(), v.cow(), tlb);
        }
        return pages;
    }

    /**
     * Makes every writable VMA read-only.
     *
     * @return base pages whose entry changed
     */
    public static long protectWritable(PageTableOps ops, Mm mm, Snapshot s, TlbGather tlb) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            if (v.writable()) pages += ops.protect(mm, v.start(), v.end(), readOnly(v), tlb);
        }
        return pages;
    }

    /**
     * Unmaps the whole space and frees every table but the root.
     *
     * @return base pages unmapped
     */
    public static long exit(PageTableOps ops, Mm mm, TlbGather tlb) {
        return ops.unmap(mm, 0, mm.geometry().vaEnd(), true, tlb);
    }

    // --- on the oracle -----------------------------------------------------------------------

    /** {@link #populate(PageTableOps, Mm, Snapshot)} on the oracle. */
    public static long populate(Oracle oracle, OracleMm mm, Snapshot s) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            for (Snapshot.Run r : v.runs()) {
                pages += oracle.map(mm, r.start(), end(s, r), r.pfn(), v.prot(), policy(r));
            }
        }
        return pages;
    }

    /** {@link #fork(PageTableOps, Mm, Mm, Snapshot, TlbGather)} on the oracle. */
    public static long fork(Oracle oracle, OracleMm child, OracleMm parent, Snapshot s,
            TlbGather tlb) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            pages += oracle.copy(child, parent, v.start(), v.end(), v.cow(), tlb);
        }
        return pages;
    }

    /** {@link #protectWritable(PageTableOps, Mm, Snapshot, TlbGather)} on the oracle. */
    public static long protectWritable(Oracle oracle, OracleMm mm, Snapshot s, TlbGather tlb) {
        long pages = 0;
        for (Snapshot.Vma v : s.vmas()) {
            if (v.writable()) pages += oracle.protect(mm, v.start(), v.end(), readOnly(v), tlb);
        }
        return pages;
    }

    /** {@link #exit(PageTableOps, Mm, TlbGather)} on the oracle. */
    public static long exit(Oracle oracle, OracleMm mm, TlbGather tlb) {
        return oracle.unmap(mm, 0, mm.geometry().vaEnd(), true, tlb);
    }
}

package org.ptarena.core.oracle;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Args;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The reference model: {@link PageTableOps}'s operations on {@link OracleMm}s, which hold sorted
 * maps of units and sets of tables instead of tables of entries. Written to be read and trusted,
 * sentence by sentence after the contract: brute force, no cleverness, never tuned for speed. One
 * {@code Oracle} plays the part of one {@link org.ptarena.core.Arena}: every address space it makes
 * shares its allocation count, so {@link #failAfter} strikes the same allocation as in an arena
 * shared by the same address spaces.
 *
 * <p>Every operation follows ascending addresses and does things at the moment the ascending walk
 * of an implementation would reach them, so that allocations happen in the implementations' order:
 * tables top-down when first needed; a split (the kernel's {@code __split_huge_pmd}) allocating its
 * new table and, where the level below may not hold leaves, the tables under it depth first ({@link
 * org.ptarena.core.Leaves#splitLeaf}); copy allocating a destination table on entering each source
 * table ({@code pXd_alloc} in {@code copy_pXd_range}).
 *
 * <h2>Choices where the architecture is silent</h2>
 *
 * <ul>
 *   <li><b>The root counts.</b> {@link #newMm} allocates the root table through the same count as
 *       every other table, as an arena does for {@code new Mm} (the kernel's {@code pgd_alloc} can
 *       fail too).
 *   <li><b>A failed split aborts the operation where it stands.</b> {@code unmap} and {@code
 *       protect} keep what they did before the failing split (the kernel never undoes a zap or a
 *       protection change); the split itself is atomic (the leaf stays). {@code map} and {@code
 *       copy} remove the leaves they installed and keep their tables, as the contract says; the
 *       source of a failed {@code copy} keeps its splits and write-protections ({@code
 *       copy_present_pte} write-protects the parent's entry as it goes).
 *   <li><b>Freeing</b> ({@code unmap} with {@code freeTables}): every non-root table whose span
 *       meets the range and that holds nothing afterwards, lowest level first, so a parent emptied
 *       by the freeing of its children goes too. The kernel's {@code free_pgtables} bounds this by
 *       the neighbouring VMAs (floor, ceiling); with no VMAs in the model, "meets the range" is the
 *       contract's bound, and a table left empty by an earlier failure is freed as well.
 *   <li><b>Copy refusal message.</b> The lowest offending address: a leaf meeting the range or a
 *       table whose span lies wholly inside it (a table first when both start at the same address,
 *       since a walk meets the table entry first). Messages are shown, never compared.
 *   <li><b>Copy and write.</b> A unit is writable when its normalised prot has {@code w};
 *       write-protecting removes {@code w} and normalises again ({@code pte_wrprotect}). A {@code
 *       PROT_NONE} unit is not writable and is copied as it is.
 *   <li><b>Touch of an unmapped address</b> is a fault: false, nothing changes (no {@code
 *       handle_mm_fault} populating it).
 *   <li><b>Emptiness of a slot</b> for {@code map} policy {@code largest}: a slot of level {@code L
 *       > 0} is none when no table of level {@code L-1} covers it (a unit there is already excluded
 *       by the overlap check), even if that table is empty ({@code pmd_none}).
 * </ul>
 */
public final class Oracle {
    private OracleEvents events = OracleEvents.NONE;
    private long failCountdown;
    private final OracleCopy copier = new OracleCopy(this);
    private final OracleMove mover = new OracleMove(this);
    private final OracleFit fitter = new OracleFit(this);

    /** A new oracle with no address spaces; it reports to nobody until {@link #events} is set. */
    public Oracle() {}

    /** Where the operations report what they do. */
    OracleEvents events() {
        return events;
    }

    /** Reports what the operations do to {@code events}. */
    public Oracle events(OracleEvents events) {
        this.events = events;
        return this;
    }

    /**
     * Makes the {@code n}-th table allocation from now fail with {@link OutOfTablesException}, as
     * {@link org.ptarena.core.Arena#failAfter} does ({@code 1}: the next; {@code 0} disarms).
     */
    public void failAfter(long n) {
        if (n < 0) throw new IllegalArgumentException("failAfter " + n);
        failCountdown = n;
    }

    /** A new, empty address space: its root table is allocated (and counts for fault injection). */
    public OracleMm newMm(Geometry geometry) {
        try {
            countAllocation(geometry.rootLevel());
        } catch (OutOfTablesException e) {
            events.refused("mm", e.getClass());
            throw e;
        }
        events.tableAllocated("mm", geometry.rootLevel());
        return new OracleMm(geometry);
    }

    // --- map ------------------------------------------------------------------------------

    /**
     * {@code remap_pfn_range}: installs young, clean units for {@code [start, end)} from
     * consecutive pfns, walking down from the root at each address (see {@link #placeUnit}).
     * Refused if any page of the range is mapped; on a failed allocation the units installed are
     * removed again and the tables allocated stay.
     *
     * @return base pages mapped
     */
    public long map(OracleMm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        String op = "map";
        Geometry g = mm.geometry();
        try {
            Args.range(g, op, start, end);
            prot = Args.prot(g, op, prot);
            long pages = Args.pages(g, start, end);
            Args.pfns(g, op, pfn, pages);
            Unit mapped = mm.firstUnitMeeting(start, end);
            if (mapped != null) throw OverlapException.mapped(op, Math.max(mapped.start(), start));
            List<Unit> installed = new ArrayList<>();
            try {
                for (long a = start; Long.compareUnsigned(a, end) < 0; ) {
                    long pfnAtA = pfn + ((a - start) >>> g.pageShift());
                    Unit u = placeUnit(mm, a, end, pfnAtA, prot, policy, op);
                    mm.put(u);
                    installed.add(u);
                    events.unit(op, u.level(), u.order(), u.contiguous());
                    a = u.end(g.pageShift());
                }
            } catch (OutOfTablesException e) {
                for (Unit u : installed) mm.remove(u);
                throw e;
            }
            return pages;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    /**
     * The unit {@code map} installs at {@code a}, allocating the tables on its way: walking down
     * from the root, at a level that may hold leaves (policy {@code largest}) and whose slot is
     * none, a whole contiguous run if the level has runs, {@code a} and its pfn are aligned to the
     * run, the remaining length holds it and every slot of the run is none; else a single leaf if
     * {@code a} and its pfn are aligned to it and the remaining length holds it. Otherwise a none
     * slot gets a new table and a table slot, even an empty one, is descended into. Level 0 takes a
     * base page when nothing larger fits.
     */
    private Unit placeUnit(
            OracleMm mm, long a, long end, long pfnAtA, int prot, MapPolicy policy, String op) {
        Geometry g = mm.geometry();
        for (int level = g.rootLevel(); ; level--) {
            boolean slotNone = level == 0 || !mm.hasTable(level - 1, g.entryStart(level, a));
            boolean large = policy == MapPolicy.LARGEST && g.leafAllowed(level) && slotNone;
            if (large && g.contig(level) > 1 && runFits(mm, level, a, end, pfnAtA)) {
                return newUnit(g, level, a, pfnAtA, prot, true, true, false);
            }
            if (level == 0 || (large && fits(g, a, end, pfnAtA, g.order(level)))) {
                return newUnit(g, level, a, pfnAtA, prot, false, true, false);
            }
            if (slotNone) allocate(mm, level - 1, g.entryStart(level, a), op);
        }
    }

    /**
     * A run of {@code level} fits at {@code a}: aligned address and pfn, length, every slot none.
     */
    private static boolean runFits(OracleMm mm, int level, long a, long end, long pfnAtA) {
        Geometry g = mm.geometry();
        if (!fits(g, a, end, pfnAtA, g.runOrder(level))) return false;
        for (int i = 0; i < g.contig(level); i++) {
            if (level > 0 && mm.hasTable(level - 1, a + i * g.span(level))) return false;
        }
        return true;
    }

    /**
     * {@code a} and {@code pfn} aligned to a unit of {@code order}, and {@code [a, end)} holds it.
     */
    private static boolean fits(Geometry g, long a, long end, long pfn, int order) {
        return g.aligned(a, order)
                && (pfn & ((1L << order) - 1)) == 0
                && Long.compareUnsigned(end - a, g.unitSize(order)) >= 0;
    }

    // --- unmap ----------------------------------------------------------------------------

    /**
     * {@code zap_page_range} + {@code free_pgtables}: clears every unit in the range, in address
     * order, after making units covered in part fit ({@link #makeFit}); each cleared unit is one
     * {@link TlbGather#leafRemoved}. With {@code freeTables}, then frees the empty tables meeting
     * the range (see the class comment).
     *
     * @return base pages unmapped
     */
    public long unmap(OracleMm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        String op = "unmap";
        Geometry g = mm.geometry();
        try {
            Args.range(g, op, start, end);
            long removed = 0;
            for (long cur = start; Long.compareUnsigned(cur, end) < 0; ) {
                Unit u = mm.firstUnitMeeting(cur, end);
                if (u == null) break;
                if (!inside(g, u, start, end)) {
                    makeFit(mm, u, op, tlb);
                    continue;
                }
                mm.remove(u);
                tlb.leafRemoved(u.start(), u.size(g.pageShift()), u.level(), u.pfn(), u.order());
                events.unit(op, u.level(), u.order(), u.contiguous());
                removed += u.pages();
                cur = u.end(g.pageShift());
            }
            if (freeTables) freeEmptyTables(mm, start, end, op, tlb);
            return removed;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    /** Frees every empty non-root table whose span meets the range, level 0 first. */
    void freeEmptyTables(OracleMm mm, long start, long end, String op, TlbGather tlb) {
        Geometry g = mm.geometry();
        for (int level = 0; level < g.rootLevel(); level++) {
            for (long t : mm.tablesMeeting(level, start, end)) {
                if (!mm.tableEmpty(level, t)) continue;
                mm.removeTable(level, t);
                tlb.tableFreed(level);
                events.tableFreed(op, level);
            }
        }
    }

    // --- protect --------------------------------------------------------------------------

    /**
     * {@code change_protection}: gives every unit in the range the normalised {@code prot}, after
     * making units covered in part fit. A unit already at {@code prot} is left alone and not
     * recorded; a changed unit (a whole run is one) is one {@link TlbGather#leafChanged} and keeps
     * pfn, contiguity, and young and dirty per entry.
     *
     * @return base pages whose entry changed
     */
    public long protect(OracleMm mm, long start, long end, int prot, TlbGather tlb) {
        String op = "protect";
        Geometry g = mm.geometry();
        try {
            Args.range(g, op, start, end);
            prot = Args.prot(g, op, prot);
            long changed = 0;
            for (long cur = start; Long.compareUnsigned(cur, end) < 0; ) {
                Unit u = mm.firstUnitMeeting(cur, end);
                if (u == null) break;
                if (!inside(g, u, start, end)) {
                    makeFit(mm, u, op, tlb);
                    continue;
                }
                if (u.prot() != prot) {
                    u.setProt(prot);
                    tlb.leafChanged(u.start(), u.size(g.pageShift()), u.level());
                    events.unit(op, u.level(), u.order(), u.contiguous());
                    changed += u.pages();
                }
                cur = u.end(g.pageShift());
            }
            return changed;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    // --- copy -----------------------------------------------------------------------------

    /**
     * {@code copy_page_range} for fork. Refused unless {@code dst}'s range is empty (no unit
     * meeting it, no table whose span lies wholly inside it). Then, in address order: on entering
     * each source table covering the current address (top-down), {@code dst} gets a table at the
     * same position if it has none; a source unit covered in part is made to fit first (recorded in
     * {@code srcTlb}); a source unit covered whole is copied as a unit — same level, start, pfn,
     * contiguity; young false on every entry; dirty the unit's OR over its entries with {@code
     * cow}, false without — and with {@code cow} a writable unit loses {@code w} in both (one
     * {@link TlbGather#leafChanged} in {@code srcTlb}; the source keeps its young and dirty). On a
     * failed allocation the units installed in {@code dst} are removed again.
     *
     * @return base pages copied
     */
    public long copy(
            OracleMm dst, OracleMm src, long start, long end, boolean cow, TlbGather srcTlb) {
        return copier.copy(dst, src, start, end, cow, srcTlb);
    }

    // --- walk, lookup, touch --------------------------------------------------------------

    /**
     * {@code walk_page_range}: one visit per unit meeting the range, in address order, with the
     * unit's own start, order, level and the entry word an implementation would hold: the format's
     * canonical leaf with the unit's first pfn, prot, contiguity, and young and dirty ORed over the
     * unit. Changes nothing.
     *
     * @return units visited
     */
    public long walk(OracleMm mm, long start, long end, WalkVisitor visitor) {
        String op = "walk";
        Geometry g = mm.geometry();
        try {
            Args.range(g, op, start, end);
            long visits = 0;
            for (long cur = start; Long.compareUnsigned(cur, end) < 0; ) {
                Unit u = mm.firstUnitMeeting(cur, end);
                if (u == null) break;
                visitor.visit(u.start(), u.order(), u.level(), entry(g, u));
                events.unit(op, u.level(), u.order(), u.contiguous());
                if (u.contiguous()) events.accessRule(op, "or-over-run");
                visits++;
                cur = u.end(g.pageShift());
            }
            return visits;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    /** The entry word a walk reports for unit {@code u}. */
    public static long entry(Geometry g, Unit u) {
        return g.format()
                .makeLeaf(u.level(), u.pfn(), u.prot(), u.contiguous(), u.youngAny(), u.dirtyAny());
    }

    /**
     * {@code follow_page}: the translation of {@code va} (its own base page's pfn, the unit's prot
     * and order, young and dirty ORed over the unit), or false when nothing maps it.
     */
    public boolean lookup(OracleMm mm, long va, Translation out) {
        String op = "lookup";
        Geometry g = mm.geometry();
        try {
            Args.va(g, op, va);
            Unit u = mm.unitAt(va);
            if (u == null) return false;
            long pfn = u.pfn() + ((va - u.start()) >>> g.pageShift());
            long phys = (pfn << g.pageShift()) | (va & (g.pageSize() - 1));
            out.set(phys, pfn, u.prot(), u.order(), u.level(), u.youngAny(), u.dirtyAny());
            events.unit(op, u.level(), u.order(), u.contiguous());
            if (u.contiguous()) events.accessRule(op, "or-over-run");
            return true;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    /**
     * A user access by the MMU: permitted when the unit holding {@code va} has {@code u} and {@code
     * r} (read) or {@code w} (write); then young, and on a write dirty, is set on the one entry
     * {@code va} falls in. Otherwise (or with nothing mapped) it faults and nothing changes.
     */
    public boolean touch(OracleMm mm, long va, boolean write) {
        String op = "touch";
        Geometry g = mm.geometry();
        try {
            Args.va(g, op, va);
            Unit u = mm.unitAt(va);
            int need = Prot.U | (write ? Prot.W : Prot.R);
            if (u == null || (u.prot() & need) != need) {
                events.accessRule(op, "touch-fault");
                return false;
            }
            int entry = (int) ((va - u.start()) >>> g.spanShift(u.level()));
            u.setYoung(entry);
            if (write) u.setDirty(entry);
            events.unit(op, u.level(), u.order(), u.contiguous());
            if (u.contiguous()) events.accessRule(op, "touch-in-run");
            return true;
        } catch (RuntimeException e) {
            events.refused(op, e.getClass());
            throw e;
        }
    }

    // --- move -----------------------------------------------------------------------------

    /**
     * {@code move_page_tables} for {@code mremap}: moves {@code [oldStart, oldEnd)} to {@code
     * newStart} within {@code mm}, as {@link PageTableOps#move} states. Refused, before anything
     * changes, on bad arguments (both ranges through {@link Args}), on overlapping ranges ({@link
     * IllegalArgumentException}, as {@code mremap_to}'s {@code vrm_overlaps} gives {@code -EINVAL})
     * and on a destination that is not empty (as for copy). Then, ascending over the source, each
     * step looks top-down at the entry covering the current address (see {@code OracleMove}). Finally
     * every empty table meeting the source range is freed, as {@code unmap} with {@code
     * freeTables} does ({@code unmap_source_vma}). On a failed allocation what was moved stays
     * moved, splits stay, and nothing is freed.
     *
     * @return base pages of the range (the kernel returns the bytes it moved)
     */
    public long move(OracleMm mm, long oldStart, long oldEnd, long newStart, TlbGather tlb) {
        return mover.move(mm, oldStart, oldEnd, newStart, tlb);
    }

    // --- partial coverage -----------------------------------------------------------------

    /** Whether unit {@code u} lies wholly inside {@code [start, end)}. */
    static boolean inside(Geometry g, Unit u, long start, long end) {
        return Long.compareUnsigned(u.start(), start) >= 0
                && Long.compareUnsigned(u.end(g.pageShift()) - 1, end - 1) <= 0;
    }

    /**
     * Makes a unit covered in part fit ({@link OracleFit}): a run is unfolded, a huge leaf split.
     */
    void makeFit(OracleMm mm, Unit u, String op, TlbGather tlb) {
        fitter.makeFit(mm, u, op, tlb);
    }

    // --- tables ---------------------------------------------------------------------------

    /** Allocates the table of {@code level} covering the span that starts at {@code start}. */
    void allocate(OracleMm mm, int level, long start, String op) {
        countAllocation(level);
        mm.addTable(level, start);
        events.tableAllocated(op, level);
    }

    /**
     * One table allocation against the fault-injection count, as {@link
     * org.ptarena.core.Arena#alloc}.
     */
    private void countAllocation(int level) {
        if (failCountdown > 0 && --failCountdown == 0) {
            throw new OutOfTablesException(
                    "injected failure of a level-" + level + " table allocation");
        }
    }

    /** A unit of one entry, or a whole run, with the same young and dirty on every entry. */
    static Unit newUnit(
            Geometry g,
            int level,
            long start,
            long pfn,
            int prot,
            boolean run,
            boolean young,
            boolean dirty) {
        int entries = run ? g.contig(level) : 1;
        int order = run ? g.runOrder(level) : g.order(level);
        return new Unit(
                level,
                order,
                g.order(level),
                start,
                pfn,
                prot,
                run,
                Unit.all(entries, young),
                Unit.all(entries, dirty));
    }
}

package org.ptarena.bench;

import java.util.SplittableRandom;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.Translation;

/**
 * A fixed batch of seeded random byte addresses inside a populated range (uniform over the
 * range, so in a sparse range most fall on none entries of existing tables), each with a read or
 * write flag and, for the floor, the slot a hardware walk for it stops at. In a snapshot, whose
 * address space is almost all hole, the addresses are uniform over its present pages instead:
 * the accesses a running process makes.
 */
public final class Probes {
    /** Addresses per batch: one {@code lookup} or {@code touch} benchmark op does them all. */
    public static final int BATCH = 1024;
    /** The same addresses in every run, for every design. */
    public static final long SEED = 0x5eed_7ab1eL;

    private final long[] va;
    private final int[] slot;
    private final int[] level;
    private final boolean[] write;

    private Probes(long[] va, int[] slot, int[] level, boolean[] write) {
        this.va = va;
        this.slot = slot;
        this.level = level;
        this.write = write;
    }

    /** {@link #BATCH} addresses in {@code space}, every other one (at random) a write. */
    public static Probes of(Populated space) {
        SplittableRandom rnd = new SplittableRandom(SEED);
        long[] va = new long[BATCH];
        int[] slot = new int[BATCH];
        int[] level = new int[BATCH];
        boolean[] write = new boolean[BATCH];
        long len = space.end() - space.start();
        boolean present = space.scenario().isSnapshot();
        for (int i = 0; i < BATCH; i++) {
            va[i] = present ? presentAddress(space, rnd) : space.start() + rnd.nextLong(len);
            write[i] = rnd.nextBoolean();
            long s = Slices.resolve(space.mm(), va[i]);
            slot[i] = (int) (s >>> 8);
            level[i] = (int) (s & 0xff);
        }
        return new Probes(va, slot, level, write);
    }

    /** A byte address uniform over the present pages of {@code space}. */
    private static long presentAddress(Populated space, SplittableRandom rnd) {
        Slices s = space.slices();
        var g = space.mm().geometry();
        long page = rnd.nextLong(s.pages());
        for (int i = 0; i < s.size(); i++) {
            long pages = (long) s.count(i) << g.order(s.level(i));
            if (page < pages) {
                return s.addr(i) + (page << g.pageShift()) + rnd.nextLong(g.pageSize());
            }
            page -= pages;
        }
        throw new AssertionError("page beyond the slices");
    }

    /**
     * How many of the batch's accesses the leaves in {@code mm} permit (a user access to a leaf
     * with u, and w for a write or r for a read): what {@link #touchAll} returns. Setup only.
     */
    public long permitted(Mm mm) {
        var f = mm.format();
        long n = 0;
        for (int i = 0; i < va.length; i++) {
            long e = mm.get(slot[i]);
            if (!f.leaf(level[i], e)) continue;
            int prot = f.prot(level[i], e);
            if ((prot & Prot.U) != 0 && (prot & (write[i] ? Prot.W : Prot.R)) != 0) n++;
        }
        return n;
    }

    /** The batch of address {@code i} alone. */
    Probes only(int i) {
        return new Probes(new long[] {va[i]}, new int[] {slot[i]}, new int[] {level[i]},
                new boolean[] {write[i]});
    }

    public int size() { return va.length; }
    public long va(int i) { return va[i]; }
    public int slot(int i) { return slot[i]; }
    public int level(int i) { return level[i]; }
    public boolean write(int i) { return write[i]; }

    /** Looks every address up with {@code ops}; returns the sum over found ones of phys + 1. */
    public long lookupSum(PageTableOps ops, Mm mm, Translation out) {
        long sum = 0;
        for (int i = 0; i < va.length; i++) {
            if (ops.lookup(mm, va[i], out)) sum += out.phys + 1;
        }
        return sum;
    }

    /** Touches every address with {@code ops}; returns how many were permitted. */
    public long touchAll(PageTableOps ops, Mm mm) {
        long permitted = 0;
        for (int i = 0; i < va.length; i++) {
            if (ops.touch(mm, va[i], write[i])) permitted++;
        }
        return permitted;
    }
}

package org.ptarena.core;

import java.util.Arrays;

/**
 * What an operation asks the TLB to forget (the kernel's {@code struct mmu_gather}): the lowest
 * start and highest end touched, the set of levels at which leaves were cleared or changed, the
 * number of tables freed, and the released units {@code (pfn, order)} of every leaf removed, in the
 * order they were removed (address order). Reusable: {@link #reset} keeps its buffer, so a
 * steady-state operation does not allocate.
 */
public final class TlbGather {
    private long start;
    private long end;
    private int levels;
    private long tablesFreed;
    private long[] released = new long[32]; // pairs: pfn, order
    private int releasedCount;

    public TlbGather() {
        reset();
    }

    /** Forgets everything gathered. */
    public void reset() {
        start = -1L; // unsigned maximum: nothing gathered yet
        end = 0;
        levels = 0;
        tablesFreed = 0;
        releasedCount = 0;
    }

    /** A leaf (or run) of {@code bytes} at {@code addr} on {@code level} was changed in place. */
    public void leafChanged(long addr, long bytes, int level) {
        if (Long.compareUnsigned(addr, start) < 0) start = addr;
        long e = addr + bytes; // may be 2^63: compare unsigned
        if (Long.compareUnsigned(e, end) > 0) end = e;
        levels |= 1 << level;
    }

    /** A leaf (or run) was cleared; its unit {@code (pfn, order)} is released. */
    public void leafRemoved(long addr, long bytes, int level, long pfn, int order) {
        leafChanged(addr, bytes, level);
        if (releasedCount * 2 + 2 > released.length)
            released = Arrays.copyOf(released, released.length * 2);
        released[releasedCount * 2] = pfn;
        released[releasedCount * 2 + 1] = order;
        releasedCount++;
    }

    /** A table of {@code level} was freed. */
    public void tableFreed(int level) {
        tablesFreed++;
    }

    public boolean isEmpty() {
        return levels == 0 && tablesFreed == 0;
    }

    /** Lowest address touched; meaningless when no leaf was touched. */
    public long start() {
        return start;
    }

    /** Highest end touched (unsigned; {@code 2^63} reads negative). */
    public long end() {
        return end;
    }

    /** Bit {@code l} set when a leaf at level {@code l} was cleared or changed. */
    public int levels() {
        return levels;
    }

    public long tablesFreed() {
        return tablesFreed;
    }

    public int releasedCount() {
        return releasedCount;
    }

    public long releasedPfn(int i) {
        return released[i * 2];
    }

    public int releasedOrder(int i) {
        return (int) released[i * 2 + 1];
    }

    /** Whether two gathers hold the same record. */
    public boolean sameAs(TlbGather o) {
        if (levels != o.levels || tablesFreed != o.tablesFreed || releasedCount != o.releasedCount)
            return false;
        if (levels != 0 && (start != o.start || end != o.end)) return false;
        return Arrays.equals(released, 0, releasedCount * 2, o.released, 0, releasedCount * 2);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("gather{");
        if (levels != 0) {
            sb.append("range=[0x")
                    .append(Long.toHexString(start))
                    .append(", 0x")
                    .append(Long.toHexString(end))
                    .append(")");
            sb.append(" levels=").append(Integer.toBinaryString(levels));
        } else {
            sb.append("no leaves");
        }
        sb.append(" tablesFreed=").append(tablesFreed).append(" released=[");
        for (int i = 0; i < releasedCount; i++) {
            if (i > 0) sb.append(' ');
            if (i == 16) {
                sb.append("… ").append(releasedCount - 16).append(" more");
                break;
            }
            sb.append("0x")
                    .append(Long.toHexString(releasedPfn(i)))
                    .append('/')
                    .append(releasedOrder(i));
        }
        return sb.append("]}").toString();
    }
}

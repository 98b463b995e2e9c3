package org.ptarena.core;

/** How {@code map} chooses unit sizes. */
public enum MapPolicy {
    /** Base pages only. */
    BASE,
    /**
     * The largest unit that alignment of both address and pfn and the remaining length allow,
     * contiguous runs included, where the slot it needs is empty (an existing table, even an empty
     * one, is descended into).
     */
    LARGEST;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static MapPolicy parse(String s) {
        for (MapPolicy p : values()) if (p.word().equals(s)) return p;
        throw new IllegalArgumentException("policy '" + s + "' — expected base or largest");
    }
}

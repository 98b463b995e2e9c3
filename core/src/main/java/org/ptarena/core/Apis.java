package org.ptarena.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the implementations on the classpath through {@link ServiceLoader} ({@code
 * META-INF/services/org.ptarena.core.PageTableOps} in each API module). Each call makes new
 * instances, so callers may keep per-instance state (an iterator object, say).
 */
public final class Apis {
    /** The order implementations are listed and compared in: the baseline first. */
    public static final List<String> ORDER = List.of("legacy", "ptptr", "vpte");

    private Apis() {}

    /** Every implementation found, in {@link #ORDER} (unknown names after, alphabetically). */
    public static List<PageTableOps> all() {
        List<PageTableOps> found = new ArrayList<>();
        for (PageTableOps ops : ServiceLoader.load(PageTableOps.class)) found.add(ops);
        found.sort(
                Comparator.comparingInt(
                                (PageTableOps o) -> {
                                    int i = ORDER.indexOf(o.name());
                                    return i < 0 ? ORDER.size() : i;
                                })
                        .thenComparing(PageTableOps::name));
        return found;
    }

    /** The implementation called {@code name}, or a failure naming the known ones. */
    public static PageTableOps byName(String name) {
        List<PageTableOps> all = all();
        for (PageTableOps ops : all) if (ops.name().equals(name)) return ops;
        throw new IllegalArgumentException(
                "unknown implementation '"
                        + name
                        + "' — known: "
                        + (all.isEmpty()
                                ? "none on the classpath"
                                : all.stream()
                                        .map(PageTableOps::name)
                                        .collect(Collectors.joining(", "))));
    }
}

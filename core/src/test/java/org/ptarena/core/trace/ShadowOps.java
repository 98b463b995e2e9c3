package org.ptarena.core.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.EntryFormat;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.oracle.Unit;

/**
 * Test-only implementation, correct by construction: each real {@link Mm} has a shadow {@link
 * OracleMm}; every operation runs on the shadow, and the shadow's tables and units are then written
 * into the real tables (missing tables allocated top-down, surplus ones freed, every entry
 * rewritten). It agrees with the oracle on everything except fault injection (the arena's countdown
 * is not visible to it), so runner tests with it use no {@code fault} line. Its real tables are
 * what {@code CanonicalDump.of(Mm)} and the invariants read.
 */
public class ShadowOps implements PageTableOps {
    private final Oracle oracle = new Oracle();
    private final Map<Mm, OracleMm> shadows = new IdentityHashMap<>();

    @Override
    public String name() {
        return "shadow";
    }

    @Override
    public Support supports(Geometry geometry) {
        return Support.YES;
    }

    private OracleMm shadow(Mm mm) {
        return shadows.computeIfAbsent(mm, m -> oracle.newMm(m.geometry()));
    }

    @Override
    public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
        try {
            return oracle.map(shadow(mm), start, end, pfn, prot, policy);
        } finally {
            materialise(mm);
        }
    }

    @Override
    public long unmap(Mm mm, long start, long end, boolean freeTables, TlbGather tlb) {
        try {
            return oracle.unmap(shadow(mm), start, end, freeTables, tlb);
        } finally {
            materialise(mm);
        }
    }

    @Override
    public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
        try {
            return oracle.protect(shadow(mm), start, end, prot, tlb);
        } finally {
            materialise(mm);
        }
    }

    @Override
    public long copy(Mm dst, Mm src, long start, long end, boolean cow, TlbGather srcTlb) {
        try {
            return oracle.copy(shadow(dst), shadow(src), start, end, cow, srcTlb);
        } finally {
            materialise(dst);
            materialise(src);
        }
    }

    @Override
    public long walk(Mm mm, long start, long end, WalkVisitor visitor) {
        return oracle.walk(shadow(mm), start, end, visitor);
    }

    @Override
    public boolean lookup(Mm mm, long va, Translation out) {
        return oracle.lookup(shadow(mm), va, out);
    }

    @Override
    public boolean touch(Mm mm, long va, boolean write) {
        try {
            return oracle.touch(shadow(mm), va, write);
        } finally {
            materialise(mm);
        }
    }

    /** Makes the real tables of {@code mm} hold exactly the shadow's tables and units. */
    private void materialise(Mm mm) {
        OracleMm s = shadow(mm);
        Geometry g = mm.geometry();
        EntryFormat f = g.format();
        List<Map<Long, Integer>> have = new ArrayList<>(); // per level: span start -> table pointer
        for (int level = 0; level < g.rootLevel(); level++) have.add(new HashMap<>());
        collect(mm, mm.root(), g.rootLevel(), 0, have);
        for (int level = 0; level < g.rootLevel(); level++) {
            for (Map.Entry<Long, Integer> e : new ArrayList<>(have.get(level).entrySet())) {
                if (!s.hasTable(level, e.getKey())) {
                    mm.freeTable(e.getValue(), level);
                    have.get(level).remove(e.getKey());
                }
            }
        }
        List<int[]> all = new ArrayList<>(); // (ptr, level) of every table, root first
        all.add(new int[] {mm.root(), g.rootLevel()});
        for (int level = g.rootLevel() - 1; level >= 0; level--) {
            for (long start : s.tableStarts(level)) {
                Integer ptr = have.get(level).get(start);
                if (ptr == null) {
                    ptr = mm.allocTable(level);
                    have.get(level).put(start, ptr);
                }
                all.add(new int[] {ptr, level});
            }
        }
        for (int[] t : all) {
            for (int i = 0; i < g.entries(t[1]); i++) mm.set(t[0] + i, 0);
        }
        for (int level = 0; level < g.rootLevel(); level++) {
            for (Map.Entry<Long, Integer> e : have.get(level).entrySet()) {
                mm.set(slot(mm, have, level + 1, e.getKey()), f.makeTable(level + 1, e.getValue()));
            }
        }
        for (Unit u : s.units()) {
            for (int i = 0; i < u.entries(); i++) {
                long at = u.start() + i * g.span(u.level());
                mm.set(
                        slot(mm, have, u.level(), at),
                        f.makeLeaf(
                                u.level(),
                                u.pfn() + i * u.entryPages(),
                                u.prot(),
                                u.contiguous(),
                                u.young(i),
                                u.dirty(i)));
            }
        }
        mm.addRss(s.rss() - mm.rss());
    }

    /** Arena index of the level-{@code level} entry covering {@code va}. */
    private static int slot(Mm mm, List<Map<Long, Integer>> tables, int level, long va) {
        Geometry g = mm.geometry();
        int table =
                level == g.rootLevel()
                        ? mm.root()
                        : tables.get(level).get(g.entryStart(level + 1, va));
        return table + g.index(level, va);
    }

    private static void collect(
            Mm mm, int ptr, int level, long base, List<Map<Long, Integer>> out) {
        Geometry g = mm.geometry();
        if (level == 0) return;
        for (int i = 0; i < g.entries(level); i++) {
            long e = mm.get(ptr + i);
            if (!g.format().table(level, e)) continue;
            long start = base + ((long) i << g.spanShift(level));
            out.get(level - 1).put(start, g.format().tablePtr(level, e));
            collect(mm, g.format().tablePtr(level, e), level - 1, start, out);
        }
    }
}

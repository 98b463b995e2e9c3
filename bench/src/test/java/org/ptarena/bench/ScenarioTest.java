package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Apis;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;

class ScenarioTest {
    static final Geometry X86 = Geometries.byName("x86-64/4level");
    static final Geometry ARM = Geometries.byName("arm64/4k-48");
    static final long M = 1L << 20;

    static Populated build(PageTableOps ops, Scenario sc, Geometry g, long bytes) {
        return sc.build(ops, g, bytes, new Arena(Scenario.arenaEntries(g, bytes, 1)));
    }

    @Test
    void namesParseAndUnknownSnapshotsAreNamed() {
        for (Scenario s : Scenario.all()) assertEquals(s, Scenario.parse(s.word()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Scenario.parse("snap:firefox"));
        assertTrue(e.getMessage().contains("no snapshot 'firefox'"), e.getMessage());
        assertTrue(e.getMessage().contains("snap:java"), "names the known ones: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("DENSE"));
        assertTrue(e.getMessage().contains("dense, largest, sparse, hugemix or snap:NAME"),
                e.getMessage());
    }

    @Test
    void everyCommittedSnapshotIsAScenario() throws Exception {
        var names = org.ptarena.core.snap.Workloads.snapshots().keySet();
        assertTrue(names.size() >= 5, "the committed workloads: " + names);
        List<String> words = new ArrayList<>();
        for (Scenario s : Scenario.snapshots()) {
            assertTrue(s.isSnapshot());
            words.add(s.word());
        }
        List<String> expected = new ArrayList<>();
        for (String n : names) expected.add(Scenario.SNAP_PREFIX + n);
        assertEquals(expected, words);
        assertEquals(Scenario.synthetic().size() + names.size(), Scenario.all().size());
    }

    @Test
    void aSnapshotRunsAtItsOwnSizeOnLayoutsItFits() {
        Scenario java = Scenario.parse("snap:java");
        assertNull(java.gap(X86, Sizes.REAL));
        assertTrue(java.gap(X86, "1G").contains("runs at size real"), java.gap(X86, "1G"));
        String misfit = java.gap(Geometries.byName("arm64/64k-48"), Sizes.REAL);
        assertTrue(misfit.contains("4K pages"), misfit);
        String small = java.gap(Geometries.byName("x86/pae"), Sizes.REAL);
        assertTrue(small.contains("beyond"), small);
        assertTrue(Scenario.DENSE.gap(X86, Sizes.REAL).contains("snapshot's own size"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.bytes(Sizes.REAL, X86));
    }

    @TestFactory
    List<DynamicTest> aSnapshotBuildsItsVmasWithEveryDesign() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario sc : Scenario.snapshots()) {
            for (PageTableOps ops : Apis.all()) {
                tests.add(DynamicTest.dynamicTest(sc.word() + " " + ops.name(), () -> {
                    Populated p = sc.build(ops, X86, 0, new Arena(sc.entriesFor(X86, 0, 1)));
                    var snap = sc.snapshot();
                    assertEquals(snap.pages(), p.pages());
                    assertEquals(snap.vmas().size(), p.parts().size(), "one part per VMA");
                    long partPages = 0;
                    for (int i = 0; i < p.parts().size(); i++) {
                        Populated.Part part = p.parts().get(i);
                        var v = snap.vmas().get(i);
                        assertEquals(v.start(), part.start());
                        assertEquals(v.cow(), part.cow());
                        assertEquals(v.prot(), part.prot());
                        assertEquals(v.pages(), part.slices().pages());
                        partPages += part.slices().pages();
                    }
                    assertEquals(p.pages(), partPages);
                    assertEquals(0, p.start());
                    assertEquals(X86.vaEnd(), p.end());
                    assertTrue(p.writablePages() > 0 && p.writablePages() < p.pages());
                }));
            }
        }
        return tests;
    }

    @Test
    void gapsAreStatedBeforeAnythingIsBuilt() {
        assertNull(Scenario.DENSE.gap(X86, 2 * M));
        assertNotNull(Scenario.HUGEMIX.gap(X86, 2 * M), "one 2M span cannot alternate");
        assertNotNull(Scenario.HUGEMIX.gap(X86, 3 * M), "not a whole number of 2M spans");
        assertNull(Scenario.HUGEMIX.gap(X86, 4 * M));
        Geometry pae = Geometries.byName("x86/pae");
        String why = Scenario.DENSE.gap(pae, 8L << 30);
        assertTrue(why.contains("does not fit"), why);
        assertNull(Scenario.DENSE.gap(pae, 1L << 30));
        assertTrue(Scenario.DENSE.gap(X86, 1L << 40).contains("too large"));
        assertNull(Scenario.DENSE.gap(X86, 64L << 30));
        assertNotNull(Scenario.DENSE.gap(X86, 4097));
    }

    @Test
    void pfnsMoveWithTheAddressSoHugeUnitsLineUp() {
        Scenario.Region r = Scenario.LARGEST.region(ARM, 2 * M);
        assertEquals(r.base() + 64 * 1024, r.start(), "one 64K run above an aligned address");
        assertEquals(0, r.pfnAt(r.base() + 32 * M) % (32 * M >> 12), "32M address, 32M pfn");
        assertEquals(r.pfnBase() + 1, r.pfnAt(r.base() + 4096));
    }

    /** Every design builds every scenario with the pages and units the scenario promises. */
    @TestFactory
    List<DynamicTest> everyDesignBuildsEveryScenario() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PageTableOps ops : Apis.all()) {
            for (Scenario sc : Scenario.synthetic()) {
                for (Geometry g : List.of(X86, ARM, Geometries.byName("future/6level"))) {
                    if (!ops.supports(g).supported()) continue;
                    String label = ops.name() + " " + sc.word() + " " + g.name();
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        long bytes = 8 * M;
                        Populated p = build(ops, sc, g, bytes);
                        assertEquals(sc.pages(sc.region(g, bytes)), p.pages());
                        assertEquals(p.pages(), p.mm().rss());
                        assertEquals(expectedUnits(sc, g), p.units());
                    }));
                }
            }
        }
        assertTrue(tests.size() >= 4 * 3, "designs on the classpath: " + Apis.all().size());
        return tests;
    }

    /** Units of each scenario over 8M (worked out by hand from the catalog). */
    static long expectedUnits(Scenario sc, Geometry g) {
        boolean runs = g.contig(0) > 1;
        return switch (sc.kind()) {
            case DENSE -> 2048;
            case SPARSE -> 4;
            case HUGEMIX -> 2 + 2 * 512;
            // x86: 2M above an aligned address: four 2M leaves. arm64 and 6level: 64K above it,
            // runs of 64K to the next 2M (31), 2M leaves up to 8M (3), then one run of 64K.
            case LARGEST -> runs ? 31 + 3 + 1 : 4;
            case SNAPSHOT -> throw new AssertionError(sc.word());
        };
    }

    @Test
    void slicesMergeConsecutiveLeavesAndCountRunsOnce() {
        PageTableOps ops = Apis.all().get(0);
        Populated dense = build(ops, Scenario.DENSE, X86, 4 * M);
        assertEquals(1024, dense.slices().entries());
        assertTrue(dense.slices().size() <= 2, "two 512-entry tables: at most two slices");
        Populated largest = build(ops, Scenario.LARGEST, ARM, 2 * M);
        assertEquals(32, largest.units(), "32 runs of 64K");
        assertEquals(512, largest.slices().entries());
        assertTrue(largest.slices().contig(0));
    }
}

package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Apis;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.WalkVisitor;

/**
 * The floor does the same entry work as every design: after the same operation, a design's
 * leaf entries and the floor's are the same words, and both report the same counts.
 */
class FloorTest {
    static final long M = 1L << 20;
    static final int RO = Prot.R | Prot.U;

    interface Check {
        void run(PageTableOps ops, Populated a, Populated b);
    }

    /** Per design, scenario and layout: {@code a} gets the design's op, {@code b} the floor's. */
    static List<DynamicTest> each(String what, Check check) {
        List<DynamicTest> tests = new ArrayList<>();
        for (PageTableOps ops : Apis.all()) {
            for (Scenario sc : Scenario.values()) {
                for (String name : List.of("x86-64/4level", "arm64/4k-48")) {
                    Geometry g = Geometries.byName(name);
                    if (!ops.supports(g).supported()) continue;
                    String label = what + " " + ops.name() + " " + sc.word() + " " + name;
                    tests.add(DynamicTest.dynamicTest(label, () -> {
                        Populated a = sc.build(ops, g, 4 * M, new Arena());
                        Populated b = sc.build(ops, g, 4 * M, new Arena());
                        assertTrue(a.slices().sameShape(b.slices()));
                        check.run(ops, a, b);
                    }));
                }
            }
        }
        return tests;
    }

    /** The leaf words of {@code p}'s slices, in order. */
    static long[] leaves(Populated p) {
        Slices s = p.slices();
        long[] out = new long[(int) s.entries()];
        int n = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int k = 0; k < s.count(i); k++) out[n++] = p.mm().get(s.first(i) + k);
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> walkCountsTheSameUnits() {
        return each("walk", (ops, a, b) -> {
            List<String> design = new ArrayList<>();
            List<String> floor = new ArrayList<>();
            long units = ops.walk(a.mm(), a.start(), a.end(), recorder(design));
            assertEquals(units, Floor.walk(b.mm(), b.slices(), recorder(floor)));
            assertEquals(a.units(), units);
            assertEquals(design, floor, "the same visits");
        });
    }

    @TestFactory
    List<DynamicTest> protectWritesTheSameEntries() {
        return each("protect", (ops, a, b) -> {
            long changed = ops.protect(a.mm(), a.start(), a.end(), RO, new TlbGather());
            assertEquals(changed, Floor.protect(b.mm(), b.slices(), RO));
            assertEquals(a.pages(), changed);
            assertArrayEqualsHex(leaves(a), leaves(b));
            assertEquals(0, Floor.protect(b.mm(), b.slices(), RO), "units at prot are left alone");
        });
    }

    @TestFactory
    List<DynamicTest> lookupAndTouchSeeTheSameTranslations() {
        return each("lookup+touch", (ops, a, b) -> {
            Probes pa = Probes.of(a);
            Probes pb = Probes.of(b);
            Translation ta = new Translation();
            Translation tb = new Translation();
            for (int i = 0; i < pa.size(); i++) {
                boolean found = ops.lookup(a.mm(), pa.va(i), ta);
                Probes one = pb.only(i);
                assertEquals(found ? ta.phys + 1 : 0, Floor.lookup(b.mm(), one, tb));
                if (found) assertEquals(ta.toString(), tb.toString(), "translation of " + pa.va(i));
            }
            long sum = pa.lookupSum(ops, a.mm(), ta);
            assertEquals(sum, Floor.lookup(b.mm(), pb, tb));
            long permitted = pa.touchAll(ops, a.mm());
            assertEquals(permitted, Floor.touch(b.mm(), pb));
            assertArrayEqualsHex(leaves(a), leaves(b));
            assertTrue(permitted > 0 || a.scenario() == Scenario.SPARSE);
        });
    }

    @TestFactory
    List<DynamicTest> installRewritesWhatMapWrote() {
        return each("map", (ops, a, b) -> {
            long[] mapped = leaves(b);
            assertEquals(b.pages(), Floor.clear(b.mm(), b.slices()));
            for (long e : leaves(b)) assertEquals(0, e);
            assertEquals(b.pages(), Floor.install(b.mm(), b.slices(), Scenario.PROT));
            assertArrayEqualsHex(mapped, leaves(b));
        });
    }

    @TestFactory
    List<DynamicTest> copyWritesWhatForkCopies() {
        return each("copy", (ops, a, b) -> {
            Mm child = new Mm(a.mm().geometry(), a.mm().arena());
            long copied = ops.copy(child, a.mm(), a.start(), a.end(), true, new TlbGather());
            long bytes = a.end() - a.start();
            Populated mirror = a.scenario().build(ops, a.mm().geometry(), bytes, b.mm().arena());
            Floor.clear(mirror.mm(), mirror.slices());
            Slices ms = mirror.slices();
            assertEquals(copied, Floor.copy(b.mm(), b.slices(), mirror.mm(), ms, true));
            Slices cs = Slices.scan(child, a.start(), a.end());
            assertTrue(cs.sameShape(mirror.slices()), "the child has the parent's units");
            assertArrayEqualsHex(leaves(a), leaves(b));       // parents write-protected alike
            Populated childView = new Populated(a.scenario(), a.region(), child, cs);
            assertArrayEqualsHex(leaves(childView), leaves(mirror));
        });
    }

    static WalkVisitor recorder(List<String> visits) {
        return (addr, order, level, e) -> visits.add(Long.toHexString(addr) + "/" + order + "/"
                + level + "/" + Long.toHexString(e));
    }

    static void assertArrayEqualsHex(long[] expected, long[] actual) {
        assertEquals(expected.length, actual.length, "entries");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                String design = Long.toHexString(expected[i]);
                String floor = Long.toHexString(actual[i]);
                throw new AssertionError("entry " + i + ": design 0x" + design + ", floor 0x"
                        + floor);
            }
        }
    }
}

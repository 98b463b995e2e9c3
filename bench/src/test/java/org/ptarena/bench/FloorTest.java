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

    /**
     * Per design, scenario (every synthetic one at 4M and every committed snapshot) and layout:
     * {@code a} gets the design's op, {@code b} the floor's.
     */
    static List<DynamicTest> each(String what, Check check) {
        return each(what, Scenario.all(), check);
    }

    static List<DynamicTest> each(String what, List<Scenario> scenarios, Check check) {
        List<DynamicTest> tests = new ArrayList<>();
        for (PageTableOps ops : Apis.all()) {
            for (Scenario sc : scenarios) {
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
            long changed = 0;
            long floor = 0;
            for (int i = 0; i < a.parts().size(); i++) {
                Populated.Part p = a.parts().get(i);
                if (!p.writable()) continue;
                changed += ops.protect(a.mm(), p.start(), p.end(), p.readOnly(), new TlbGather());
                floor += Floor.protect(b.mm(), b.parts().get(i).slices(), p.readOnly());
            }
            assertEquals(changed, floor);
            assertEquals(a.writablePages(), changed);
            assertTrue(changed > 0, "something is writable");
            assertArrayEqualsHex(leaves(a), leaves(b));
            long notRo = countNot(b, RO);
            assertEquals(notRo, Floor.protect(b.mm(), b.slices(), RO),
                    "units already at prot are left alone");
            assertEquals(0, Floor.protect(b.mm(), b.slices(), RO));
        });
    }

    /** Base pages of {@code p} whose prot is not {@code prot}. */
    static long countNot(Populated p, int prot) {
        long n = 0;
        Slices s = p.slices();
        var f = p.mm().format();
        var g = p.mm().geometry();
        for (int i = 0; i < s.size(); i++) {
            for (int k = 0; k < s.count(i); k++) {
                if (f.prot(s.level(i), p.mm().get(s.first(i) + k)) != prot) {
                    n += 1L << g.order(s.level(i));
                }
            }
        }
        return n;
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
            long installed = 0;
            for (Populated.Part part : b.parts()) {
                installed += Floor.install(b.mm(), part.slices(), part.prot());
            }
            assertEquals(b.pages(), installed);
            assertArrayEqualsHex(mapped, leaves(b));
            assertEquals(2 * b.pages(), Floor.mapUnmap(b));
            for (long e : leaves(b)) assertEquals(0, e);
        });
    }

    @TestFactory
    List<DynamicTest> copyWritesWhatForkCopies() {
        return each("copy", (ops, a, b) -> {
            Mm child = new Mm(a.mm().geometry(), a.mm().arena());
            long copied = 0;
            for (Populated.Part p : a.parts()) {
                copied += ops.copy(child, a.mm(), p.start(), p.end(), p.cow(), new TlbGather());
            }
            long bytes = a.end() - a.start();
            Populated mirror = a.scenario().build(ops, a.mm().geometry(), bytes, b.mm().arena());
            Floor.clear(mirror.mm(), mirror.slices());
            long floorPages = Floor.fork(b, mirror);
            assertEquals(2 * copied, floorPages, "fork copies and clears the same pages");
            // copy again without the clear, to compare the words
            long again = 0;
            for (int i = 0; i < b.parts().size(); i++) {
                again += Floor.copy(b.mm(), b.parts().get(i).slices(), mirror.mm(),
                        mirror.parts().get(i).slices(), b.parts().get(i).cow());
            }
            assertEquals(copied, again);
            Slices cs = Slices.scan(child, a.start(), a.end());
            assertTrue(cs.sameShape(mirror.slices()), "the child has the parent's units");
            assertArrayEqualsHex(leaves(a), leaves(b));       // parents write-protected alike
            Populated childView = new Populated(a.scenario(), a.region(), child, cs, List.of());
            assertArrayEqualsHex(leaves(childView), leaves(mirror));
        });
    }

    @TestFactory
    List<DynamicTest> moveCarriesTheSameEntries() {
        return each("move", Scenario.synthetic(), (ops, a, b) -> {
            Geometry g = a.mm().geometry();
            long len = a.end() - a.start();
            long to = a.start() + MoveBench.distance(len);
            long[] before = leaves(a);
            assertEquals(len >>> g.pageShift(), ops.move(a.mm(), a.start(), a.end(), to,
                    new TlbGather()));
            Populated mirror = a.scenario().build(ops, g, len, b.mm().arena());
            Floor.clear(mirror.mm(), mirror.slices());
            assertEquals(b.pages(), Floor.move(b.mm(), b.slices(), mirror.mm(), mirror.slices()));
            for (long e : leaves(b)) assertEquals(0, e, "the floor cleared its source");
            Slices moved = Slices.scan(a.mm(), to, to + len);
            assertEquals(0, Slices.scan(a.mm(), a.start(), a.end()).pages(), "source emptied");
            Populated view = new Populated(a.scenario(), a.region(), a.mm(), moved, List.of());
            assertArrayEqualsHex(before, leaves(view), "the design moved the words as they were");
            assertArrayEqualsHex(before, leaves(mirror), "the floor moved the words as they were");
        });
    }

    static WalkVisitor recorder(List<String> visits) {
        return (addr, order, level, e) -> visits.add(Long.toHexString(addr) + "/" + order + "/"
                + level + "/" + Long.toHexString(e));
    }

    static void assertArrayEqualsHex(long[] expected, long[] actual) {
        assertArrayEqualsHex(expected, actual, "");
    }

    static void assertArrayEqualsHex(long[] expected, long[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": entries");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                String design = Long.toHexString(expected[i]);
                String floor = Long.toHexString(actual[i]);
                throw new AssertionError(what + ": entry " + i + ": design 0x" + design
                        + ", floor 0x"
                        + floor);
            }
        }
    }
}

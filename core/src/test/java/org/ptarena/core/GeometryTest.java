package org.ptarena.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

class GeometryTest {

    @Test
    void catalogHoldsTheFifteenLayoutsWithTheirAddressWidths() {
        List<Geometry> c = Geometries.catalog();
        assertEquals(
                List.of(
                        "x86-64/4level",
                        "x86-64/5level",
                        "x86/pae",
                        "arm64/4k-39",
                        "arm64/4k-48",
                        "arm64/4k-52",
                        "arm64/16k-48",
                        "arm64/64k-42",
                        "arm64/64k-48",
                        "riscv/sv39",
                        "riscv/sv48",
                        "riscv/sv57",
                        "power/radix-4k",
                        "power/radix-64k",
                        "future/6level"),
                c.stream().map(Geometry::name).toList());
        int[] vaBits = {48, 57, 32, 39, 48, 52, 48, 42, 48, 39, 48, 57, 52, 52, 63};
        for (int i = 0; i < c.size(); i++)
            assertEquals(vaBits[i], c.get(i).vaBits(), c.get(i).name());
    }

    @Test
    void leafAndRunSizesMatchTheArchitectureTable() {
        Geometry x = Geometries.X86_64_4LEVEL;
        assertEquals(9, x.order(1));
        assertEquals(18, x.order(2));
        assertFalse(x.leafAllowed(3), "no 512G pages on x86");
        Geometry a16 = Geometries.ARM64_16K_48;
        assertEquals(2L << 20, a16.span(0) * a16.contig(0), "16K: PTE x128 = 2M");
        assertEquals(32L << 20, a16.span(1), "16K: 32M blocks at L2");
        assertEquals(1L << 30, a16.span(1) * a16.contig(1), "16K: PMD x32 = 1G");
        Geometry a64 = Geometries.ARM64_64K_42;
        assertEquals(512L << 20, a64.span(1));
        assertEquals(16L << 30, a64.span(1) * a64.contig(1), "64K: PMD x32 = 16G");
        assertEquals(4, Geometries.ARM64_4K_48.runOrder(0), "64K run on 4K pages is order 4");
        assertTrue(Geometries.RISCV_SV57.leafAllowed(4), "sv57 has 256T root leaves");
        assertEquals(256L << 40, Geometries.RISCV_SV57.span(4));
        assertEquals(2L << 20, Geometries.POWER_RADIX_64K.span(1), "radix 64K: PMD covers 2M");
    }

    @Test
    void indexAndAddrEndAtEveryBoundary() {
        Geometry g = Geometries.X86_64_4LEVEL;
        long addr = 0xffff_ffff_f000L;
        assertEquals(511, g.index(3, addr));
        assertEquals(511, g.index(0, addr));
        assertEquals(0x200000L, g.addrEnd(1, 0x1000L, 0x400000L));
        assertEquals(0x3000L, g.addrEnd(1, 0x1000L, 0x3000L));
        assertEquals(g.vaEnd(), g.addrEnd(3, 0xff80_0000_0000L, g.vaEnd()));
        // top of a 63-bit space: the rounded-up boundary wraps to 2^63 (negative)
        Geometry six = Geometries.FUTURE_6LEVEL;
        long top = six.vaEnd();
        assertEquals(Long.MIN_VALUE, top);
        long last = top - (1L << six.spanShift(5));
        assertEquals(top, six.addrEnd(5, last, top));
        assertEquals(top, six.addrEnd(0, top - 4096, top));
        assertEquals(63, six.index(5, last));
        assertTrue(six.contains(top - 1));
        assertFalse(six.contains(top));
        assertTrue(g.aligned(0x200000, 9));
        assertFalse(g.aligned(0x201000, 9));
    }

    @Test
    void unknownGeometryNamesTheCatalog() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> Geometries.byName("x86-64/3level"));
        assertTrue(
                e.getMessage().contains("x86-64/3level") && e.getMessage().contains("riscv/sv57"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Geometries.byName("generic/12/9,q"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Geometries.byName("generic/12/20,20,20,20"),
                "more than 63 bits");
    }

    @Test
    void genericNamesRoundTripAndRandomLayoutsStayInBounds() {
        Geometry g = Geometries.byName("generic/12/6,9L,9Lc16,9c16");
        assertEquals(4, g.levels());
        assertTrue(g.leafAllowed(2) && g.leafAllowed(1));
        assertFalse(g.leafAllowed(3));
        assertEquals(16, g.contig(1));
        assertEquals(16, g.contig(0));
        SplittableRandom rnd = new SplittableRandom(42);
        int[] levelsSeen = new int[7];
        for (int i = 0; i < 2000; i++) {
            Geometry r = Geometries.random(rnd);
            assertTrue(r.levels() >= 1 && r.levels() <= 6, r.name());
            assertTrue(r.vaBits() <= 63, r.name());
            for (int l = 0; l < r.levels(); l++)
                assertTrue(r.bits(l) >= 1 && r.bits(l) <= 13, r.name());
            assertEquals(r, Geometries.byName(r.name()), "name round trip");
            levelsSeen[r.levels()]++;
        }
        for (int n = 1; n <= 6; n++)
            assertTrue(levelsSeen[n] > 0, "random layouts of " + n + " levels");
    }

    @Test
    void describeListsLeavesAndRuns() {
        String line = Geometries.describe(Geometries.ARM64_4K_48);
        assertTrue(
                line.contains("1G,2M") && line.contains("L3x16(64K)") && line.contains("arm64"),
                line);
    }
}

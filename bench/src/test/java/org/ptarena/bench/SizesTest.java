package org.ptarena.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;

class SizesTest {
    @Test
    void tableIsTheSpanOfOneBasePageTable() {
        assertEquals(2L << 20, Sizes.bytes("table", Geometries.byName("x86-64/4level")));
        assertEquals(32L << 20, Sizes.bytes("table", Geometries.byName("arm64/16k-48")));
        assertEquals(512L << 20, Sizes.bytes("table", Geometries.byName("arm64/64k-42")));
        // 5 index bits of 64K pages
        assertEquals(2L << 20, Sizes.bytes("table", Geometries.byName("power/radix-64k")));
    }

    @Test
    void suffixesArePowersOf1024() {
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(8L << 30, Sizes.parse("8g"));
        assertEquals(64L << 30, Sizes.parse("64G"));
        assertEquals(4L << 20, Sizes.parse("4M"));
        assertEquals(3L << 40, Sizes.parse("3T"));
        assertEquals(4096, Sizes.parse("4096"));
    }

    @Test
    void badSizesNameTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Sizes.parse("1Q"));
        assertTrue(e.getMessage().contains("'1Q'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0G"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1G"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999T"));
        e = assertThrows(IllegalArgumentException.class,
                () -> Sizes.bytes("4K", Geometries.byName("arm64/64k-48")));
        assertTrue(e.getMessage().contains("64K pages"), e.getMessage());
    }
}

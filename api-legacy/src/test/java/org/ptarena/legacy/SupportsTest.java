package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ptarena.core.Apis;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Support;

/** What the cascade can express: two to five levels. */
class SupportsTest {
    private final LegacyOps ops = new LegacyOps();

    @Test
    void sixLevelsNeedANewLayerOfFunctions() {
        Support s = ops.supports(Geometries.FUTURE_6LEVEL);
        assertFalse(s.supported());
        assertEquals("the cascade has five named levels; a sixth needs a new layer of functions",
                s.reason());
        Mm mm = new Mm(Geometries.FUTURE_6LEVEL, new Arena());
        UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
                () -> ops.map(mm, 0, 0x1000, 0, Fixture.RW, MapPolicy.BASE));
        assertTrue(ex.getMessage().contains("a sixth needs a new layer"), ex.getMessage());
    }

    @Test
    void oneLevelHasNoPgdAndPte() {
        Support s = ops.supports(Geometries.byName("generic/12/9"));
        assertFalse(s.supported());
        assertEquals("the cascade needs at least a PGD and a PTE level", s.reason());
    }

    @Test
    void everyCatalogLayoutOfUpToFiveLevelsIsSupported() {
        for (Geometry g : Geometries.catalog()) {
            assertEquals(g.levels() <= 5, ops.supports(g).supported(), g.name());
        }
        for (String name : new String[] {"generic/12/9,9", "generic/12/12,13,13,12,1"}) {
            assertTrue(ops.supports(Geometries.byName(name)).supported(), name);
        }
    }

    @Test
    void foundThroughTheServiceLoaderAsLegacy() {
        assertEquals(LegacyOps.class, Apis.byName("legacy").getClass());
        assertEquals("legacy", ops.name());
    }
}

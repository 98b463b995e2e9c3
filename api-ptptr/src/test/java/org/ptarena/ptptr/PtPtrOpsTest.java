package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;

/** Discovery and capability: found by name through ServiceLoader, every geometry supported. */
class PtPtrOpsTest {
    @Test
    void isFoundByNameThroughTheServiceLoaderAsAFreshInstanceEachTime() {
        PageTableOps ops = Apis.byName("ptptr");
        assertInstanceOf(PtPtrOps.class, ops);
        assertEquals("ptptr", ops.name());
        assertNotSame(ops, Apis.byName("ptptr"), "per-instance state must not be shared");
    }

    @Test
    void supportsEveryCatalogAndRandomGeometry() {
        PtPtrOps ops = new PtPtrOps();
        for (Geometry g : Geometries.catalog()) assertTrue(ops.supports(g).supported(), g.name());
        SplittableRandom rnd = new SplittableRandom(2018);
        for (int i = 0; i < 200; i++) {
            Geometry g = Geometries.random(rnd);
            assertTrue(ops.supports(g).supported(), g.name());
        }
    }
}

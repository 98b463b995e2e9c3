package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;

/** The recursion goes down one level per call: its depth is exactly the levels it walks. */
class RecursionDepthTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;

    static Stream<Geometry> catalog() {
        return Geometries.catalog().stream();
    }

    /** Every operation, reaching a base page, recurses exactly {@code levels} deep. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void everyOperationReachingABasePageRecursesOncePerLevel(Geometry g) {
        assertEachOperationDepth(g, g.levels());
    }

    @Test
    void randomGeometriesOf1To6LevelsAndA7LevelOneAreSupportedAndBounded() {
        SplittableRandom rnd = new SplittableRandom(20180424);
        boolean[] seen = new boolean[7];
        for (int i = 0; i < 60; i++) {
            Geometry g = Geometries.random(rnd);
            seen[g.levels()] = true;
            assertEachOperationDepth(g, g.levels());
        }
        for (int l = 1; l <= 6; l++) assertTrue(seen[l], "no random geometry of " + l + " levels");
        assertEachOperationDepth(Geometries.byName("generic/12/4,4,4,4,4,4,4"), 7);
    }

    /** A leaf at level L is placed by a call at level L: root - L + 1 calls deep. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("catalog")
    void aHugeLeafIsReachedAfterRootMinusItsLevelPlusOneCalls(Geometry g) {
        for (int lvl = g.rootLevel(); lvl > 0; lvl--) {
            if (!g.leafAllowed(lvl)) continue;
            PtPtrOps ops = new PtPtrOps();
            Mm mm = new Mm(g, new Arena());
            long span = g.span(lvl);
            long pfn = 1L << g.order(lvl);
            ops.map(mm, span, 2 * span, pfn, RW_U, MapPolicy.LARGEST);
            assertEquals(g.rootLevel() - lvl + 1, ops.maxDepth(), g + " level " + lvl);
            ops.resetMaxDepth();
            assertTrue(ops.lookup(mm, span, new Translation()));
            assertEquals(lvl, lookupLevel(ops, mm, span));
            assertEquals(g.rootLevel() - lvl + 1, ops.maxDepth(), g + " lookup level " + lvl);
        }
    }

    private static int lookupLevel(PtPtrOps ops, Mm mm, long va) {
        Translation t = new Translation();
        ops.lookup(mm, va, t);
        return t.level;
    }

    private static void assertEachOperationDepth(Geometry g, int levels) {
        PtPtrOps ops = new PtPtrOps();
        assertTrue(ops.supports(g).supported(), g.name());
        Arena arena = new Arena();
        Mm mm = new Mm(g, arena);
        long page = g.pageSize();
        long va = g.vaEnd() >>> 1;    // the middle of the space, 2^62 for 63 bits
        ops.map(mm, va, va + page, 1, RW_U, MapPolicy.BASE);
        assertEquals(levels, ops.maxDepth(), g + " map");
        Runnable[] each = {
            () -> ops.walk(mm, va, va + page, (a, o, l, e) -> { }),
            () -> ops.lookup(mm, va, new Translation()),
            () -> ops.touch(mm, va, true),
            () -> ops.protect(mm, va, va + page, Prot.R, new TlbGather()),
            () -> ops.copy(new Mm(g, arena), mm, va, va + page, true, new TlbGather()),
            () -> ops.unmap(mm, va, va + page, true, new TlbGather()),
        };
        for (Runnable op : each) {
            ops.resetMaxDepth();
            op.run();
            assertEquals(levels, ops.maxDepth(), g.name());
        }
    }
}

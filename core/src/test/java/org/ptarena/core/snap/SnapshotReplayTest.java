package org.ptarena.core.snap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceRunner;
import org.ptarena.core.trace.TraceWriter;
import org.ptarena.core.trace.ShadowOps;

class SnapshotReplayTest {
    private static final Snapshot SMALL =
            SnapshotReader.parse("small.snap", SnapshotFormatTest.SMALL);

    @Test
    void theTraceBuildsForksExitsAndProtects() {
        Trace t = SnapshotReplay.trace(SMALL, Geometries.X86_64_4LEVEL, "small.snap");
        List<String> lines = t.lines().stream().map(l -> TraceWriter.line(l.op())).toList();
        assertEquals(List.of(
                "mm P",
                "map P 0x400000 +8K pfn=0x1000 prot=r-xu",
                "map P 0x600000 +4K pfn=0x2000 prot=rw-u",
                "map P 0x602000 +12K pfn=0x2010 prot=rw-u",
                "map P 0x800000 +2M pfn=0x3000 prot=rw-u policy=largest",
                "map P 0x7ffc0000 +4K pfn=0x5000 prot=rw-u",
                "expect-rss P 519",
                "walk P 0x0 +256T",
                "mm C",
                "copy C P 0x400000 +8K shared",
                "copy C P 0x600000 +4M cow",
                "copy C P 0x7ffc0000 +4K shared",
                "copy C P 0x7fff0000 +16K shared",
                "expect-rss C 519",
                "walk C 0x0 +256T",
                "drop C",
                "expect-rss C 0",
                "protect P 0x600000 +4M prot=r--u",
                "protect P 0x7ffc0000 +4K prot=r--u",
                "drop P",
                "expect-rss P 0"), lines);
    }

    @Test
    void theReplayAgreesWithTheOracleStatementByStatementAndInBatches() {
        for (Geometry g : List.of(Geometries.X86_64_4LEVEL, Geometries.ARM64_4K_48,
                Geometries.FUTURE_6LEVEL)) {
            Trace t = SnapshotReplay.trace(SMALL, g, "small.snap");
            TraceRunner.Result slow = new TraceRunner(List.of(new ShadowOps())).run(t);
            assertTrue(slow.passed(), slow.report());
            TraceRunner.Result fast = SnapshotCheck.run(SMALL, g, List.of(new ShadowOps()),
                    "small.snap");
            assertTrue(fast.passed(), fast.report());
            assertEquals(t.lines().size(), fast.statements());
        }
    }

    @Test
    void randomSnapshotsReplayTheSameOnEveryWorld() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int k = 0; k < 8; k++) {
            Snapshot s = SnapshotFormatTest.random(rnd, 1024);
            TraceRunner.Result r = SnapshotCheck.run(s, Geometries.X86_64_4LEVEL,
                    List.of(new ShadowOps()), "random " + k);
            assertTrue(r.passed(), "seed 11, snapshot " + k + ": " + r.report());
        }
    }

    @Test
    void aDesignThatForgetsCopyOnWriteIsCaughtAtTheCopy() {
        PageTableOps noCow = new ShadowOps() {
            @Override
            public long copy(Mm dst, Mm src, long start, long end, boolean cow, TlbGather tlb) {
                return super.copy(dst, src, start, end, false, tlb);
            }
        };
        TraceRunner.Result r = SnapshotCheck.run(SMALL, Geometries.X86_64_4LEVEL,
                List.of(noCow), "small.snap");
        assertFalse(r.passed());
        assertTrue(r.report().contains("(copy C P 0x600000 +4M cow)"), r.report());
    }

    @Test
    void aDesignThatLosesAHugeLeafIsCaughtAtTheMap() {
        PageTableOps baseOnly = new ShadowOps() {
            @Override
            public long map(Mm mm, long start, long end, long pfn, int prot, MapPolicy policy) {
                return super.map(mm, start, end, pfn, prot, MapPolicy.BASE);
            }
        };
        TraceRunner.Result r = SnapshotCheck.run(SMALL, Geometries.X86_64_4LEVEL,
                List.of(baseOnly), "small.snap");
        assertFalse(r.passed());
        assertTrue(r.report().contains("policy=largest"), r.report());
    }

    @Test
    void populateForkProtectAndExitOnAnImplementationMatchTheOracle() {
        Geometry g = Geometries.X86_64_4LEVEL;
        PageTableOps ops = new ShadowOps();
        Mm p = new Mm(g, new Arena());
        Mm c = new Mm(g, p.arena());
        Oracle oracle = new Oracle();
        OracleMm op = oracle.newMm(g);
        OracleMm oc = oracle.newMm(g);
        assertEquals(SMALL.pages(), SnapshotReplay.populate(ops, p, SMALL));
        assertEquals(SMALL.pages(), SnapshotReplay.populate(oracle, op, SMALL));
        Translation t = new Translation();
        assertTrue(ops.lookup(p, 0x812345, t));
        assertEquals(9, t.order, "the THP run is one 2M leaf");
        assertEquals(SMALL.pages(), SnapshotReplay.fork(ops, c, p, SMALL, new TlbGather()));
        assertEquals(SMALL.pages(), SnapshotReplay.fork(oracle, oc, op, SMALL, new TlbGather()));
        assertTrue(ops.lookup(c, 0x600000, t));
        assertEquals(Prot.R | Prot.U, t.prot, "the heap is copy-on-write: read-only in the child");
        assertTrue(ops.lookup(c, 0x7ffc0000, t));
        assertEquals(Prot.R | Prot.W | Prot.U, t.prot, "a shared mapping stays writable");
        assertEquals(1, SnapshotReplay.protectWritable(ops, p, SMALL, new TlbGather()),
                "only the shared page was still writable after the fork");
        assertEquals(1, SnapshotReplay.protectWritable(oracle, op, SMALL, new TlbGather()));
        assertEquals(SMALL.pages(), SnapshotReplay.exit(ops, c, new TlbGather()));
        assertEquals(SMALL.pages(), SnapshotReplay.exit(oracle, op, new TlbGather()));
        assertEquals(0, c.rss());
        assertEquals(1, c.tables(g.rootLevel()));
        assertEquals(g.tableBytes(g.rootLevel()), c.tableBytes(), "only the root is left");
    }

    @Test
    void aSnapshotThatDoesNotFitIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotReplay.trace(SMALL, Geometries.ARM64_16K_48, "small.snap"));
        assertTrue(e.getMessage().contains("4K pages"), e.getMessage());
    }
}

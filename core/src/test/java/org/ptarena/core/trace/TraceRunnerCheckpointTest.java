package org.ptarena.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;

/**
 * A long trace is checked cheaply between checkpoints, and a difference found at a checkpoint is
 * traced back, precisely, to the statement that made it.
 */
class TraceRunnerCheckpointTest {
    static final long PAGE = 0x1000;
    static final long BUGGY_START = 0x40000;

    /**
     * Correct except that a protect starting at {@link #BUGGY_START} also dirties that page (in
     * its shadow, so the wrong bit stays): the value, the gather, the RSS and the table bytes are
     * all right, only the entry is not.
     */
    static final class DirtiesOnProtect extends ShadowOps {
        @Override
        public String name() {
            return "dirties";
        }

        @Override
        public long protect(Mm mm, long start, long end, int prot, TlbGather tlb) {
            long n = super.protect(mm, start, end, prot, tlb);
            if (start == BUGGY_START && !super.touch(mm, start, true)) {
                throw new AssertionError("the buggy protect must leave the page writable");
            }
            return n;
        }
    }

    /**
     * {@code mm A}, a 1M map, then protect toggles of one page each, the buggy one at line 61
     * (to {@code rw-u}); no other line touches its page.
     */
    static Trace trace(int statements) {
        List<Trace.Line> lines = new ArrayList<>();
        lines.add(new Trace.Line(1, new Op.MmOp("A")));
        lines.add(new Trace.Line(2, new Op.MapOp("A", 0, 0x100000, 0x100,
                Prot.R | Prot.W | Prot.U, MapPolicy.BASE)));
        for (int n = 3; n <= statements; n++) {
            long at = n == 61 ? BUGGY_START : (n % 200 + 0x50) * PAGE;
            int prot = n % 2 == 0 ? Prot.R | Prot.U : Prot.R | Prot.W | Prot.U;
            lines.add(new Trace.Line(n, new Op.ProtectOp("A", at, at + PAGE, prot)));
        }
        return new Trace("long", "x86-64/4level", lines);
    }

    @Test
    void aDifferenceFoundAtACheckpointIsNamedAtItsStatement() {
        Trace t = trace(300);
        TraceRunner.Result precise =
                new TraceRunner(List.of(new DirtiesOnProtect())).checkpoints(1).run(t);
        TraceRunner.Result cheap =
                new TraceRunner(List.of(new DirtiesOnProtect())).checkpoints(100).run(t);
        assertFalse(precise.passed());
        assertTrue(precise.report().contains("after line 61 (protect"), precise.report());
        assertEquals(precise, cheap, "the checkpoints find it and name the same statement");
    }

    @Test
    void aCorrectLongTracePassesEitherWay() {
        Trace t = trace(TraceRunner.PRECISE_UP_TO + 50);
        TraceRunner.Result auto = new TraceRunner(List.of(new ShadowOps())).run(t);
        assertTrue(auto.passed(), auto.report());
        assertEquals(t.lines().size(), auto.statements());
        TraceRunner.Result bug = new TraceRunner(List.of(new DirtiesOnProtect())).run(t);
        assertFalse(bug.passed());
        assertEquals(60, bug.failedIndex(), "line 61 is index 60: " + bug.report());
    }
}

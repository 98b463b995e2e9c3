package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceWriter;

/** The shrinker against failures defined by a predicate, so its result is known exactly. */
class ShrinkerTest {

    private static Trace parse(String text) {
        return TraceParser.parse("test", text);
    }

    private static String written(Trace t) {
        return TraceWriter.write(t);
    }

    /** A generated sequence with {@code marker} spliced in at {@code at}. */
    private static Trace withMarker(long seed, int at, Op... marker) {
        Trace t = Generators.sequence(seed, org.ptarena.core.Geometries.X86_64_4LEVEL, 40);
        List<Trace.Line> lines = new ArrayList<>(t.lines());
        for (int i = 0; i < marker.length; i++) lines.add(at + i, new Trace.Line(0, marker[i]));
        return new Trace(t.source(), t.geometry(), lines);
    }

    @Test
    void dropsEveryStatementTheFailureDoesNotNeedButKeepsItsSpace() {
        Op touch = new Op.TouchOp("A", 0x1234, true);
        Trace failing = withMarker(1, 20, touch);
        Predicate<Trace> fails = t -> t.lines().stream().anyMatch(l -> l.op().equals(touch));
        Trace shrunk = Shrinker.shrink(failing, fails);
        assertEquals("geometry x86-64/4level\nmm A\ntouch A 0x1234 write\n", written(shrunk));
    }

    @Test
    void keepsTheStatementsTheFailureNeedsInTheirOrder() {
        Op copy = new Op.CopyOp("Z", "Y", 0x200000, 0x400000, true);
        Op protect = new Op.ProtectOp("Z", 0x200000, 0x400000, Prot.R | Prot.U);
        Trace failing = withMarker(2, 25, new Op.MmOp("Y"), new Op.MmOp("Z"), copy, protect);
        // fails when a copy into Z precedes a protect of Z: both mm lines must stay
        Predicate<Trace> fails = t -> {
            int c = -1;
            int p = -1;
            for (int i = 0; i < t.lines().size(); i++) {
                Op op = t.lines().get(i).op();
                if (op instanceof Op.CopyOp x && x.dst().equals("Z")) c = i;
                if (op instanceof Op.ProtectOp x && x.id().equals("Z") && c >= 0) p = i;
            }
            return c >= 0 && p > c;
        };
        Trace shrunk = Shrinker.shrink(failing, fails);
        List<Op> ops = shrunk.lines().stream().map(Trace.Line::op).toList();
        assertEquals(List.of(new Op.MmOp("Y"), new Op.MmOp("Z"), ops.get(2), ops.get(3)), ops,
                written(shrunk));
        assertTrue(ops.get(2) instanceof Op.CopyOp && ops.get(3) instanceof Op.ProtectOp,
                written(shrunk));
    }

    @Test
    void simplifiesARangeToTheOnePageThatMatters() {
        Trace failing = parse("geometry x86-64/4level\nmm A\nunmap A 0x1ff000 0x204000 free\n");
        Predicate<Trace> fails = t -> t.lines().stream().anyMatch(l ->
                l.op() instanceof Op.UnmapOp u
                && Long.compareUnsigned(u.start(), 0x201000) <= 0
                && Long.compareUnsigned(u.end(), 0x201000) > 0);
        Trace shrunk = Shrinker.shrink(failing, fails);
        assertEquals("geometry x86-64/4level\nmm A\nunmap A 0x201000 +4K\n", written(shrunk));
    }

    @Test
    void simplifiesMapValuesTowardBaseAndAlignedFrames() {
        Trace failing = parse("geometry riscv/sv39\nmm A\n"
                + "map A 0x200000 +2M pfn=0x7040200 prot=r-xu policy=largest\n");
        // fails whenever a map covers 0x200000 at all
        Predicate<Trace> fails = t -> t.lines().stream().anyMatch(l -> l.op() instanceof Op.MapOp m
                && m.start() <= 0x200000 && m.end() > 0x200000);
        Trace shrunk = Shrinker.shrink(failing, fails);
        Op.MapOp m = (Op.MapOp) shrunk.lines().get(1).op();
        assertEquals(MapPolicy.BASE, m.policy());
        assertEquals(Prot.R | Prot.W | Prot.U, m.prot());
        assertEquals(0x200, m.pfn(), "bits above the 1G leaf's order cleared, congruence kept");
        assertEquals(0x201000, m.end());
    }

    @Test
    void leavesRefusalsAsTheyAreAndStopsWithinItsBudget() {
        Op bad = new Op.FailOp(new Op.UnmapOp("A", 0x3000, 0x1000, false));
        Trace failing = withMarker(3, 10, bad);
        int[] calls = {0};
        Trace shrunk = Shrinker.shrink(failing, t -> {
            calls[0]++;
            return t.lines().stream().anyMatch(l -> l.op().equals(bad));
        });
        assertEquals(List.of(new Op.MmOp("A"), bad),
                shrunk.lines().stream().map(Trace.Line::op).toList());
        assertTrue(calls[0] <= Shrinker.MAX_TRIES);
        int[] always = {0};
        Shrinker.shrink(Generators.sequence(4), t -> ++always[0] > 0);
        assertTrue(always[0] <= Shrinker.MAX_TRIES, "tries: " + always[0]);
    }

    @Test
    void neverTriesATraceThatUsesASpaceBeforeDeclaringIt() {
        Trace failing = withMarker(5, 30, new Op.TouchOp("A", 0x5000, false));
        Shrinker.shrink(failing, t -> {
            assertTrue(Shrinker.wellFormed(t.lines()), written(t));
            return t.lines().size() > 3;
        });
    }
}

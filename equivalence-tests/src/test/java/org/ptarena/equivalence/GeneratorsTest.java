package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Args;
import org.ptarena.core.GenericFormat;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceWriter;

/** The generator on its own: reproducible, writable, within the issue's bounds, edge-biased. */
class GeneratorsTest {

    private static List<Op> ops(Trace t) {
        return t.lines().stream().map(Trace.Line::op).toList();
    }

    @Test
    void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
        assertEquals(ops(Generators.sequence(42)), ops(Generators.sequence(42)));
        assertEquals(Generators.sequence(42).geometry(), Generators.sequence(42).geometry());
        assertTrue(!ops(Generators.sequence(42)).equals(ops(Generators.sequence(43))));
    }

    @Test
    void everySequenceSurvivesWritingAndParsingUnchanged() {
        for (long seed = 0; seed < 400; seed++) {
            Trace t = Generators.sequence(seed);
            Trace back = TraceParser.parse("seed " + seed, TraceWriter.write(t));
            assertEquals(t.geometry(), back.geometry(), "seed " + seed);
            assertEquals(ops(t), ops(back), "seed " + seed);
        }
    }

    @Test
    void failStatementsAreRefusedByTheArgumentChecksOrOverlapMappedPages() {
        int byArgs = 0;
        int overlaps = 0;
        for (long seed = 0; seed < 1500; seed++) {
            Trace t = Generators.sequence(seed);
            Geometry g = Geometries.byName(t.geometry());
            for (Trace.Line l : t.lines()) {
                if (!(l.op() instanceof Op.FailOp f)) continue;
                if (refusedByArgs(g, f.op())) {
                    byArgs++;
                } else if (f.op() instanceof Op.MapOp || f.op() instanceof Op.CopyOp
                        || f.op() instanceof Op.MoveOp) {
                    overlaps++;
                } else {
                    fail("seed " + seed + ": not certainly refused: " + TraceWriter.line(f));
                }
            }
        }
        assertTrue(byArgs > 1000, "refusals by argument: " + byArgs);
        assertTrue(overlaps > 100, "overlapping maps and copies: " + overlaps);
    }

    /** Whether {@link Args} refuses the statement whatever the tables hold. */
    static boolean refusedByArgs(Geometry g, Op op) {
        try {
            if (op instanceof Op.MapOp m) {
                Args.range(g, "map", m.start(), m.end());
                Args.pfns(g, "map", m.pfn(), Args.pages(g, m.start(), m.end()));
            } else if (op instanceof Op.UnmapOp u) {
                Args.range(g, "unmap", u.start(), u.end());
            } else if (op instanceof Op.ProtectOp p) {
                Args.range(g, "protect", p.start(), p.end());
            } else if (op instanceof Op.WalkOp w) {
                Args.range(g, "walk", w.start(), w.end());
            } else if (op instanceof Op.CopyOp c) {
                if (c.dst().equals(c.src())) return true;
                Args.range(g, "copy", c.start(), c.end());
            } else if (op instanceof Op.MoveOp m) {
                Args.range(g, "move", m.oldStart(), m.oldEnd());
                long newEnd = m.newStart() + (m.oldEnd() - m.oldStart());
                Args.range(g, "move", m.newStart(), newEnd);
                boolean overlap = Long.compareUnsigned(m.oldEnd(), m.newStart()) > 0
                        && Long.compareUnsigned(newEnd, m.oldStart()) > 0;
                return overlap;
            } else if (op instanceof Op.LookupOp l) {
                Args.va(g, "lookup", l.va());
            } else if (op instanceof Op.TouchOp t) {
                Args.va(g, "touch", t.va());
            }
            return false;
        } catch (IllegalArgumentException expected) {
            return true;
        }
    }

    @Test
    void movesWhenAskedForAreWritableAndTheirRefusalsCertain() {
        int moves = 0;
        int failMoves = 0;
        for (long seed = 0; seed < 1500; seed++) {
            Trace t = Generators.sequence(seed, true);
            Geometry g = Geometries.byName(t.geometry());
            assertEquals(ops(t), ops(TraceParser.parse("seed " + seed, TraceWriter.write(t))));
            for (Trace.Line l : t.lines()) {
                if (l.op() instanceof Op.MoveOp m) {
                    moves++;
                    assertTrue(!refusedByArgs(g, m), "seed " + seed + ": " + TraceWriter.line(m));
                }
                if (l.op() instanceof Op.FailOp f && f.op() instanceof Op.MoveOp) failMoves++;
            }
        }
        assertTrue(moves > 300 && failMoves > 30, moves + " moves, " + failMoves + " refused");
    }

    @Test
    void randomLayoutsStayWithinTheIssueBoundsAndReplayByName() {
        SplittableRandom rnd = new SplittableRandom(7);
        Set<Integer> levelCounts = new HashSet<>();
        boolean full63 = false;
        for (int i = 0; i < 3000; i++) {
            Geometry g = Layouts.random(rnd);
            assertTrue(g.levels() >= 1 && g.levels() <= 6, g.name());
            for (int level = 0; level < g.levels(); level++) {
                assertTrue(g.bits(level) >= 1 && g.bits(level) <= 13, g.name());
            }
            assertTrue(g.vaBits() <= 63, g.name());
            assertTrue(Layouts.affordable(g), g.name());
            assertEquals(GenericFormat.INSTANCE, g.format(), g.name());
            assertEquals(g, Geometries.byName(g.name()));
            levelCounts.add(g.levels());
            full63 |= g.vaBits() == 63;
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), levelCounts);
        assertTrue(full63, "no random layout reaches 63 bits");
    }

    @Test
    void sequencesCoverEveryLayoutEveryStatementAndTheTopOfTheSpace() {
        Set<String> layouts = new HashSet<>();
        Set<String> keywords = new HashSet<>();
        int toTheTop = 0;
        int random = 0;
        for (long seed = 0; seed < 2000; seed++) {
            Trace t = Generators.sequence(seed);
            Geometry g = Geometries.byName(t.geometry());
            if (t.geometry().startsWith("generic/")) random++;
            else layouts.add(t.geometry());
            for (Trace.Line l : t.lines()) {
                keywords.add(Coverage.keyword(l.op()));
                if (l.op() instanceof Op.UnmapOp u && u.end() == g.vaEnd()) toTheTop++;
                if (l.op() instanceof Op.ProtectOp p && p.end() == g.vaEnd()) toTheTop++;
                if (l.op() instanceof Op.MapOp m && m.end() == g.vaEnd()) toTheTop++;
            }
        }
        assertEquals(Geometries.catalog().size(), layouts.size(), "catalog layouts: " + layouts);
        assertTrue(random > 300, "random layouts: " + random);
        assertTrue(keywords.containsAll(List.of("mm", "map", "unmap", "protect", "copy",
                "walk", "lookup", "touch", "drop", "fault", "fail map", "fail unmap",
                "fail protect", "fail copy", "fail walk", "fail lookup",
                "fail touch")), keywords.toString());
        boolean moved = keywords.contains("move") && keywords.contains("fail move");
        assertEquals(Generators.moves(), moved, "move statements generated");
        assertTrue(toTheTop > 500, "ranges ending at the top: " + toTheTop);
    }
}

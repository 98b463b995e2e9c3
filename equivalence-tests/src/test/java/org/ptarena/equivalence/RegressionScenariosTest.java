package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;

/**
 * The regression classes every suite must hit, each a trace under
 * {@code src/test/resources/traces/regressions/} whose header cites the kernel bug or rule it
 * encodes. Each test runs its trace on the oracle and every implementation (agreement, invariants
 * and the trace's own {@code expect} lines) and checks that the behaviour it names happened.
 */
class RegressionScenariosTest {
    static final String DIR = "/traces/regressions/";
    static final List<String> TRACES = List.of(
            "001-huge-leaf-where-a-table-was-expected.trace",
            "002-partial-change-inside-a-contiguous-run.trace",
            "003-batch-one-entry-too-far.trace",
            "004-unmap-starting-mid-leaf.trace",
            "005-range-ending-at-the-top.trace",
            "006-block-at-a-level-that-may-not-hold-one.trace",
            "007-touch-inside-a-napot-run.trace",
            "008-split-through-a-level-without-leaves.trace");

    private static final Equivalence EQUIVALENCE = new Equivalence(Apis.all());

    /** Parses a regression trace from the classpath. */
    static Trace load(String name) throws IOException {
        try (InputStream in = RegressionScenariosTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, name);
            return TraceParser.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Runs a regression trace; it must pass; returns what the oracle did. */
    private static Coverage passes(String name) throws IOException {
        Trace t = load(name);
        Coverage c = Coverage.forRun(Geometries.byName(t.geometry()));
        TraceRunner.Result r = EQUIVALENCE.run(t, c);
        assertTrue(r.passed(), r.report());
        assertEquals(t.lines().size(), r.statements(), "statements run");
        return c;
    }

    @Test
    void walkersTreatAHugeLeafAsOneUnitAndNeverAsATable() throws IOException {
        Coverage c = passes(TRACES.get(0));
        assertTrue(c.get("unit walk huge") >= 2 && c.get("unit copy huge") >= 2,
                c.counts().toString());
        assertEquals(0, c.get("split unmap to-leaves"));
    }

    @Test
    void aPartialChangeInsideAContiguousRunUnfoldsItWithTheOrOfYoungAndDirty() throws IOException {
        Coverage c = passes(TRACES.get(1));
        assertEquals(1, c.get("unfold protect @0"));
        assertEquals(1, c.get("unfold unmap @huge"));
        assertTrue(c.get("a/d or-on-unfold") >= 2 && c.get("a/d touch-in-run") >= 1);
    }

    @Test
    void aBatchEndsAtTheLastEntryOfItsRunWhateverFollows() throws IOException {
        Coverage c = passes(TRACES.get(2));
        assertEquals(0,
                c.get("unfold unmap @0") + c.get("unfold protect @0") + c.get("unfold copy @0"));
        assertTrue(c.get("unit walk run@0") >= 1 && c.get("unit walk base") >= 3);
    }

    @Test
    void anUnmapOrProtectStartingInsideAHugeLeafSplitsIt() throws IOException {
        Coverage c = passes(TRACES.get(3));
        assertEquals(3, c.get("split unmap to-leaves"));
        assertEquals(2, c.get("split protect to-leaves"));
    }

    @Test
    void aRangeEndingAtTheTopOfA63BitSpaceDoesNotWrap() throws IOException {
        Coverage c = passes(TRACES.get(4));
        assertEquals(63, Geometries.byName(load(TRACES.get(4)).geometry()).vaBits());
        assertEquals(1, c.get("split unmap to-leaves"));
        assertEquals(1, c.get("refused unmap IllegalArgumentException"));
    }

    @Test
    void mapNeverPutsABlockAtALevelThatMayNotHoldOne() throws IOException {
        Coverage c = passes(TRACES.get(5));
        assertEquals(0, c.get("layout arm64/16k-48 map L2 leaf"));
        assertEquals(66, c.get("layout arm64/16k-48 map L1 run"));
    }

    @Test
    void touchInsideARunSetsOneEntryAndReadersOrTheRun() throws IOException {
        Coverage c = passes(TRACES.get(6));
        assertTrue(c.get("a/d touch-in-run") >= 2 && c.get("a/d touch-fault") == 1);
        assertTrue(c.get("a/d copy-mkclean") >= 1 && c.get("a/d copy-keep-dirty") >= 1);
    }

    @Test
    void aLeafAboveALevelWithoutLeavesSplitsIntoTablesAllTheWayDown() throws IOException {
        Coverage c = passes(TRACES.get(7));
        assertEquals(1, c.get("split protect through-tables"));
    }

    @Test
    void everyRegressionTraceHasATestAndCitesWhatItEncodes() throws IOException {
        TreeSet<String> listed = new TreeSet<>(TRACES);
        TreeSet<String> present = new TreeSet<>();
        try (InputStream in = RegressionScenariosTest.class.getResourceAsStream(DIR)) {
            assertNotNull(in);
            for (String name : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (name.endsWith(".trace")) present.add(name);
            }
        }
        assertEquals(listed, present);
        for (String name : TRACES) {
            try (InputStream in = RegressionScenariosTest.class.getResourceAsStream(DIR + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.startsWith("# Regression: "), name);
                assertTrue(text.contains("Kernel"), name + " cites no kernel bug or rule");
            }
        }
    }
}

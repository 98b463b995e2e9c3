package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.PageTableOps;

/**
 * The probes run real operations, so they tell a capable implementation from one that refuses
 * layouts, never builds huge leaves or runs, or breaks the two-tree copy.
 */
class CapabilitiesTest {
    private static Capabilities.Cell cell(Capabilities caps, String feature, String api) {
        int i = caps.apis().indexOf(api);
        for (Capabilities.Feature f : caps.features()) {
            if (f.name().equals(feature)) return f.cells().get(i);
        }
        throw new AssertionError("no feature " + feature);
    }

    private static String text(Capabilities caps, String feature, String api) {
        return cell(caps, feature, api).text();
    }

    @Test void aCapableImplementationPassesEveryProbe() {
        Capabilities caps = Capabilities.probe(List.of(new UnitOps.Recursive("rec")));
        assertNull(caps.absent());
        assertEquals("15/15 catalog, 100/100 random", text(caps, "layouts supported", "rec"));
        assertEquals("yes", cell(caps, "six levels", "rec").text());
        assertTrue(cell(caps, "folded levels", "rec").ok());
        assertTrue(cell(caps, "huge leaves per level", "rec").ok(),
                text(caps, "huge leaves per level", "rec"));
        assertTrue(cell(caps, "contiguous runs", "rec").ok(), text(caps, "contiguous runs", "rec"));
        assertEquals("yes", cell(caps, "two-tree copy", "rec").text());
        assertEquals("not yet", cell(caps, "move", "rec").text());
        assertEquals("6 (deepest probe: 6 levels)", text(caps, "max recursion depth", "rec"));
    }

    @Test void hugeLeafAndRunCountsCoverTheCatalog() {
        int leafLevels = 0;
        int runLevels = 0;
        for (var g : Geometries.catalog()) {
            for (int l = 1; l <= g.rootLevel(); l++) if (g.leafAllowed(l)) leafLevels++;
            for (int l = 0; l <= g.rootLevel(); l++) if (g.contig(l) > 1) runLevels++;
        }
        Capabilities caps = Capabilities.probe(List.of(new UnitOps("all", 7)));
        assertEquals(leafLevels + "/" + leafLevels + " levels",
                text(caps, "huge leaves per level", "all"));
        assertEquals(runLevels + "/" + runLevels + " levels", text(caps, "contiguous runs", "all"));
        assertEquals("n/a (no recursion)", cell(caps, "max recursion depth", "all").text());
    }

    @Test void refusedLayoutsAreCountedWithTheirReasons() {
        Capabilities caps = Capabilities.probe(List.of(new UnitOps("five", 5)));
        Capabilities.Cell layouts = cell(caps, "layouts supported", "five");
        assertFalse(layouts.ok());
        assertTrue(layouts.text().startsWith("14/15 catalog"), layouts.text());
        assertEquals("no: unsupported", cell(caps, "six levels", "five").text());
        assertEquals("6 levels: at most 5", caps.unsupportedReason("five", "future/6level"));
        assertNull(caps.unsupportedReason("five", "x86-64/4level"));
        assertTrue(caps.details().stream().anyMatch(d ->
                d.equals("five: does not support future/6level: 6 levels: at most 5")));
    }

    @Test void anImplementationWithoutHugeLeavesIsCaught() {
        Capabilities caps = Capabilities.probe(List.of(new UnitOps("flat", 7, false, true)));
        Capabilities.Cell huge = cell(caps, "huge leaves per level", "flat");
        assertFalse(huge.ok());
        assertTrue(huge.text().startsWith("0/"), huge.text());
        assertFalse(cell(caps, "contiguous runs", "flat").ok());
        assertTrue(caps.details().stream().anyMatch(d ->
                d.contains("expected one unit of level 1 order 9")));
    }

    @Test void aBrokenCopyIsCaught() {
        Capabilities caps = Capabilities.probe(List.of(new UnitOps("nocopy", 7, true, false)));
        assertEquals("wrong result", cell(caps, "two-tree copy", "nocopy").text());
        assertTrue(caps.details().stream().anyMatch(d -> d.startsWith("nocopy: two-tree copy")));
    }

    @Test void allocationIsMeasuredNotAssumed() {
        Capabilities caps = Capabilities.probe(List.of(new UnitOps("alloc", 7)));
        Capabilities.Cell a = cell(caps, "steady-state allocation", "alloc");
        assertNotNull(a.text());
        assertFalse(a.ok(), "a TreeMap-backed walk allocates: " + a.text());
        assertTrue(a.text().contains("walk"), a.text());
    }

    @Test void noImplementationMeansNoMatrix() {
        Capabilities caps = Capabilities.probe(List.<PageTableOps>of());
        assertNotNull(caps.absent());
        assertTrue(caps.features().isEmpty());
    }
}

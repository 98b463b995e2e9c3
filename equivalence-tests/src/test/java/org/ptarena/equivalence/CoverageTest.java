package org.ptarena.equivalence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;

/** The coverage table: what it counts, what it requires, and that a class at zero fails. */
class CoverageTest {

    @Test
    void aClassNeverHitIsMissingAndMarkedInTheTable() {
        Coverage c = Coverage.forRun(Geometries.X86_64_4LEVEL);
        List<String> missing = c.missing();
        assertTrue(missing.contains("a/d touch-in-run"), missing.toString());
        assertTrue(missing.contains("split unmap through-tables"), missing.toString());
        assertFalse(missing.contains("geometry x86-64/4level"), missing.toString());
        assertTrue(c.table().contains("a/d touch-in-run") && c.table().contains("MISSING"),
                c.table());
    }

    @Test
    void everyCatalogLayoutNeedsEveryLevelThatMayHoldALeafOrARun() {
        var required = Coverage.required();
        for (Geometry g : Geometries.catalog()) {
            assertTrue(required.contains("geometry " + g.name()));
            assertTrue(required.contains("layout " + g.name() + " map L0 leaf"));
        }
        assertTrue(required.contains("layout arm64/16k-48 map L1 run"));
        assertFalse(required.contains("layout arm64/16k-48 map L2 leaf"),
                "L1 of 16K arm64 has no blocks");
        assertTrue(required.contains("layout riscv/sv57 map L4 leaf"));
        assertTrue(required.contains("layout riscv/sv57 split L4"));
    }

    @Test
    void countsWhatTheOracleDidWhileATraceRan() {
        Trace t = TraceParser.parse("coverage", String.join("\n",
                "geometry arm64/4k-48",
                "mm A",
                "mm B",
                "map A 0x10000 +64K pfn=0x100 prot=rw-u policy=largest",
                "map A 0x200000 +2M pfn=0x200 prot=rw-u policy=largest",
                "touch A 0x13000 write",
                "walk A 0x0 +4M",
                "copy B A 0x0 +4M cow",
                "protect A 0x14000 +4K prot=r--u",
                "unmap A 0x201000 +4K free",
                "fail unmap A 0x2000 0x1000",
                ""));
        Coverage c = Coverage.forRun(Geometries.ARM64_4K_48);
        TraceRunner.Result r = new Equivalence(Apis.all()).run(t, c);
        c.statements(t, r.statements());
        assertTrue(r.passed(), r.report());
        assertEquals(1, c.get("statement copy"));
        assertEquals(2, c.get("statement map"));
        assertEquals(1, c.get("statement fail unmap"));
        assertEquals(1, c.get("unfold protect @0"));
        assertEquals(1, c.get("split unmap to-leaves"));
        assertEquals(1, c.get("layout arm64/4k-48 split L1"));
        assertEquals(1, c.get("a/d touch-in-run"));
        assertTrue(c.get("a/d or-over-run") >= 1);
        assertTrue(c.get("unit map run@0") >= 1 && c.get("unit map huge") >= 1);
        assertTrue(c.get("a/d copy-keep-dirty") >= 1 && c.get("a/d copy-mkold") >= 1);
        assertEquals(1, c.get("refused unmap IllegalArgumentException"));
        Coverage total = new Coverage();
        total.add(c);
        total.add(c);
        assertEquals(2 * c.get("statement map"), total.get("statement map"));
    }
}

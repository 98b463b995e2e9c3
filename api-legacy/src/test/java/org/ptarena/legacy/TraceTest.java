package org.ptarena.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.oracle.Oracle;
import org.ptarena.core.oracle.OracleMm;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;
import org.ptarena.core.trace.TraceRunner;

/**
 * Traces through the core's {@link TraceRunner}, oracle against legacy with the canonical dump
 * and the invariants after every statement: the project's examples, this module's regression
 * traces (one per regression class, each with hand-computed {@code expect} lines), and seeded
 * random traces.
 */
class TraceTest {

    private static TraceRunner.Result run(Trace trace) {
        return new TraceRunner(List.of(new LegacyOps())).run(trace);
    }

    private static List<Path> traces(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleTraceAgrees() throws IOException {
        List<Path> examples = traces(Path.of("..", "examples"));
        assertFalse(examples.isEmpty(), "no example traces in ../examples");
        return examples.stream().map(p -> dynamicTest(p.getFileName().toString(), () -> {
            Trace trace = TraceParser.parse(p);
            TraceRunner.Result r = run(trace);
            assertTrue(r.passed(), r.report());
            // unsupported only where the layout has more than five levels, and then said why
            boolean deep = Geometries.byName(trace.geometry()).levels() > 5;
            assertEquals(deep, r.unsupported().containsKey("legacy"), r.report());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyRegressionTraceAgrees() throws IOException, URISyntaxException {
        Path dir = Path.of(TraceTest.class.getResource("/traces").toURI());
        List<Path> own = traces(dir);
        assertEquals(10, own.size());
        return own.stream().map(p -> dynamicTest(p.getFileName().toString(), () -> {
            TraceRunner.Result r = run(TraceParser.parse(p));
            assertTrue(r.passed(), r.report());
        }));
    }

    @Test
    void sixLevelsAreReportedUnsupportedWithTheReason() throws Exception {
        String name = "/traces/10-six-levels-are-unsupported.trace";
        Path p = Path.of(TraceTest.class.getResource(name).toURI());
        TraceRunner.Result r = run(TraceParser.parse(p));
        assertTrue(r.passed(), r.report());
        assertEquals("the cascade has five named levels; a sixth needs a new layer of functions",
                r.unsupported().get("legacy"));
    }

    /** Every catalog layout (six levels included: reported unsupported), and generic ones. */
    @TestFactory
    Stream<DynamicTest> randomTracesOnEveryLayoutAgree() {
        long base = Long.getLong("ptarena.seed", 0x7ace5L);
        int perLayout = Integer.getInteger("legacy.traceSeeds", 1);
        List<String> layouts = new ArrayList<>(GENERIC);
        Geometries.catalog().forEach(g -> layouts.add(g.name()));
        return layouts.stream().flatMap(name -> LongStream.range(base, base + perLayout).mapToObj(
                seed -> dynamicTest(name + " seed " + seed, () -> {
                    Geometry g = Geometries.byName(name);
                    String text = randomTrace(g, new SplittableRandom(seed));
                    TraceRunner.Result r = run(TraceParser.parse("seed-" + seed + ".trace", text));
                    assertTrue(r.passed(), () -> r.report() + "\n" + text);
                    assertEquals(g.levels() > 5, r.unsupported().containsKey("legacy"), r.report());
                })));
    }

    private static final List<String> GENERIC = List.of(
            "generic/12/9,9", "generic/12/9,9L,9,9", "generic/12/4Lc4,9L,9L,9",
            "generic/12/3L,2Lc2,3Lc4,2c2", "generic/12/12,13,13,12,1",
            "generic/12/9L,9L,9L,9Lc16,9c16", "generic/12/2Lc2,3,2Lc4");

    /**
     * A trace of about 30 statements over three spaces, with addresses near a few root slots.
     * The oracle runs alongside, so that a statement it refuses is written as {@code fail}.
     */
    static String randomTrace(Geometry g, SplittableRandom rnd) {
        StringBuilder t = new StringBuilder("geometry " + g.name() + "\nmm A\nmm B\nmm C\n");
        Oracle oracle = new Oracle();
        List<OracleMm> spaces = List.of(oracle.newMm(g), oracle.newMm(g), oracle.newMm(g));
        String[] ids = {"A", "B", "C"};
        for (int i = 0; i < 30; i++) {
            int k = rnd.nextInt(3);
            String id = ids[k];
            OracleMm mm = spaces.get(k);
            long s = addr(g, rnd);
            long e = addr(g, rnd);
            if (Long.compareUnsigned(s, e) > 0) {
                long x = s;
                s = e;
                e = x;
            }
            if (s == e) e = s + g.span(rnd.nextInt(g.levels()));
            if (Long.compareUnsigned(e, g.vaEnd()) > 0 || e == 0) e = g.vaEnd();
            long start = s;
            long end = e;
            int kind = rnd.nextInt(8);
            // No fault before unmap free or drop: TraceRunner checks that no emptied table is
            // left even when a failed split stopped the unmap, which the oracle itself leaves.
            boolean freeing = kind == 6 || kind == 2 && rnd.nextBoolean();
            int fault = rnd.nextInt(8) == 0 && !freeing ? 1 + rnd.nextInt(3) : 0;
            if (fault > 0) t.append("fault ").append(fault).append('\n');
            oracle.failAfter(fault);
            String range = id + " " + hex(s) + " " + hex(e);
            String line;
            Runnable op;
            switch (kind) {
                case 0, 1 -> {
                    long pages = Math.min((e - s) >>> g.pageShift(), 1L << 14);
                    long mapEnd = s + (pages << g.pageShift());
                    long pfn = (rnd.nextBoolean() ? s >>> g.pageShift() : rnd.nextInt(1 << 12))
                            & (g.format().maxPfn() >>> 1);
                    int prot = prot(rnd);
                    MapPolicy policy = rnd.nextInt(4) == 0 ? MapPolicy.BASE : MapPolicy.LARGEST;
                    line = "map " + id + " " + hex(s) + " " + hex(mapEnd) + " pfn=" + hex(pfn)
                            + " prot=" + Prot.toString(prot) + " policy=" + policy.word();
                    op = () -> oracle.map(mm, start, mapEnd, pfn, prot, policy);
                }
                case 2 -> {
                    boolean free = freeing;
                    line = "unmap " + range + (free ? " free" : "");
                    op = () -> oracle.unmap(mm, start, end, free, new TlbGather());
                }
                case 3 -> {
                    int prot = prot(rnd);
                    line = "protect " + range + " prot=" + Prot.toString(prot);
                    op = () -> oracle.protect(mm, start, end, prot, new TlbGather());
                }
                case 4 -> {
                    int d = (k + 1) % 3;
                    boolean cow = rnd.nextBoolean();
                    line = "copy " + ids[d] + " " + range + (cow ? " cow" : " shared");
                    op = () -> oracle.copy(spaces.get(d), mm, start, end, cow, new TlbGather());
                }
                case 5 -> {
                    boolean write = rnd.nextBoolean();
                    line = "touch " + id + " " + hex(s) + (write ? " write" : "");
                    op = () -> oracle.touch(mm, start, write);
                }
                case 6 -> {
                    line = "drop " + id;
                    op = () -> oracle.unmap(mm, 0, g.vaEnd(), true, new TlbGather());
                }
                default -> {
                    line = "walk " + range;
                    op = () -> oracle.walk(mm, start, end, (a, o, l, x) -> { });
                }
            }
            try {
                op.run();
            } catch (OutOfTablesException ex) {
                // allowed after a fault: every world fails alike
            } catch (IllegalArgumentException | OverlapException ex) {
                line = "fail " + line;
            }
            oracle.failAfter(0);
            t.append(line).append('\n');
        }
        return t.toString();
    }

    private static int prot(SplittableRandom rnd) {
        int[] usual = {Prot.R | Prot.W | Prot.U, Prot.R | Prot.U, Prot.NONE};
        return rnd.nextBoolean() ? usual[rnd.nextInt(3)] : rnd.nextInt(16);
    }

    /** Near root slot 0, 1 or the last; below that, edge or random indices; often aligned. */
    private static long addr(Geometry g, SplittableRandom rnd) {
        int root = g.rootLevel();
        int[] slots = {0, 1, g.entries(root) - 1};
        long a = (long) Math.max(0, slots[rnd.nextInt(3)]) << g.spanShift(root);
        for (int l = root - 1; l >= rnd.nextInt(root + 1); l--) {
            int n = g.entries(l);
            int[] picks = {0, 1, n - 1, n / 2, rnd.nextInt(n)};
            a += (long) Math.floorMod(picks[rnd.nextInt(picks.length)], n) << g.spanShift(l);
        }
        return a;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v).toLowerCase(Locale.ROOT);
    }
}

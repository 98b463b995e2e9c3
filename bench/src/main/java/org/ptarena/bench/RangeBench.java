package org.ptarena.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.ptarena.core.Apis;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.Mm;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.TlbGather;

/**
 * The parameters every benchmark shares, and their resolution. {@code api} is a design
 * ({@code legacy}, {@code ptptr}, {@code vpte}) or {@code floor}; {@code geometry} a catalog
 * layout; {@code scenario} a {@link Scenario} word ({@code snap:NAME} for a committed snapshot,
 * which takes {@code size=real}); {@code size} a {@link Sizes} name. A
 * combination that cannot run (a design that does not support the layout, a size that does not
 * fit) fails its setup with a message starting {@code gap:}; the race lists those before it
 * launches anything ({@link Matrix#gap}). Each subclass carries its own JMH configuration.
 */
@State(Scope.Thread)
public abstract class RangeBench {
    @Param({"legacy", "ptptr", "vpte", "floor"})
    public String api;
    @Param({"x86-64/4level", "arm64/4k-48", "future/6level"})
    public String geometry;
    @Param({"dense", "largest", "sparse", "hugemix"})
    public String scenario;
    @Param({"table", "1G", "8G"})
    public String size;

    protected Geometry geo;
    protected Scenario shape;
    protected long bytes;
    protected boolean floor;
    /** The design under test; for the floor, the design that builds its address spaces. */
    protected PageTableOps ops;
    protected final TlbGather tlb = new TlbGather();

    /** Resolves the parameters. */
    protected final void resolve() {
        geo = Geometries.byName(geometry);
        shape = Scenario.parse(scenario);
        String why = Matrix.gap(api, geo, shape, size);
        if (why != null) throw new IllegalArgumentException("gap: " + why);
        bytes = shape.isSnapshot() ? 0 : Sizes.bytes(size, geo);
        floor = Matrix.FLOOR.equals(api);
        ops = floor ? Matrix.builder(geo) : Apis.byName(api);
    }

    /** A new arena sized for {@code spaces} address spaces of this scenario. */
    protected final Arena arena(int spaces) {
        return new Arena(shape.entriesFor(geo, bytes, spaces));
    }

    /** Tables below the root in {@code mm}. */
    protected static long tablesBelowRoot(Mm mm) {
        long n = 0;
        for (int lvl = 0; lvl < mm.geometry().rootLevel(); lvl++) n += mm.tables(lvl);
        return n;
    }

    /** Fails setup when a primed op did not do what the contract says. */
    protected final void expect(String what, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException(api + " " + what + " over " + scenario + " " + size
                    + " on " + geometry + ": got " + got + ", expected " + expected);
        }
    }
}

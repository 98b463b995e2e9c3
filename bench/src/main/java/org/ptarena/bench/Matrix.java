package org.ptarena.bench;

import java.util.ArrayList;
import java.util.List;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;

/**
 * The benchmark matrix's axes: the operations (one JMH benchmark method each), the designs plus
 * the floor, and the rule that says which combinations cannot run.
 */
public final class Matrix {
    /** The {@code api} value of the floor. */
    public static final String FLOOR = "floor";

    private Matrix() { }

    /** One measured operation: the benchmark class and method that run it. */
    public enum Op {
        WALK("walk", WalkBench.class),
        LOOKUP("lookup", LookupBench.class),
        TOUCH("touch", TouchBench.class),
        PROTECT("protect", ProtectBench.class),
        MAP_UNMAP("mapUnmap", MapBench.class),
        MAP_UNMAP_FREE("mapUnmapFree", MapBench.class),
        FORK("fork", ForkBench.class),
        MOVE("move", MoveBench.class),
        MOVE_UNALIGNED("moveUnaligned", MoveBench.class);

        private final String word;
        private final Class<?> bench;

        Op(String word, Class<?> bench) {
            this.word = word;
            this.bench = bench;
        }

        /** The op's name in the matrix, which is also its benchmark method's name. */
        public String word() { return word; }

        public Class<?> bench() { return bench; }

        /** {@code org.ptarena.bench.ProtectBench.protect}: the JMH benchmark name. */
        public String benchmark() { return bench.getName() + "." + word; }

        /** {@code ProtectBench.protect}. */
        public String shortName() { return bench.getSimpleName() + "." + word; }

        /** An op by its word; fails naming the known ones. */
        public static Op parse(String word) {
            List<String> known = new ArrayList<>();
            for (Op op : values()) {
                if (op.word.equals(word)) return op;
                known.add(op.word);
            }
            throw new IllegalArgumentException("unknown op '" + word + "' — expected one of "
                    + String.join(", ", known));
        }
    }

    /** The designs on the classpath, then the floor. */
    public static List<String> apis() {
        List<String> names = new ArrayList<>();
        for (PageTableOps ops : Apis.all()) names.add(ops.name());
        names.add(FLOOR);
        return names;
    }

    /**
     * Why {@code api} cannot run {@code op} over {@code shape} at {@code size} on {@code g}, or
     * {@code null} when it can: {@link #gap(String, Geometry, Scenario, String)}, then what the
     * op itself needs ({@link MoveBench#gap}).
     */
    public static String gap(Op op, String api, Geometry g, Scenario shape, String size) {
        String why = gap(api, g, shape, size);
        if (why != null) return why;
        if (op == Op.MOVE || op == Op.MOVE_UNALIGNED) {
            return MoveBench.gap(op, g, shape, shape.isSnapshot() ? 0 : Sizes.bytes(size, g));
        }
        return null;
    }

    /**
     * Why {@code api} cannot run {@code shape} at {@code size} on {@code g}, or {@code null}
     * when it can. An unknown design or a malformed size is an error, not a gap.
     */
    public static String gap(String api, Geometry g, Scenario shape, String size) {
        String why = shape.gap(g, size);
        if (why != null) return why;
        if (FLOOR.equals(api)) {
            if (builder(g) != null) return null;
            return "no design supports " + g.name() + ", so nothing builds its floor";
        }
        Support s = Apis.byName(api).supports(g);
        return s.supported() ? null : api + " does not support " + g.name() + ": " + s.reason();
    }

    /**
     * The design that builds the floor's address spaces: the first in {@link Apis#ORDER} that
     * supports {@code g}.
     */
    public static PageTableOps builder(Geometry g) {
        for (PageTableOps ops : Apis.all()) if (ops.supports(g).supported()) return ops;
        return null;
    }
}

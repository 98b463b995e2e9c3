package org.ptarena.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;

/**
 * What a race runs: the mode (which sets forks, iterations and the default matrix), the axes of
 * the matrix, and where the JMH JSON goes. An empty axis means the mode's default. Immutable;
 * the {@code with…} methods return changed copies.
 *
 * @param forks JMH forks per combination; 0 means the mode's
 */
public record RaceConfig(Mode mode, List<String> ops, List<String> geometries,
        List<String> scenarios, List<String> apis, List<String> sizes, int forks, Path output) {

    /** How long and how wide a race is. */
    public enum Mode {
        /**
         * A reduced matrix for a first look: one fork, short iterations (3 × 150 ms warmup, which
         * lets the slowest design reach compiled code on an idle machine, and 2 × 100 ms
         * measurement); see {@link Race#inQuickMatrix} for the cells it keeps.
         */
        QUICK(1, 3, 150, 2, 100,
                List.of("x86-64/4level", "arm64/4k-48", "future/6level"), Sizes.QUICK),
        /**
         * Publication: 6 forks per combination (so a Mann–Whitney U test can reach
         * significance and the median of each gets a finite distribution-free 95% interval),
         * 3 × 1 s warmup, 5 × 1 s measurement, every catalog layout.
         */
        FULL(6, 3, 1000, 5, 1000, null, Sizes.FULL);

        final int forks;
        final int warmupIterations;
        final int warmupMillis;
        final int measurementIterations;
        final int measurementMillis;
        private final List<String> geometries;
        private final List<String> sizes;

        Mode(int forks, int wi, int wms, int mi, int mms, List<String> geometries,
                List<String> sizes) {
            this.forks = forks;
            this.warmupIterations = wi;
            this.warmupMillis = wms;
            this.measurementIterations = mi;
            this.measurementMillis = mms;
            this.geometries = geometries;
            this.sizes = sizes;
        }

        /** Default geometries: quick the three of the issue, full every catalog layout. */
        public List<String> geometries() {
            if (geometries != null) return geometries;
            List<String> all = new ArrayList<>();
            for (Geometry g : Geometries.catalog()) all.add(g.name());
            return all;
        }

        public List<String> sizes() { return sizes; }
        public int forks() { return forks; }
        public int warmupIterations() { return warmupIterations; }
        public int warmupMillis() { return warmupMillis; }
        public int measurementIterations() { return measurementIterations; }
        public int measurementMillis() { return measurementMillis; }
    }

    public RaceConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(output, "output");
        ops = List.copyOf(ops);
        geometries = List.copyOf(geometries);
        scenarios = List.copyOf(scenarios);
        apis = List.copyOf(apis);
        sizes = List.copyOf(sizes);
        if (forks < 0) {
            throw new IllegalArgumentException("forks " + forks
                    + " — expected 0 (the mode's) or more");
        }
    }

    /** The mode's whole matrix, written to {@code output}. */
    public static RaceConfig of(Mode mode, Path output) {
        List<String> none = List.of();
        return new RaceConfig(mode, none, none, none, none, none, 0, output);
    }

    public RaceConfig withOps(List<String> v) {
        return new RaceConfig(mode, v, geometries, scenarios, apis, sizes, forks, output);
    }

    public RaceConfig withGeometries(List<String> v) {
        return new RaceConfig(mode, ops, v, scenarios, apis, sizes, forks, output);
    }

    public RaceConfig withScenarios(List<String> v) {
        return new RaceConfig(mode, ops, geometries, v, apis, sizes, forks, output);
    }

    public RaceConfig withApis(List<String> v) {
        return new RaceConfig(mode, ops, geometries, scenarios, v, sizes, forks, output);
    }

    public RaceConfig withSizes(List<String> v) {
        return new RaceConfig(mode, ops, geometries, scenarios, apis, v, forks, output);
    }

    public RaceConfig withForks(int v) {
        return new RaceConfig(mode, ops, geometries, scenarios, apis, sizes, v, output);
    }

    public RaceConfig withOutput(Path v) {
        return new RaceConfig(mode, ops, geometries, scenarios, apis, sizes, forks, v);
    }

    /** Forks per combination in effect. */
    public int effectiveForks() { return forks > 0 ? forks : mode.forks; }

    List<String> opsOrDefault() {
        if (!ops.isEmpty()) return ops;
        List<String> all = new ArrayList<>();
        for (Matrix.Op op : Matrix.Op.values()) all.add(op.word());
        return all;
    }

    List<String> geometriesOrDefault() {
        return geometries.isEmpty() ? mode.geometries() : geometries;
    }

    List<String> scenariosOrDefault() {
        if (!scenarios.isEmpty()) return scenarios;
        List<String> all = new ArrayList<>();
        for (Scenario s : Scenario.all()) all.add(s.word());
        return all;
    }

    List<String> apisOrDefault() { return apis.isEmpty() ? Matrix.apis() : apis; }

    List<String> sizesOrDefault() { return sizes.isEmpty() ? mode.sizes() : sizes; }
}

package org.ptarena.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Command-line arguments of {@link Race#main}. */
record RaceArgs(RaceConfig config, boolean list) {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -cp benchmarks.jar org.ptarena.bench.Race [--quick|--full] [--ops LIST]",
            "         [--geometries LIST] [--scenarios LIST] [--apis LIST] [--sizes LIST]",
            "         [--forks N] [--out FILE] [--list]",
            "  --quick       reduced matrix, 1 fork, short iterations (default)",
            "  --full        every catalog layout, 6 forks, 5 x 1 s measurement",
            "  --ops         walk,lookup,touch,protect,mapUnmap,mapUnmapFree,fork,move,",
            "                moveUnaligned",
            "  --geometries  catalog names, e.g. x86-64/4level,arm64/4k-48",
            "  --scenarios   dense,largest,sparse,hugemix,snap:NAME (a committed snapshot,",
            "                always at size real; default: all of them)",
            "  --apis        legacy,ptptr,vpte,floor",
            "  --sizes       table,1G,8G,64G (or any K/M/G/T size)",
            "  --forks N     JMH forks per combination instead of the mode's",
            "  --out FILE    JMH JSON to write (default race-quick.json or race-full.json);",
            "                JMH's own output goes to FILE.log",
            "  --list        print the combinations and gaps, run nothing",
            "exit: 0 all ran, 1 some failed, 2 bad arguments");

    /** The parsed arguments, or {@code null} for {@code --help}. */
    static RaceArgs parse(String[] args) {
        RaceConfig.Mode mode = RaceConfig.Mode.QUICK;
        List<String> ops = List.of();
        List<String> geometries = List.of();
        List<String> scenarios = List.of();
        List<String> apis = List.of();
        List<String> sizes = List.of();
        int forks = 0;
        Path out = null;
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> { return null; }
                case "--quick" -> mode = RaceConfig.Mode.QUICK;
                case "--full" -> mode = RaceConfig.Mode.FULL;
                case "--list" -> list = true;
                case "--ops", "--geometries", "--scenarios", "--apis", "--sizes", "--forks",
                        "--out" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--ops" -> ops = split(value);
                        case "--geometries" -> geometries = split(value);
                        case "--scenarios" -> scenarios = split(value);
                        case "--apis" -> apis = split(value);
                        case "--sizes" -> sizes = split(value);
                        case "--forks" -> forks = forks(value);
                        default -> out = Path.of(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (out == null) {
            out = Path.of(mode == RaceConfig.Mode.QUICK ? "race-quick.json" : "race-full.json");
        }
        RaceConfig c = new RaceConfig(mode, ops, geometries, scenarios, apis, sizes, forks, out);
        return new RaceArgs(c, list);
    }

    private static List<String> split(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int forks(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) throw new IllegalArgumentException("--forks " + v + " — expected 1 or more");
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--forks '" + v + "' is not a number");
        }
    }
}

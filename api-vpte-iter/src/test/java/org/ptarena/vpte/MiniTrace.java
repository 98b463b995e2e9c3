package org.ptarena.vpte;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Arena;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.OutOfTablesException;
import org.ptarena.core.OverlapException;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;

/**
 * A small interpreter of the trace statements, on {@link VpteOps} alone, that checks the
 * assertions a trace writes down by hand ({@code expect…}, {@code fail}). Not the project's
 * runner: it compares with no oracle, only with what the trace's author computed.
 */
final class MiniTrace {
    private final VpteOps ops = new VpteOps();
    private final Arena arena = new Arena();
    private final Map<String, Mm> spaces = new HashMap<>();
    private Geometry g;
    private final List<String> failures = new ArrayList<>();
    private long faultNext;

    /** Runs {@code text}; returns what failed, as "source:line: what". */
    static List<String> run(String source, String text) {
        MiniTrace t = new MiniTrace();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.trim();
            if (line.isEmpty()) continue;
            try {
                String problem = t.statement(line.split("\\s+"));
                if (problem != null) t.failures.add(source + ":" + (i + 1) + ": " + problem);
            } catch (RuntimeException ex) {
                t.failures.add(source + ":" + (i + 1) + ": " + line + " threw " + ex);
            }
        }
        return t.failures;
    }

    private String statement(String[] w) {
        switch (w[0]) {
            case "geometry" -> g = Geometries.byName(w[1]);
            case "mm" -> spaces.put(w[1], new Mm(g, arena));
            case "fault" -> faultNext = num(w[1]);
            case "fail" -> {
                String[] inner = java.util.Arrays.copyOfRange(w, 1, w.length);
                List<List<String>> before = dumps();
                try {
                    op(inner);
                    return "expected a refusal: " + String.join(" ", inner);
                } catch (IllegalArgumentException | OverlapException ex) {
                    return before.equals(dumps()) ? null : "refused but changed state: " + ex;
                }
            }
            case "expect" -> {
                Translation t = new Translation();
                if (!ops.lookup(mm(w[1]), num(w[2]), t)) return "expected a mapping at " + w[2];
                for (int i = 3; i < w.length; i++) {
                    String[] kv = w[i].split("=");
                    String want = kv[1];
                    String got = switch (kv[0]) {
                        case "order" -> Integer.toString(t.order);
                        case "pfn" -> "0x" + Long.toHexString(t.pfn);
                        case "prot" -> Prot.toString(t.prot);
                        case "young" -> t.young ? "1" : "0";
                        case "dirty" -> t.dirty ? "1" : "0";
                        default -> throw new IllegalArgumentException(kv[0]);
                    };
                    if (kv[0].equals("prot")) {
                        want = Prot.toString(g.format().normalise(Prot.parse(want)));
                    }
                    if (!got.equals(want)) return "expect " + kv[0] + "=" + want + " but " + t;
                }
            }
            case "expect-none" -> {
                Translation t = new Translation();
                if (ops.lookup(mm(w[1]), num(w[2]), t)) {
                    return "expected none at " + w[2] + " but " + t;
                }
            }
            case "expect-rss" -> {
                long rss = mm(w[1]).rss();
                if (rss != num(w[2])) return "rss " + rss + ", expected " + w[2];
            }
            case "expect-tables" -> {
                long got = mm(w[1]).tables((int) num(w[2]));
                if (got != num(w[3])) {
                    return "tables at " + w[2] + ": " + got + ", expected " + w[3];
                }
            }
            default -> {
                if (faultNext > 0) arena.failAfter(faultNext);
                try {
                    op(w);
                } catch (OutOfTablesException ex) {
                    // an injected failure: the statement is undone by the operation itself
                } finally {
                    faultNext = 0;
                    arena.failAfter(0);
                }
                List<String> problems = arena.audit(new ArrayList<>(spaces.values()));
                if (!problems.isEmpty()) return "audit: " + problems;
            }
        }
        return null;
    }

    private void op(String[] w) {
        TlbGather tlb = new TlbGather();
        switch (w[0]) {
            case "map" -> {
                long start = num(w[2]);
                Map<String, String> keys = keys(w, 4);
                ops.map(mm(w[1]), start, end(start, w[3]), num(keys.get("pfn")),
                        Prot.parse(keys.get("prot")),
                        MapPolicy.parse(keys.getOrDefault("policy", "base")));
            }
            case "unmap" -> {
                long start = num(w[2]);
                ops.unmap(mm(w[1]), start, end(start, w[3]), w.length > 4, tlb);
            }
            case "protect" -> {
                long start = num(w[2]);
                int prot = Prot.parse(keys(w, 4).get("prot"));
                ops.protect(mm(w[1]), start, end(start, w[3]), prot, tlb);
            }
            case "copy" -> {
                long start = num(w[3]);
                ops.copy(mm(w[1]), mm(w[2]), start, end(start, w[4]), w[5].equals("cow"), tlb);
            }
            case "walk" -> {
                long start = num(w[2]);
                ops.walk(mm(w[1]), start, end(start, w[3]), (a, o, l, e) -> { });
            }
            case "lookup" -> ops.lookup(mm(w[1]), num(w[2]), new Translation());
            case "touch" -> ops.touch(mm(w[1]), num(w[2]), w.length > 3);
            case "move" -> {
                long start = num(w[2]);
                ops.move(mm(w[1]), start, end(start, w[3]), num(w[4]), tlb);
            }
            case "drop" -> ops.unmap(mm(w[1]), 0, g.vaEnd(), true, tlb);
            default -> throw new IllegalStateException("unknown statement " + w[0]);
        }
    }

    private List<List<String>> dumps() {
        List<List<String>> out = new ArrayList<>();
        spaces.keySet().stream().sorted().forEach(id -> out.add(Fixture.dump(spaces.get(id))));
        return out;
    }

    private Mm mm(String id) {
        Mm mm = spaces.get(id);
        if (mm == null) throw new IllegalStateException("unknown address space " + id);
        return mm;
    }

    private static Map<String, String> keys(String[] w, int from) {
        Map<String, String> keys = new HashMap<>();
        for (int i = from; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            keys.put(kv[0], kv[1]);
        }
        return keys;
    }

    static long end(long start, String s) {
        if (!s.startsWith("+")) return num(s);
        String n = s.substring(1);
        char unit = n.charAt(n.length() - 1);
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        if (shift > 0) n = n.substring(0, n.length() - 1);
        return start + (num(n) << shift);
    }

    static long num(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }
}

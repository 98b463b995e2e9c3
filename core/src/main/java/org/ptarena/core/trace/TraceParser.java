package org.ptarena.core.trace;

import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code .trace} file: one statement a line, the whole text parsed before anything runs.
 * The grammar (ARCHITECTURE.md "Real workloads → Trace", plus {@code fault K}), one statement form
 * a line, each with an example:
 *
 * <pre>
 * geometry NAME                               geometry arm64/4k-48      (first statement, once)
 * mm ID                                       mm A                      (a new, empty space)
 * map ID START END pfn=PFN prot=PROT [policy=base|largest]
 *                                             map A 0x400000 +2M pfn=0x80000 prot=rw-u policy=base
 * unmap ID START END [free]                   unmap A 0x400000 +4K free
 * protect ID START END prot=PROT              protect A 0x400000 0x401000 prot=r--u
 * copy DST SRC START END cow|shared           copy B A 0x0 +1G cow
 * walk ID START END                           walk A 0x0 0x8000000000000000
 * lookup ID VA                                lookup A 0x401234
 * touch ID VA [write]                         touch A 0x401000 write
 * move ID OLD_START OLD_END NEW_START         move A 0x400000 +2M 0x40000000
 * drop ID                                     drop B                    (unmap all, free tables)
 * fault K                                     fault 2                   (see below)
 * fail STATEMENT                              fail map A 0x400000 +4K pfn=0x1 prot=r--u
 * expect ID VA [order=N] [pfn=PFN] [prot=PROT] [young=0|1] [dirty=0|1]
 *                                             expect A 0x401000 order=9 pfn=0x80001 prot=rw-u
 * expect-none ID VA                           expect-none A 0x400000
 * expect-rss ID PAGES                         expect-rss A 512
 * expect-tables ID LEVEL COUNT                expect-tables A 0 1
 * </pre>
 *
 * <p>{@code fault K} (K &ge; 1) makes the K-th table allocation of the next statement fail, in
 * every world alike; {@code drop} unmaps the whole space and frees every table but the root.
 *
 * <p>Words: {@code #} starts a comment anywhere on a line; tokens are separated by spaces or tabs.
 * {@code ID} is a name of letters, digits, {@code _ - .}, starting with a letter or {@code _},
 * declared by an earlier {@code mm} line. Numbers are {@code 0x…} hex or decimal, unsigned 64-bit
 * ({@code 0x8000000000000000}, the end of a 63-bit space, is valid). {@code END} is a number or
 * {@code +SIZE}, relative to {@code START}, where {@code SIZE} is a number with an optional {@code
 * K}, {@code M}, {@code G} or {@code T} suffix ({@code +2M}). {@code PROT} is four letters from
 * {@code r w x u} in that order with {@code -} as filler ({@code rw-u}), kept as written (the
 * format normalises it when it is used). {@code LEVEL} counts from 0 at the bottom. Keys ({@code
 * name=value}) may come in any order, each at most once; {@code policy} defaults to {@code base}.
 * {@code fail} wraps one operation: {@code map}, {@code unmap}, {@code protect}, {@code copy},
 * {@code walk}, {@code lookup}, {@code touch}, {@code move} or {@code drop}.
 *
 * <p>What the parser checks and what it leaves to the operations: a range whose end is below its
 * start, or empty ({@code +0} or {@code END == START}), is a malformed line — except under {@code
 * fail}, where such a range is the deliberately bad input the operation must refuse. Alignment, the
 * top of the address space, pfn width and levels above the root are the operations' (and the
 * runner's) business, so that {@code fail} lines can rely on them.
 *
 * <p>Every error is a {@link TraceFormatException} reading {@code source:line:column: what: value —
 * expected …}.
 */
public final class TraceParser {
    /** The statements {@code fail} may wrap. */
    private static final Set<String> OPERATIONS =
            Set.of("map", "unmap", "protect", "copy", "walk", "lookup", "touch", "move", "drop");

    private static final Map<String, String> USAGE = new LinkedHashMap<>();

    static {
        USAGE.put("geometry", "geometry NAME");
        USAGE.put("mm", "mm ID");
        USAGE.put("map", "map ID START END pfn=PFN prot=PROT [policy=base|largest]");
        USAGE.put("unmap", "unmap ID START END [free]");
        USAGE.put("protect", "protect ID START END prot=PROT");
        USAGE.put("copy", "copy DST SRC START END cow|shared");
        USAGE.put("walk", "walk ID START END");
        USAGE.put("lookup", "lookup ID VA");
        USAGE.put("touch", "touch ID VA [write]");
        USAGE.put("move", "move ID OLD_START OLD_END NEW_START");
        USAGE.put("drop", "drop ID");
        USAGE.put("fault", "fault K");
        USAGE.put("fail", "fail STATEMENT");
        USAGE.put("expect", "expect ID VA [order=N] [pfn=PFN] [prot=PROT] [young=0|1] [dirty=0|1]");
        USAGE.put("expect-none", "expect-none ID VA");
        USAGE.put("expect-rss", "expect-rss ID PAGES");
        USAGE.put("expect-tables", "expect-tables ID LEVEL COUNT");
    }

    private TraceParser() {}

    /** Parses a trace file; {@code source} in messages is the file name as given. */
    public static Trace parse(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the whole of {@code text}; {@code source} names it in messages.
     *
     * @throws TraceFormatException at the first malformed line
     */
    public static Trace parse(String source, String text) {
        String[] raw = text.split("\r\n|\n|\r", -1);
        String geometry = null;
        int geometryLine = 0;
        Map<String, Integer> declared = new LinkedHashMap<>();
        List<Trace.Line> lines = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            List<Token> tokens = tokens(raw[i]);
            if (tokens.isEmpty()) continue;
            LineParser p = new LineParser(source, i + 1, tokens, declared);
            String keyword = tokens.get(0).text();
            if (!USAGE.containsKey(keyword)) throw p.unknownKeyword(0);
            if (keyword.equals("geometry")) {
                if (geometry != null) {
                    throw p.error(
                            0,
                            "geometry: repeated (first on line "
                                    + geometryLine
                                    + ") — expected exactly one geometry statement, the first");
                }
                geometry = p.geometry();
                geometryLine = i + 1;
            } else if (geometry == null) {
                throw p.error(
                        0,
                        keyword
                                + ": statement before the geometry"
                                + " — expected geometry NAME as the first statement");
            } else {
                lines.add(new Trace.Line(i + 1, p.statement(0, false)));
            }
        }
        if (geometry == null) {
            throw new TraceFormatException(
                    source,
                    1,
                    1,
                    "empty trace: no statement — expected geometry NAME as the first statement");
        }
        return new Trace(source, geometry, lines);
    }

    /** One whitespace-separated word and its 1-based column. */
    private record Token(String text, int column) {
        int endColumn() {
            return column + text.length();
        }
    }

    private static List<Token> tokens(String line) {
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
            int from = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) i++;
            if (i > from) tokens.add(new Token(line.substring(from, i), from + 1));
        }
        return tokens;
    }

    /** Parses the statement of one line; every error names this line. */
    private static final class LineParser {
        private final String source;
        private final int line;
        private final List<Token> tokens;
        private final Map<String, Integer> declared;

        LineParser(String source, int line, List<Token> tokens, Map<String, Integer> declared) {
            this.source = source;
            this.line = line;
            this.tokens = tokens;
            this.declared = declared;
        }

        TraceFormatException error(int token, String what) {
            int column =
                    token < tokens.size()
                            ? tokens.get(token).column()
                            : tokens.get(tokens.size() - 1).endColumn() + 1;
            return new TraceFormatException(source, line, column, what);
        }

        TraceFormatException errorAt(int column, String what) {
            return new TraceFormatException(source, line, column, what);
        }

        TraceFormatException unknownKeyword(int at) {
            return error(
                    at,
                    "unknown statement '"
                            + tokens.get(at).text()
                            + "' — expected one of "
                            + String.join(", ", USAGE.keySet()));
        }

        String geometry() {
            String name = field(0, 1, "NAME");
            noMore(0, 2);
            try {
                Geometries.byName(name);
            } catch (IllegalArgumentException e) {
                throw error(1, "geometry: " + e.getMessage());
            }
            return name;
        }

        /** The statement whose keyword is token {@code at}. */
        Op statement(int at, boolean underFail) {
            String kw = tokens.get(at).text();
            switch (kw) {
                case "mm":
                    {
                        String id = newId(at);
                        noMore(at, at + 2);
                        return new Op.MmOp(id);
                    }
                case "map":
                    {
                        String id = id(at, at + 1);
                        long start = number(at, at + 2, "START");
                        long end = end(at, at + 3, start, underFail);
                        Map<String, Integer> keys = keys(at, at + 4, "pfn", "prot", "policy");
                        long pfn = number(at, required(at, keys, "pfn", "pfn=PFN"), "pfn", true);
                        int prot = prot(at, required(at, keys, "prot", "prot=PROT"));
                        MapPolicy policy =
                                keys.containsKey("policy")
                                        ? policy(at, keys.get("policy"))
                                        : MapPolicy.BASE;
                        return new Op.MapOp(id, start, end, pfn, prot, policy);
                    }
                case "unmap":
                    {
                        String id = id(at, at + 1);
                        long start = number(at, at + 2, "START");
                        long end = end(at, at + 3, start, underFail);
                        boolean free = word(at, at + 4, "free");
                        noMore(at, at + (free ? 5 : 4));
                        return new Op.UnmapOp(id, start, end, free);
                    }
                case "protect":
                    {
                        String id = id(at, at + 1);
                        long start = number(at, at + 2, "START");
                        long end = end(at, at + 3, start, underFail);
                        Map<String, Integer> keys = keys(at, at + 4, "prot");
                        return new Op.ProtectOp(
                                id, start, end, prot(at, required(at, keys, "prot", "prot=PROT")));
                    }
                case "copy":
                    {
                        String dst = id(at, at + 1);
                        String src = id(at, at + 2);
                        long start = number(at, at + 3, "START");
                        long end = end(at, at + 4, start, underFail);
                        String mode = field(at, at + 5, "cow|shared");
                        if (!mode.equals("cow") && !mode.equals("shared")) {
                            throw error(
                                    at + 5, "copy: mode '" + mode + "' — expected cow or shared");
                        }
                        noMore(at, at + 6);
                        return new Op.CopyOp(dst, src, start, end, mode.equals("cow"));
                    }
                case "walk":
                    {
                        String id = id(at, at + 1);
                        long start = number(at, at + 2, "START");
                        long end = end(at, at + 3, start, underFail);
                        noMore(at, at + 4);
                        return new Op.WalkOp(id, start, end);
                    }
                case "lookup":
                    {
                        String id = id(at, at + 1);
                        long va = number(at, at + 2, "VA");
                        noMore(at, at + 3);
                        return new Op.LookupOp(id, va);
                    }
                case "touch":
                    {
                        String id = id(at, at + 1);
                        long va = number(at, at + 2, "VA");
                        boolean write = word(at, at + 3, "write");
                        noMore(at, at + (write ? 4 : 3));
                        return new Op.TouchOp(id, va, write);
                    }
                case "move":
                    {
                        String id = id(at, at + 1);
                        long start = number(at, at + 2, "OLD_START");
                        long end = end(at, at + 3, start, underFail);
                        long to = number(at, at + 4, "NEW_START");
                        noMore(at, at + 5);
                        return new Op.MoveOp(id, start, end, to);
                    }
                case "drop":
                    {
                        String id = id(at, at + 1);
                        noMore(at, at + 2);
                        return new Op.DropOp(id);
                    }
                case "fault":
                    {
                        long k = number(at, at + 1, "K");
                        if (k == 0)
                            throw error(
                                    at + 1,
                                    "fault: K 0 — expected 1 or more (1: the next allocation"
                                            + " fails)");
                        noMore(at, at + 2);
                        return new Op.FaultOp(k);
                    }
                case "fail":
                    {
                        String inner = field(at, at + 1, "STATEMENT");
                        if (!OPERATIONS.contains(inner)) {
                            throw error(
                                    at + 1,
                                    "fail: '"
                                            + inner
                                            + "' is not an operation — expected fail followed by"
                                            + " one of map, unmap, protect, copy, walk, lookup,"
                                            + " touch, move, drop");
                        }
                        return new Op.FailOp(statement(at + 1, true));
                    }
                case "expect":
                    {
                        String id = id(at, at + 1);
                        long va = number(at, at + 2, "VA");
                        Map<String, Integer> keys =
                                keys(at, at + 3, "order", "pfn", "prot", "young", "dirty");
                        Integer order =
                                keys.containsKey("order")
                                        ? (int) bounded(at, keys.get("order"), "order", 63, true)
                                        : null;
                        Long pfn =
                                keys.containsKey("pfn")
                                        ? number(at, keys.get("pfn"), "pfn", true)
                                        : null;
                        Integer prot = keys.containsKey("prot") ? prot(at, keys.get("prot")) : null;
                        Boolean young =
                                keys.containsKey("young")
                                        ? flag(at, keys.get("young"), "young")
                                        : null;
                        Boolean dirty =
                                keys.containsKey("dirty")
                                        ? flag(at, keys.get("dirty"), "dirty")
                                        : null;
                        return new Op.ExpectOp(id, va, order, pfn, prot, young, dirty);
                    }
                case "expect-none":
                    {
                        String id = id(at, at + 1);
                        long va = number(at, at + 2, "VA");
                        noMore(at, at + 3);
                        return new Op.ExpectNoneOp(id, va);
                    }
                case "expect-rss":
                    {
                        String id = id(at, at + 1);
                        long pages = number(at, at + 2, "PAGES");
                        noMore(at, at + 3);
                        return new Op.ExpectRssOp(id, pages);
                    }
                case "expect-tables":
                    {
                        String id = id(at, at + 1);
                        int level = (int) bounded(at, at + 2, "LEVEL", 63, false);
                        long count = number(at, at + 3, "COUNT");
                        noMore(at, at + 4);
                        return new Op.ExpectTablesOp(id, level, count);
                    }
                case "geometry":
                    throw error(
                            at,
                            "geometry: inside another statement — expected it alone, on the first"
                                    + " line");
                default:
                    throw unknownKeyword(at);
            }
        }

        private String usage(int at) {
            return USAGE.get(tokens.get(at).text());
        }

        /**
         * Token {@code i}, which statement {@code at} requires; its placeholder names it if
         * missing.
         */
        private String field(int at, int i, String placeholder) {
            if (i >= tokens.size() || tokens.get(i).text().indexOf('=') >= 0) {
                throw error(i, kw(at) + ": missing " + placeholder + " — expected " + usage(at));
            }
            return tokens.get(i).text();
        }

        private String kw(int at) {
            return tokens.get(at).text();
        }

        private void noMore(int at, int i) {
            if (i < tokens.size()) {
                throw error(
                        i,
                        kw(at)
                                + ": extra field '"
                                + tokens.get(i).text()
                                + "' — expected "
                                + usage(at));
            }
        }

        /** An optional trailing word ({@code free}, {@code write}): present, absent, or extra. */
        private boolean word(int at, int i, String word) {
            return i < tokens.size() && tokens.get(i).text().equals(word);
        }

        private String newId(int at) {
            String id = field(at, at + 1, "ID");
            checkIdSyntax(at, at + 1, id);
            Integer first = declared.get(id);
            if (first != null) {
                throw error(
                        at + 1,
                        "mm: address space '"
                                + id
                                + "' already declared on line "
                                + first
                                + " — expected a new name");
            }
            declared.put(id, line);
            return id;
        }

        private String id(int at, int i) {
            String id =
                    field(
                            at,
                            i,
                            i == at + 2 && kw(at).equals("copy")
                                    ? "SRC"
                                    : kw(at).equals("copy") ? "DST" : "ID");
            checkIdSyntax(at, i, id);
            if (!declared.containsKey(id)) {
                throw error(
                        i,
                        kw(at)
                                + ": unknown address space '"
                                + id
                                + "' — expected one declared by an"
                                + " earlier mm line"
                                + (declared.isEmpty()
                                        ? " (none yet)"
                                        : " (" + String.join(", ", declared.keySet()) + ")"));
            }
            return id;
        }

        private void checkIdSyntax(int at, int i, String id) {
            boolean ok = Character.isLetter(id.charAt(0)) || id.charAt(0) == '_';
            for (int c = 0; c < id.length() && ok; c++) {
                char ch = id.charAt(c);
                ok = Character.isLetterOrDigit(ch) || ch == '_' || ch == '-' || ch == '.';
            }
            if (!ok) {
                throw error(
                        i,
                        kw(at)
                                + ": ID '"
                                + id
                                + "' — expected a name of letters, digits, _, - or ."
                                + " starting with a letter or _");
            }
        }

        private long number(int at, int i, String what) {
            return number(at, i, what, false);
        }

        /** A number at token {@code i}; for a key, the number is the text after {@code =}. */
        private long number(int at, int i, String what, boolean key) {
            String text = key ? value(i) : field(at, i, what);
            int column = key ? valueColumn(i) : tokens.get(i).column();
            try {
                return parseNumber(text);
            } catch (NumberFormatException e) {
                throw errorAt(
                        column,
                        kw(at)
                                + ": "
                                + what.toLowerCase(java.util.Locale.ROOT)
                                + " '"
                                + text
                                + "' is not a number — expected 0x… hex or decimal, unsigned below"
                                + " 2^64");
            }
        }

        private long bounded(int at, int i, String what, long max, boolean key) {
            long v = number(at, i, what, key);
            if (Long.compareUnsigned(v, max) > 0) {
                throw errorAt(
                        key ? valueColumn(i) : tokens.get(i).column(),
                        kw(at)
                                + ": "
                                + what.toLowerCase(java.util.Locale.ROOT)
                                + " "
                                + Long.toUnsignedString(v)
                                + " — expected 0.."
                                + max);
            }
            return v;
        }

        private boolean flag(int at, int i, String what) {
            String v = value(i);
            if (v.equals("0") || v.equals("1")) return v.equals("1");
            throw errorAt(valueColumn(i), kw(at) + ": " + what + " '" + v + "' — expected 0 or 1");
        }

        /** {@code END}: a number, or {@code +SIZE} relative to {@code start}. */
        private long end(int at, int i, long start, boolean underFail) {
            String text = field(at, i, "END");
            int column = tokens.get(i).column();
            long end;
            if (text.startsWith("+")) {
                long size = size(at, i, text.substring(1));
                end = start + size;
                if (size != 0 && Long.compareUnsigned(end, start) <= 0) {
                    throw errorAt(
                            column,
                            kw(at)
                                    + ": end "
                                    + text
                                    + " from start "
                                    + hex(start)
                                    + " overflows 64 bits — expected START+SIZE below 2^64");
                }
            } else {
                try {
                    end = parseNumber(text);
                } catch (NumberFormatException e) {
                    throw errorAt(
                            column,
                            kw(at)
                                    + ": end '"
                                    + text
                                    + "' is not a number — expected 0x… hex or"
                                    + " decimal, unsigned below 2^64, or +SIZE such as +2M");
                }
            }
            if (!underFail && end == start) {
                throw errorAt(
                        column,
                        kw(at) + ": empty range at " + hex(start) + " — expected END above START");
            }
            if (!underFail && Long.compareUnsigned(end, start) < 0) {
                throw errorAt(
                        column, kw(at) + ": end " + hex(end) + " is below start " + hex(start));
            }
            return end;
        }

        private long size(int at, int i, String body) {
            int shift = 0;
            String digits = body;
            if (!body.isEmpty()) {
                int s = "KMGT".indexOf(body.charAt(body.length() - 1));
                if (s >= 0) {
                    shift = 10 * (s + 1);
                    digits = body.substring(0, body.length() - 1);
                }
            }
            long n;
            try {
                n = parseNumber(digits);
            } catch (NumberFormatException e) {
                throw error(
                        i,
                        kw(at)
                                + ": size '+"
                                + body
                                + "' is not a number — expected +SIZE such as +4K,"
                                + " +2M, +0x1000 (suffix K, M, G or T)");
            }
            if (shift > 0 && Long.compareUnsigned(n, -1L >>> shift) > 0) {
                throw error(
                        i,
                        kw(at)
                                + ": size +"
                                + body
                                + " overflows 64 bits — expected a size below 2^64");
            }
            return n << shift;
        }

        private int prot(int at, int i) {
            try {
                return Prot.parse(value(i));
            } catch (IllegalArgumentException e) {
                throw errorAt(valueColumn(i), kw(at) + ": " + e.getMessage());
            }
        }

        private MapPolicy policy(int at, int i) {
            try {
                return MapPolicy.parse(value(i));
            } catch (IllegalArgumentException e) {
                throw errorAt(valueColumn(i), kw(at) + ": " + e.getMessage());
            }
        }

        /** Tokens {@code from..} as {@code key=value}: key → token index. */
        private Map<String, Integer> keys(int at, int from, String... allowed) {
            Map<String, Integer> keys = new LinkedHashMap<>();
            for (int i = from; i < tokens.size(); i++) {
                String t = tokens.get(i).text();
                int eq = t.indexOf('=');
                if (eq < 0) {
                    throw error(i, kw(at) + ": extra field '" + t + "' — expected " + usage(at));
                }
                String key = t.substring(0, eq);
                if (!List.of(allowed).contains(key)) {
                    throw error(
                            i,
                            kw(at)
                                    + ": unknown key '"
                                    + key
                                    + "' — expected "
                                    + String.join("=, ", allowed)
                                    + "=");
                }
                if (keys.containsKey(key)) {
                    throw error(
                            i,
                            kw(at)
                                    + ": duplicate key '"
                                    + key
                                    + "' — expected each key at most once");
                }
                keys.put(key, i);
            }
            return keys;
        }

        private int required(int at, Map<String, Integer> keys, String key, String placeholder) {
            Integer i = keys.get(key);
            if (i == null)
                throw error(
                        tokens.size(),
                        kw(at) + ": missing " + placeholder + " — expected " + usage(at));
            return i;
        }

        private String value(int i) {
            String t = tokens.get(i).text();
            return t.substring(t.indexOf('=') + 1);
        }

        private int valueColumn(int i) {
            Token t = tokens.get(i);
            return t.column() + t.text().indexOf('=') + 1;
        }
    }

    /** {@code 0x…} hex or decimal, unsigned 64-bit, no sign. */
    static long parseNumber(String s) {
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        if (digits.isEmpty()) throw new NumberFormatException(s);
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c > 127 || Character.digit(c, hex ? 16 : 10) < 0)
                throw new NumberFormatException(s);
        }
        return Long.parseUnsignedLong(digits, hex ? 16 : 10);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}

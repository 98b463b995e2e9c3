package org.ptarena.core.trace;

import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Prot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the statement of one line; every error names this line. */
final class LineParser {
    private final String source;
    private final int line;
    private final List<TraceParser.Token> tokens;
    private final Map<String, Integer> declared;

    LineParser(
            String source,
            int line,
            List<TraceParser.Token> tokens,
            Map<String, Integer> declared) {
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
                        + String.join(", ", TraceParser.USAGE.keySet()));
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
                        throw error(at + 5, "copy: mode '" + mode + "' — expected cow or shared");
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
                    if (!TraceParser.OPERATIONS.contains(inner)) {
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
                            keys.containsKey("young") ? flag(at, keys.get("young"), "young") : null;
                    Boolean dirty =
                            keys.containsKey("dirty") ? flag(at, keys.get("dirty"), "dirty") : null;
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
        return TraceParser.USAGE.get(tokens.get(at).text());
    }

    /**
     * Token {@code i}, which statement {@code at} requires; its placeholder names it if missing.
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
            return TraceParser.parseNumber(text);
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
                                + TraceParser.hex(start)
                                + " overflows 64 bits — expected START+SIZE below 2^64");
            }
        } else {
            try {
                end = TraceParser.parseNumber(text);
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
                    kw(at)
                            + ": empty range at "
                            + TraceParser.hex(start)
                            + " — expected END above START");
        }
        if (!underFail && Long.compareUnsigned(end, start) < 0) {
            throw errorAt(
                    column,
                    kw(at)
                            + ": end "
                            + TraceParser.hex(end)
                            + " is below start "
                            + TraceParser.hex(start));
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
            n = TraceParser.parseNumber(digits);
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
                    kw(at) + ": size +" + body + " overflows 64 bits — expected a size below 2^64");
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
                        kw(at) + ": duplicate key '" + key + "' — expected each key at most once");
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
        TraceParser.Token t = tokens.get(i);
        return t.column() + t.text().indexOf('=') + 1;
    }
}

package org.ptarena.core.trace;

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
    static final Set<String> OPERATIONS =
            Set.of("map", "unmap", "protect", "copy", "walk", "lookup", "touch", "move", "drop");

    static final Map<String, String> USAGE = new LinkedHashMap<>();

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
    record Token(String text, int column) {
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

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}

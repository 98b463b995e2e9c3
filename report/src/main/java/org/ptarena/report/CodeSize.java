package org.ptarena.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ptarena.core.Apis;

/**
 * The code each design needs, counted from the sources the report ships with: the non-blank,
 * non-comment lines of every file under {@code api-*}{@code /src/main/java} of a checkout. Each
 * design keeps one file per operation ({@code MapRange}, {@code UnmapRange}, {@code ProtectRange},
 * {@code CopyRange}, {@code WalkRange}, {@code Lookup}, {@code Touch}, {@code MoveRange}); every
 * other file is counted as the design's primitives ({@code package-info.java}, documentation
 * only, is left out).
 */
public final class CodeSize {
    /** Operation file name (without {@code .java}) → operation, in the architecture's order. */
    public static final Map<String, String> OPERATION_FILES = operationFiles();

    /** One counted file: its design, its path in the checkout, its operation (null: primitives). */
    public record FileCount(String api, String path, String op, int lines) { }

    private final List<String> apis;
    private final List<FileCount> files;
    private final String absent;

    private CodeSize(List<String> apis, List<FileCount> files, String absent) {
        this.apis = apis;
        this.files = files;
        this.absent = absent;
    }

    private static Map<String, String> operationFiles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MapRange", "map");
        m.put("UnmapRange", "unmap");
        m.put("ProtectRange", "protect");
        m.put("CopyRange", "copy");
        m.put("WalkRange", "walk");
        m.put("Lookup", "lookup");
        m.put("Touch", "touch");
        m.put("MoveRange", "move");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** No sources to count; {@code why} says what was looked for. */
    public static CodeSize notFound(String why) {
        return new CodeSize(List.of(), List.of(), why);
    }

    /** Why there are no counts, or null when there are. */
    public String absent() { return absent; }
    /** The designs counted, in {@link Apis#ORDER}. */
    public List<String> apis() { return apis; }
    public List<FileCount> files() { return files; }

    /** Lines of {@code api}'s file for {@code op}, or -1 when it has none. */
    public int lines(String api, String op) {
        for (FileCount f : files) if (f.api().equals(api) && op.equals(f.op())) return f.lines();
        return -1;
    }

    /** Lines of {@code api}'s primitives (every file that is not an operation). */
    public int primitives(String api) {
        int n = 0;
        for (FileCount f : files) if (f.api().equals(api) && f.op() == null) n += f.lines();
        return n;
    }

    /** Lines of all of {@code api}'s files. */
    public int total(String api) {
        int n = 0;
        for (FileCount f : files) if (f.api().equals(api)) n += f.lines();
        return n;
    }

    /** The operations any design has a file for, in the architecture's order. */
    public List<String> operations() {
        List<String> out = new ArrayList<>();
        for (String op : OPERATION_FILES.values()) {
            for (FileCount f : files) {
                if (op.equals(f.op())) {
                    out.add(op);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The first of {@code starts} or one of their parents that holds {@code api-*}{@code
     * /src/main/java}
     * directories: the checkout. Null when there is none.
     */
    public static Path locate(List<Path> starts) {
        for (Path start : starts) {
            if (start == null) continue;
            for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                if (!apiModules(p).isEmpty()) return p;
            }
        }
        return null;
    }

    /**
     * Counts every design under {@code root}; {@link #notFound} when it has no {@code api-*}
     * module.
     */
    public static CodeSize count(Path root) throws IOException {
        List<Path> modules = apiModules(root);
        if (modules.isEmpty()) return notFound("no api-*/src/main/java below the checkout");
        Map<String, List<FileCount>> byApi = new LinkedHashMap<>();
        for (Path module : modules) {
            String api = apiName(module.getFileName().toString());
            Path src = module.resolve("src/main/java");
            List<Path> javaFiles;
            try (Stream<Path> s = Files.walk(src)) {
                javaFiles = s.filter(p -> p.toString().endsWith(".java"))
                        .filter(Files::isRegularFile).sorted().toList();
            }
            List<FileCount> counts = byApi.computeIfAbsent(api, k -> new ArrayList<>());
            for (Path f : javaFiles) {
                String name = f.getFileName().toString();
                if (name.equals("package-info.java")) continue;
                String op = OPERATION_FILES.get(name.substring(0, name.length() - 5));   // ".java"
                String rel = root.relativize(f).toString().replace('\\', '/');
                int lines = countLines(Files.readString(f, StandardCharsets.UTF_8));
                counts.add(new FileCount(api, rel, op, lines));
            }
        }
        List<String> apis = ReportModel.orderApis(byApi.keySet());
        List<FileCount> all = new ArrayList<>();
        for (String a : apis) all.addAll(byApi.get(a));
        return new CodeSize(List.copyOf(apis), List.copyOf(all), null);
    }

    private static List<Path> apiModules(Path root) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().startsWith("api-")
                    && Files.isDirectory(p.resolve("src/main/java")))
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /**
     * {@code api-legacy} → {@code legacy}; {@code api-vpte-iter} → {@code vpte} (a known name it
     * starts with).
     */
    static String apiName(String module) {
        String rest = module.substring("api-".length());
        for (String known : Apis.ORDER) {
            if (rest.equals(known) || rest.startsWith(known + "-")) return known;
        }
        return rest;
    }

    /**
     * Non-blank, non-comment lines of Java source: a line counts when any character of it lies
     * outside a comment and is not white space. String, character and text-block contents are
     * code, even when they look like comments.
     */
    public static int countLines(String src) {
        final int code = 0;
        final int line = 1;
        final int block = 2;
        final int string = 3;
        final int chr = 4;
        final int text = 5;
        int state = code;
        int lines = 0;
        boolean hasCode = false;
        int n = src.length();
        for (int i = 0; i < n; i++) {
            char c = src.charAt(i);
            char next = i + 1 < n ? src.charAt(i + 1) : '\0';
            if (c == '\n') {
                if (hasCode) lines++;
                hasCode = false;
                if (state == line) state = code;
                continue;
            }
            switch (state) {
                case code -> {
                    if (c == '/' && next == '/') {
                        state = line;
                        i++;
                    } else if (c == '/' && next == '*') {
                        state = block;
                        i++;
                    } else if (c == '"' && src.startsWith("\"\"\"", i)) {
                        state = text;
                        hasCode = true;
                        i += 2;
                    } else if (c == '"') {
                        state = string;
                        hasCode = true;
                    } else if (c == '\'') {
                        state = chr;
                        hasCode = true;
                    } else if (!Character.isWhitespace(c)) {
                        hasCode = true;
                    }
                }
                case block -> {
                    if (c == '*' && next == '/') {
                        state = code;
                        i++;
                    }
                }
                case string, chr -> {
                    hasCode = true;
                    if (c == '\\') i++;
                    else if (c == (state == string ? '"' : '\'')) state = code;
                }
                case text -> {
                    if (!Character.isWhitespace(c)) hasCode = true;
                    if (c == '\\' && next != '\n') i++;
                    else if (src.startsWith("\"\"\"", i)) {
                        state = code;
                        i += 2;
                    }
                }
                default -> { }
            }
        }
        if (hasCode) lines++;
        return lines;
    }
}

package org.ptarena.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JMH results read from one or more JSON files ({@code -rf json}, JMH 1.37's layout: an array of
 * objects with {@code jmhVersion}, {@code benchmark}, {@code mode}, {@code forks}, the JVM and its
 * arguments, warm-up and measurement settings, {@code params} when the benchmark has any, a
 * {@code primaryMetric} with {@code rawData} per fork — or {@code rawDataHistogram} in sample
 * mode — and {@code secondaryMetrics} such as {@code gc.alloc.rate.norm}). JMH writes NaN and
 * infinities as the strings {@code "NaN"}, {@code "+INF"} and {@code "-INF"}; they are read as
 * the doubles they stand for.
 *
 * <p>Every file is read whole before anything is used. A missing, empty, truncated or malformed
 * file, a document that is not JMH results, or files of different JMH versions fail with a
 * {@link JmhFormatException} naming the file and what is wrong.
 */
public final class JmhResults {
    /** The metric JMH's gc profiler reports as bytes allocated per operation. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** One metric of one result: its unit and one value per fork (the mean of its iterations). */
    public record Metric(String unit, double[] forks) { }

    /** The JMH settings of a result, as JMH printed them. */
    public record Settings(String mode, int threads, int forks, int warmupIterations,
            String warmupTime, int warmupBatchSize, int measurementIterations,
            String measurementTime, int measurementBatchSize) { }

    /** The JVM a result ran on. */
    public record Jvm(String jdkVersion, String vmName, String vmVersion, List<String> args) { }

    /**
     * One element of a JMH JSON array: one benchmark method with one setting of its parameters.
     *
     * @param params    parameter name to value, in JMH's order; empty when the benchmark has none
     * @param secondary secondary metrics by name, in JMH's order
     */
    public record Result(Path file, String host, String jmhVersion, String benchmark,
            Settings settings, Jvm jvm, Map<String, String> params, Metric primary,
            Map<String, Metric> secondary) {
        /** The method name: the last part of {@code benchmark}. */
        public String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /** The class and method: the last two parts of {@code benchmark}. */
        public String shortName() {
            int dot = benchmark.lastIndexOf('.');
            int before = dot <= 0 ? -1 : benchmark.lastIndexOf('.', dot - 1);
            return benchmark.substring(before + 1);
        }
    }

    /** One input file, what is known of its run, and how many results it held. */
    public record Source(Path file, RunInfo run, int results) { }

    private final List<Source> sources;
    private final List<Result> results;

    private JmhResults(List<Source> sources, List<Result> results) {
        this.sources = Collections.unmodifiableList(sources);
        this.results = Collections.unmodifiableList(results);
    }

    public List<Source> sources() { return sources; }
    public List<Result> results() { return results; }

    /** The JMH version every result shares. */
    public String jmhVersion() { return results.get(0).jmhVersion(); }

    /**
     * Reads every file (and the {@link RunInfo} beside each), in order.
     *
     * @throws JmhFormatException on the first file that cannot be used
     */
    public static JmhResults read(List<Path> files) throws JmhFormatException {
        if (files.isEmpty()) throw new IllegalArgumentException("no JMH JSON file given");
        List<Source> sources = new ArrayList<>();
        List<Result> all = new ArrayList<>();
        for (Path file : files) {
            String text = readText(file);
            RunInfo run = RunInfo.readBeside(file);
            List<Result> rs = parse(file, text, run.host());
            sources.add(new Source(file, run, rs.size()));
            all.addAll(rs);
        }
        checkOneVersion(all);
        return new JmhResults(sources, all);
    }

    /** Parses one file's text; {@code host} labels every result. */
    static List<Result> parse(Path file, String text, String host) throws JmhFormatException {
        if (text.isBlank()) {
            throw bad(file, "empty file: expected JMH results (a JSON array from -rf json)");
        }
        JsonNode root = tree(file, text);
        if (root == null || root.isMissingNode()) throw bad(file, "empty file: no JMH results");
        if (!root.isArray()) {
            throw bad(file, "not JMH results: expected a JSON array of benchmark results, found "
                    + kind(root));
        }
        if (root.isEmpty()) throw bad(file, "no benchmark results: the JSON array is empty");
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) out.add(result(file, host, i, root.get(i)));
        return out;
    }

    /** The JSON tree of {@code text}; a truncated document is told apart from a malformed one. */
    private static JsonNode tree(Path file, String text) throws JmhFormatException {
        try {
            return JSON.readTree(text);
        } catch (StreamReadException e) {
            if (String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                throw bad(file, "truncated JSON: the document ends at " + where(e.getLocation())
                        + " before it is complete (was the run interrupted?)");
            }
            throw bad(file, "malformed JSON at " + where(e.getLocation()) + ": "
                    + RunInfo.firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw bad(file, "malformed JSON: " + RunInfo.firstLine(e.getOriginalMessage()));
        }
    }

    private static Result result(Path file, String host, int index, JsonNode n)
            throws JmhFormatException {
        String at = "result " + (index + 1);
        if (!n.isObject()) {
            throw bad(file, "not JMH results: " + at + " is " + kind(n) + ", expected an object");
        }
        if (!n.path("benchmark").isTextual()) {
            throw bad(file, "not JMH results: " + at + " has no \"benchmark\" name");
        }
        String benchmark = n.get("benchmark").asText();
        at += " (" + benchmark + ")";
        String mode = requireText(file, at, n, "mode");
        JsonNode primary = n.get("primaryMetric");
        if (primary == null || !primary.isObject()) {
            throw bad(file, "not JMH results: " + at + " has no \"primaryMetric\" object");
        }
        Settings settings = new Settings(mode, n.path("threads").asInt(1), n.path("forks").asInt(0),
                n.path("warmupIterations").asInt(0), n.path("warmupTime").asText(""),
                n.path("warmupBatchSize").asInt(1), n.path("measurementIterations").asInt(0),
                n.path("measurementTime").asText(""), n.path("measurementBatchSize").asInt(1));
        List<String> args = new ArrayList<>();
        for (JsonNode a : n.path("jvmArgs")) args.add(a.asText());
        Jvm jvm = new Jvm(n.path("jdkVersion").asText(""), n.path("vmName").asText(""),
                n.path("vmVersion").asText(""), List.copyOf(args));
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(file, at, n, "params").entrySet()) {
            params.put(e.getKey(), e.getValue().asText());
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(file, at, n, "secondaryMetrics").entrySet()) {
            String where = at + ": secondary metric \"" + e.getKey() + "\"";
            if (!e.getValue().isObject()) throw bad(file, where + " is " + kind(e.getValue()));
            secondary.put(e.getKey(), metric(file, where, e.getValue(), false));
        }
        String version = n.path("jmhVersion").isTextual() ? n.get("jmhVersion").asText()
                : "unknown (no jmhVersion)";
        Metric main = metric(file, at + ": primaryMetric", primary, true);
        return new Result(file, host, version, benchmark, settings, jvm,
                Collections.unmodifiableMap(params), main, Collections.unmodifiableMap(secondary));
    }

    /** The fields of the optional object {@code field} of {@code n}, in order; empty if absent. */
    private static Map<String, JsonNode> object(Path file, String at, JsonNode n, String field)
            throws JmhFormatException {
        JsonNode v = n.get(field);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) {
            throw bad(file, at + ": \"" + field + "\" is " + kind(v) + ", expected an object");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) out.put(e.getKey(), e.getValue());
        return out;
    }

    private static Metric metric(Path file, String at, JsonNode m, boolean primary)
            throws JmhFormatException {
        String unit = requireText(file, at, m, "scoreUnit");
        JsonNode raw = m.get("rawData");
        JsonNode hist = m.get("rawDataHistogram");
        double[] forks;
        if (raw != null && !raw.isNull()) {
            forks = forkMeans(file, at + ".rawData", raw);
        } else if (hist != null && !hist.isNull()) {
            forks = histogramMeans(file, at + ".rawDataHistogram", hist);
        } else {
            throw bad(file, at + " has no \"rawData\": the report needs every fork's iterations");
        }
        if (forks.length == 0 && primary) {
            throw bad(file, at + ".rawData is empty (was JMH run with -Djmh.json.rawData=false?)");
        }
        return new Metric(unit, forks);
    }

    /** {@code [[iteration, …] per fork]} → the mean of each fork's iterations. */
    private static double[] forkMeans(Path file, String at, JsonNode raw)
            throws JmhFormatException {
        if (!raw.isArray()) throw bad(file, at + " is " + kind(raw) + ", expected one per fork");
        double[] out = new double[raw.size()];
        for (int f = 0; f < raw.size(); f++) {
            JsonNode fork = raw.get(f);
            String here = at + "[" + f + "]";
            if (!fork.isArray()) {
                throw bad(file, here + " is " + kind(fork) + ", expected the fork's iterations");
            }
            if (fork.isEmpty()) throw bad(file, here + " has no iterations");
            double sum = 0;
            for (int i = 0; i < fork.size(); i++) {
                sum += number(file, here + "[" + i + "]", fork.get(i));
            }
            out[f] = sum / fork.size();
        }
        return out;
    }

    /** {@code [[[[value, count], …] per iteration] per fork]} → each fork's weighted mean. */
    private static double[] histogramMeans(Path file, String at, JsonNode raw)
            throws JmhFormatException {
        if (!raw.isArray()) throw bad(file, at + " is " + kind(raw) + ", expected one per fork");
        double[] out = new double[raw.size()];
        for (int f = 0; f < raw.size(); f++) {
            String here = at + "[" + f + "]";
            double sum = 0;
            double count = 0;
            for (JsonNode iteration : raw.get(f)) {
                for (JsonNode pair : iteration) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw bad(file, here + " holds " + kind(pair) + ", not [value, count]");
                    }
                    double v = number(file, here, pair.get(0));
                    double c = number(file, here, pair.get(1));
                    sum += v * c;
                    count += c;
                }
            }
            if (count == 0) throw bad(file, here + " has no samples");
            out[f] = sum / count;
        }
        return out;
    }

    /** A JSON number, or JMH's {@code "NaN"}, {@code "+INF"}, {@code "-INF"} (or Java's words). */
    static double number(Path file, String at, JsonNode v) throws JmhFormatException {
        if (v != null && v.isNumber()) return v.doubleValue();
        if (v != null && v.isTextual()) {
            switch (v.asText()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "+INF", "INF", "Infinity", "+Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-INF", "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> { }
            }
        }
        String expected = "expected a number or \"NaN\", \"+INF\", \"-INF\"";
        throw bad(file, at + " is " + kind(v) + ", " + expected);
    }

    private static String requireText(Path file, String at, JsonNode n, String field)
            throws JmhFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            String found = v == null ? "" : " text (found " + kind(v) + ")";
            throw bad(file, "not JMH results: " + at + " has no \"" + field + "\"" + found);
        }
        return v.asText();
    }

    private static void checkOneVersion(List<Result> all) throws JmhFormatException {
        Result first = all.get(0);
        for (Result r : all) {
            if (r.jmhVersion().equals(first.jmhVersion())) continue;
            throw bad(r.file(), "mixed JMH versions: " + r.benchmark() + " was measured with JMH "
                    + r.jmhVersion() + ", but " + first.file() + " holds results of JMH "
                    + first.jmhVersion() + "; re-run so that every result comes from one version");
        }
    }

    private static String readText(Path file) throws JmhFormatException {
        if (Files.isDirectory(file)) throw bad(file, "is a directory, expected a JMH JSON file");
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (CharacterCodingException e) {
            throw bad(file, "not text (not UTF-8): expected JMH results in JSON");
        } catch (IOException e) {
            throw bad(file, "cannot read: " + e.getMessage());
        }
    }

    private static JmhFormatException bad(Path file, String what) {
        return new JmhFormatException(file, what);
    }

    private static String where(JsonLocation loc) {
        if (loc == null) return "an unknown place";
        return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "missing";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "an array";
        if (n.isTextual()) return "the string \"" + abbreviate(n.asText()) + "\"";
        if (n.isNumber()) return "the number " + n.asText();
        if (n.isBoolean()) return "the boolean " + n.asText();
        if (n.isNull()) return "null";
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}

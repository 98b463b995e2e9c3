package org.ptarena.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What JMH's JSON does not record about a run: the machine, the date, the commit, the OS, the CPU,
 * the cores, and the exact command that produced it. {@code ptarena race} writes it beside the
 * JMH JSON as {@code NAME.meta} (a small JSON object) for {@code NAME.json}; the report reads it
 * when it is there and says "unknown" for what it cannot know when it is not.
 *
 * @param host    the machine's name
 * @param date    when the run started, ISO-8601 UTC
 * @param commit  the checkout's commit, with {@code -dirty} when it had local changes
 * @param os      name, version and architecture
 * @param cpu     the CPU model
 * @param cores   processors available to the JVM (0 when unknown)
 * @param command the command that reproduces the run
 * @param gaps    combinations the run did not measure, each with the reason ("label: reason")
 */
public record RunInfo(String host, String date, String commit, String os, String cpu, int cores,
        String command, List<String> gaps) {
    /** Said for anything a run file does not record. */
    public static final String UNKNOWN = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunInfo {
        gaps = List.copyOf(gaps);
    }

    /** A run without gaps. */
    public RunInfo(String host, String date, String commit, String os, String cpu, int cores,
            String command) {
        this(host, date, commit, os, cpu, cores, command, List.of());
    }

    /** This run with {@code gaps} recorded. */
    public RunInfo withGaps(List<String> gaps) {
        return new RunInfo(host, date, commit, os, cpu, cores, command, gaps);
    }

    /** A run of which nothing is known but the host label. */
    public static RunInfo unknown(String host) {
        return new RunInfo(host, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, 0, UNKNOWN);
    }

    /** The run file that belongs to {@code json}: {@code x.json} → {@code x.meta}. */
    public static Path sidecarOf(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".meta");
    }

    /** The file name without {@code .json}: the host label of a result without a run file. */
    static String stem(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /**
     * The run file beside {@code json}, or {@link #unknown} labelled with the file's name when
     * there is none.
     *
     * @throws JmhFormatException when the run file exists but is not a JSON object
     */
    public static RunInfo readBeside(Path json) throws JmhFormatException {
        Path meta = sidecarOf(json);
        if (!Files.isRegularFile(meta)) return unknown(stem(json));
        JsonNode n;
        try {
            n = JSON.readTree(meta.toFile());
        } catch (JacksonException e) {
            throw new JmhFormatException(meta, "run file is not valid JSON: "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new JmhFormatException(meta, "cannot read the run file: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new JmhFormatException(meta, "run file is not a JSON object");
        }
        List<String> gaps = new java.util.ArrayList<>();
        for (JsonNode g : n.path("gaps")) gaps.add(g.asText());
        return new RunInfo(text(n, "host", stem(json)), text(n, "date", UNKNOWN),
                text(n, "commit", UNKNOWN), text(n, "os", UNKNOWN), text(n, "cpu", UNKNOWN),
                n.path("cores").asInt(0), text(n, "command", UNKNOWN),
                gaps);
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? fallback : v.asText();
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** This run file as a JSON object, fields in a fixed order. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("host", host).put("date", date).put("commit", commit).put("os", os).put("cpu", cpu)
                .put("cores", cores).put("command", command);
        com.fasterxml.jackson.databind.node.ArrayNode g = n.putArray("gaps");
        for (String gap : gaps) g.add(gap);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This machine, now: host name, date, the commit of {@code checkout} (read with {@code git};
     * "unknown" when it is not a git checkout), OS, CPU model and cores.
     */
    public static RunInfo ofThisMachine(String command, Path checkout, Clock clock) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", UNKNOWN);
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        return new RunInfo(host, Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString(),
                commit(checkout), os, cpuModel(), Runtime.getRuntime().availableProcessors(),
                command);
    }

    /** {@code git rev-parse --short=12 HEAD}, {@code -dirty} when it has local changes. */
    static String commit(Path checkout) {
        if (checkout == null) return UNKNOWN;
        String head = git(checkout, "rev-parse", "--short=12", "HEAD");
        if (head == null || head.isBlank()) return UNKNOWN;
        String status = git(checkout, "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    private static String git(Path dir, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out = r.lines().reduce("", (a, b) -> a.isEmpty() ? b : a + "\n" + b);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The first "model name" of {@code /proc/cpuinfo}, else the architecture. */
    static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            return line.substring(colon + 1).strip().replaceAll("\\s+", " ");
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the architecture
        }
        return System.getProperty("os.arch", UNKNOWN);
    }
}

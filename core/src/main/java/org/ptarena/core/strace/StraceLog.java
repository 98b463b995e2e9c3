package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code strace -f -e trace=memory,process}, read into events in the order their
 * calls completed. The forms read, each as strace 6 prints them:
 *
 * <pre>
 * 29889 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f076514c000
 * [pid 29890] munmap(0x7fa68fdd2000, 39011) = 0        (strace -f without -o)
 * 29891 mmap(NULL, 39011, PROT_READ, MAP_PRIVATE, 3&lt;/etc/ld.so.cache&gt;, 0
 *       &lt;unfinished ...&gt;                   (one line in the log)
 * 29891 &lt;... mmap resumed&gt;)               = 0x7f4fab993000
 * 29899 execve("/usr/bin/as", ["as"], 0x36c8bd30 /* 39 vars *&#47;) = -1 ENOENT (No such file…)
 * 29924 exit(0)                           = ?
 * 29924 +++ exited with 0 +++              (also: +++ killed by SIGKILL +++)
 * 29914 --- SIGSEGV {si_signo=SIGSEGV, …} ---      (a signal: counted, no event)
 * strace: Process 29890 attached           (a note of strace's own: counted, no event)
 * # TEXT                                   (a comment: before the first call, the log's header)
 * </pre>
 *
 * <p>Before the call: an optional pid ({@code 123 } or {@code [pid 123] }; a line without one
 * belongs to pid 0, the first process of a log written without {@code -o}), an optional time
 * stamp ({@code -t}, {@code -tt}, {@code -ttt}, {@code -r}) and an optional instruction pointer
 * ({@code -i}); after the result an optional {@code <0.000012>} ({@code -T}). An unfinished call
 * and its resumption (same pid, same name) are joined into one call, placed where it resumed;
 * a call still unfinished when its process exits or the log ends, and a resumption whose start
 * came before the log did, are dropped and counted. Arguments are split
 * at the commas outside strings, brackets, {@code /* … *&#47;} comments and the {@code <path>}
 * that {@code -y} adds to a file descriptor.
 *
 * <p>A line that is none of these is garbage: a {@link StraceFormatException} naming the line,
 * or, when lenient, skipped and counted.
 */
public final class StraceLog {
    private static final Pattern PID = Pattern.compile("^(?:\\[pid\\s+(\\d+)\\]|(\\d+))\\s+");
    private static final Pattern STAMP =
            Pattern.compile("^(?:\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d+)?|\\d+\\.\\d+)\\s+");
    private static final Pattern IP = Pattern.compile("^\\[[0-9a-f]{8,16}\\]\\s+");
    private static final Pattern CALL = Pattern.compile("^([a-z_][a-z0-9_]*)\\(");
    private static final Pattern RESUMED =
            Pattern.compile("^<\\.\\.\\. ([a-z_][a-z0-9_]*) resumed>(.*)$");
    private static final Pattern EXIT = Pattern.compile(
            "^\\+\\+\\+ (exited with -?\\d+|killed by SIG[A-Z0-9]+(?: \\(core dumped\\))?"
                    + "|superseded by execve) \\+\\+\\+$");
    private static final Pattern SIGNAL = Pattern.compile("^--- .* ---$");
    private static final Pattern TIMING = Pattern.compile("\\s+<\\d+\\.\\d+>$");
    private static final String UNFINISHED = " <unfinished ...>";

    /** A completed event, in log order. */
    public sealed interface Event permits Call, Exit {
        /** The line the event completed on. */
        int line();

        int pid();
    }

    /**
     * A completed system call.
     *
     * @param name the call, e.g. {@code mmap}
     * @param args its arguments as written, split at top-level commas, trimmed
     * @param result what follows {@code =}: {@code 0x7f…}, {@code 0}, {@code -1 ENOMEM (…)},
     *     {@code ?}
     */
    public record Call(int line, int pid, String name, List<String> args, String result)
            implements Event {
        public Call {
            args = List.copyOf(args);
        }

        /** Whether the call failed ({@code -1 ERRNO}) or has no result ({@code ?}). */
        public boolean failed() {
            return result.startsWith("?") || result.matches("-\\d+ E[A-Z0-9]+.*");
        }

        /** The result as a number ({@code 0x…} hex or decimal). */
        public long value() {
            return number(result.split("\\s+", 2)[0]);
        }
    }

    /** A process or thread ended: {@code +++ exited with 0 +++} and the like. */
    public record Exit(int line, int pid, String how) implements Event { }

    private final List<Event> events;
    private final List<String> header;
    private final int lines;
    private final int signals;
    private final int notes;
    private final List<Integer> garbage;
    private final int dropped;

    private StraceLog(List<Event> events, List<String> header, int lines, int signals, int notes,
            List<Integer> garbage, int dropped) {
        this.events = List.copyOf(events);
        this.header = List.copyOf(header);
        this.lines = lines;
        this.signals = signals;
        this.notes = notes;
        this.garbage = List.copyOf(garbage);
        this.dropped = dropped;
    }

    public List<Event> events() { return events; }

    /** The comment lines before the first call: how the log was made. */
    public List<String> header() { return header; }

    /** Lines in the log. */
    public int lines() { return lines; }

    /** Signal lines ({@code --- SIG… ---}). */
    public int signals() { return signals; }

    /** strace's own notes ({@code strace: …}). */
    public int notes() { return notes; }

    /** Lines skipped as garbage under lenient reading. */
    public List<Integer> garbage() { return garbage; }

    /** Unfinished calls that never resumed (their process exited, or the log ended). */
    public int dropped() { return dropped; }

    /**
     * Reads a whole log; {@code source} names it in messages.
     *
     * @throws StraceFormatException at the first garbage line, unless {@code lenient}
     */
    public static StraceLog parse(String source, String text, boolean lenient) {
        String[] raw = text.split("\r\n|\n|\r", -1);
        List<Event> events = new ArrayList<>();
        List<String> header = new ArrayList<>();
        List<Integer> garbage = new ArrayList<>();
        Map<Integer, String> pending = new HashMap<>();
        Map<Integer, String> pendingName = new HashMap<>();
        int signals = 0;
        int notes = 0;
        int dropped = 0;
        for (int n = 1; n <= raw.length; n++) {
            String line = raw[n - 1].strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                if (events.isEmpty()) header.add(line.substring(1).strip());
                continue;
            }
            if (line.startsWith("strace: ")) {
                notes++;
                continue;
            }
            int pid = 0;
            Matcher m = PID.matcher(line);
            if (m.find()) {
                pid = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
                line = line.substring(m.end());
            }
            line = strip(STAMP, line);
            line = strip(IP, line);
            if (EXIT.matcher(line).matches()) {
                if (pending.remove(pid) != null) dropped++;
                events.add(new Exit(n, pid, line.substring(4, line.length() - 4)));
                continue;
            }
            if (SIGNAL.matcher(line).matches()) {
                signals++;
                continue;
            }
            Matcher r = RESUMED.matcher(line);
            if (r.matches()) {
                String start = pending.remove(pid);
                if (start == null) {
                    dropped++;
                    continue;
                }
                if (!pendingName.get(pid).equals(r.group(1))) {
                    if (lenient) {
                        garbage.add(n);
                        continue;
                    }
                    throw new StraceFormatException(source, n, "resumed " + r.group(1)
                            + " while pid " + pid + " has " + pendingName.get(pid) + " unfinished",
                            line, "the same call resumed");
                }
                line = start + r.group(2);
            } else if (line.endsWith(UNFINISHED) && CALL.matcher(line).find()) {
                String call = line.substring(0, line.length() - UNFINISHED.length());
                Matcher c = CALL.matcher(call);
                c.find();
                if (pending.put(pid, call) != null) dropped++;
                pendingName.put(pid, c.group(1));
                continue;
            }
            Call call = call(n, pid, line);
            if (call == null) {
                if (lenient) {
                    garbage.add(n);
                    continue;
                }
                throw new StraceFormatException(source, n, "cannot read", raw[n - 1].strip(),
                        "PID NAME(ARGS) = RESULT, +++ … +++, --- SIG… --- or a comment");
            }
            events.add(call);
        }
        dropped += pending.size();
        return new StraceLog(events, header, raw.length, signals, notes, garbage, dropped);
    }

    /** A complete call line, or null when it is not one. */
    private static Call call(int n, int pid, String line) {
        Matcher c = CALL.matcher(line);
        if (!c.find()) return null;
        int close = close(line, c.end() - 1);
        if (close < 0) return null;
        String rest = line.substring(close + 1).strip();
        if (!rest.startsWith("=")) return null;
        String result = TIMING.matcher(rest.substring(1).strip()).replaceFirst("");
        if (result.isEmpty()) return null;
        return new Call(n, pid, c.group(1), split(line.substring(c.end(), close)), result);
    }

    /** Index of the parenthesis closing the one at {@code open}, or -1. */
    private static int close(String s, int open) {
        Scanner sc = new Scanner(s, open + 1);
        while (sc.pos < s.length()) {
            char ch = s.charAt(sc.pos);
            if (sc.depth == 0 && ch == ')') return sc.pos;
            sc.step();
        }
        return -1;
    }

    /** Arguments split at top-level commas, trimmed; none for an empty list. */
    static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        if (args.isBlank()) return out;
        Scanner sc = new Scanner(args, 0);
        int from = 0;
        while (sc.pos < args.length()) {
            if (sc.depth == 0 && args.charAt(sc.pos) == ',') {
                out.add(args.substring(from, sc.pos).strip());
                from = sc.pos + 1;
            }
            sc.step();
        }
        out.add(args.substring(from).strip());
        return out;
    }

    /** Steps over text keeping track of brackets, strings, comments and {@code -y} paths. */
    private static final class Scanner {
        final String s;
        int pos;
        int depth;

        Scanner(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        /** Advances past one character, or past a whole string, comment or path. */
        void step() {
            char ch = s.charAt(pos);
            if (ch == '"') {
                pos++;
                while (pos < s.length() && s.charAt(pos) != '"') {
                    pos += s.charAt(pos) == '\\' ? 2 : 1;
                }
                pos++;
            } else if (ch == '/' && s.startsWith("/*", pos)) {
                int end = s.indexOf("*/", pos + 2);
                pos = end < 0 ? s.length() : end + 2;
            } else if (ch == '<' && pos > 0 && Character.isDigit(s.charAt(pos - 1))) {
                int end = s.indexOf('>', pos);
                pos = end < 0 ? s.length() : end + 1;
            } else {
                if (ch == '(' || ch == '[' || ch == '{') depth++;
                if (ch == ')' || ch == ']' || ch == '}') depth--;
                pos++;
            }
        }
    }

    private static String strip(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? line.substring(m.end()) : line;
    }

    /**
     * A number as strace prints it: {@code NULL}, {@code 0x…} hex, decimal, maybe negative.
     *
     * @throws NumberFormatException for anything else
     */
    static long number(String s) {
        String t = s.strip();
        if (t.equals("NULL")) return 0;
        if (t.startsWith("0x")) return Long.parseUnsignedLong(t.substring(2), 16);
        return Long.parseLong(t);
    }
}

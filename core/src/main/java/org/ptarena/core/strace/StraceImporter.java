package org.ptarena.core.strace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.trace.Op;
import org.ptarena.core.trace.Trace;
import org.ptarena.core.trace.TraceParser;

/**
 * Turns the output of {@code strace -f -e trace=memory,process} into a trace that {@code ptarena
 * check} runs: the address spaces of every process the log shows, with the page-table work their
 * system calls did.
 *
 * <ul>
 * <li><b>Memory calls</b> ({@link MemoryCalls}): {@code mmap}, {@code munmap}, {@code mprotect},
 *     {@code mremap}, {@code brk}, {@code madvise}.</li>
 * <li><b>{@code fork}, {@code clone}, {@code clone3} without {@code CLONE_VM}</b>: a new address
 *     space, and one {@code copy} per VMA of the parent ({@code dup_mmap}), {@code cow} for
 *     private writable ones (whose pages then lose w in both, as in the kernel), {@code shared}
 *     otherwise; VMAs marked {@code MADV_DONTFORK} are left out. The kernel skips VMAs without
 *     an {@code anon_vma} ({@code vma_needs_copy}); the log cannot tell which those are, so every
 *     VMA is copied.</li>
 * <li><b>Threads, {@code vfork}, any {@code clone} with {@code CLONE_VM}</b>: the child shares
 *     the parent's address space until it calls {@code execve} or exits ({@code vfork} is {@code
 *     CLONE_VM|CLONE_VFORK} in the kernel).</li>
 * <li><b>{@code execve}</b> (and {@code execveat}): a fresh, empty address space; the old one is
 *     dropped once no process uses it. What the kernel itself maps at exec (the program, its
 *     interpreter, the stack, the vdso) is no system call and is not in the log.</li>
 * <li><b>Exit</b> ({@code +++ exited with … +++}, {@code +++ killed by … +++}): when the last
 *     process or thread using an address space is gone, {@code drop}. Spaces still in use when
 *     the log ends stay as they are.</li>
 * </ul>
 *
 * <p>A child's calls may appear before its parent's {@code clone} returns (strace prints the
 * child as soon as it runs); the child is created at its first line, from the clone that returns
 * its pid. A pid that no clone in the log created starts with an empty address space. Failed
 * calls ({@code = -1 ENOMEM …}, {@code = ?}) change nothing and are counted; calls that do not
 * touch page tables ({@code wait4}, {@code kill}, most {@code madvise} advice, …) and unknown
 * ones are skipped and counted. Which pages a mapping gets is {@link Populate}'s choice, their
 * frames {@link Frames}'; every {@code map} uses policy {@code base}, as faults fill one PTE at a
 * time. The counts go to the trace's header and to {@link Summary}.
 */
public final class StraceImporter {
    private static final Set<String> CLONES = Set.of("clone", "clone3", "fork", "vfork");
    private static final Set<String> EXECS = Set.of("execve", "execveat");
    private static final Set<String> EXITS = Set.of("exit", "exit_group");

    /**
     * What to import with.
     *
     * @param geometry the layout the trace runs on (default {@code x86-64/4level}: user addresses
     *     on x86-64 are 47-bit)
     * @param populate how much of each mapping gets pages
     * @param seed seeds every random choice (which pages, which frames)
     * @param lenient skip and count garbage lines instead of failing on the first
     * @param move write an {@code mremap} that moves pages as a {@code move} statement ({@code
     *     move_page_tables}, the default); otherwise as {@code unmap} + {@code map} of the same
     *     frames, for a design without move
     */
    public record Options(Geometry geometry, Populate populate, long seed, boolean lenient,
            boolean move) {
        /** {@code x86-64/4level}, populate all, seed 1, strict, moves as {@code move}. */
        public static Options defaults() {
            return new Options(Geometries.X86_64_4LEVEL, Populate.ALL, 1, false, true);
        }
    }

    /**
     * What an import found and wrote.
     *
     * @param handled memory calls written as statements (or found to change nothing), by name
     * @param skipped calls skipped because they do not touch page tables or are unknown, by name
     * @param failed calls that failed, by name
     * @param garbage lines skipped as garbage ({@code --lenient})
     */
    public record Summary(int logLines, int events, int statements, int spaces, long pagesMapped,
            int moves, Map<String, Integer> handled, Map<String, Integer> skipped,
            Map<String, Integer> failed, List<Integer> garbage, int signals) {
        public Summary {
            handled = Map.copyOf(handled);
            skipped = Map.copyOf(skipped);
            failed = Map.copyOf(failed);
            garbage = List.copyOf(garbage);
        }
    }

    /**
     * An import: the trace as text (what {@code -o} writes) and parsed, and its summary.
     */
    public record Result(String text, Trace trace, Summary summary) { }

    private StraceImporter() { }

    /** Imports the log file {@code log}; messages name it as given. */
    public static Result importLog(Path log, Options o) throws IOException {
        return importLog(log.toString(), Files.readString(log, StandardCharsets.UTF_8), o);
    }

    /**
     * Imports {@code text}, a log called {@code source}.
     *
     * @throws StraceFormatException at a garbage line (unless lenient) or a call the importer
     *     cannot follow (an address outside the geometry, an argument that is no number)
     */
    public static Result importLog(String source, String text, Options o) {
        StraceLog log = StraceLog.parse(source, text, o.lenient());
        Importer imp = new Importer(source, log, o);
        imp.run();
        Output out = imp.out;
        Summary summary = new Summary(log.lines(), log.events().size(), out.statements,
                out.spaces, out.pagesMapped, out.moves, out.handled, out.skipped, out.failed,
                log.garbage(),
                log.signals());
        String traceText = text(source, log, o, summary, out.lines());
        Trace trace = TraceParser.parse(traceName(source), traceText);
        return new Result(traceText, trace, summary);
    }

    private static String traceName(String source) {
        return source.replaceFirst("\\.(strace|log)$", "") + ".trace";
    }

    /** The trace's text: a header of comments saying how it was made, then the statements. */
    private static String text(String source, StraceLog log, Options o, Summary s,
            List<String> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ptarena import-strace of ").append(Path.of(source).getFileName()).append('\n');
        for (String h : log.header()) sb.append("# log: ").append(h).append('\n');
        sb.append("# populate ").append(o.populate().word()).append(", seed ").append(o.seed())
                .append(": strace sees no page faults; which pages a mapping has and their pfns")
                .append(" are chosen (see Populate, Frames)\n");
        sb.append("# not in the log: what the kernel maps at execve (program, interpreter, stack,")
                .append(" vdso)\n");
        sb.append("# ").append(s.logLines()).append(" log lines, ").append(s.events())
                .append(" events: ").append(s.statements()).append(" statements, ")
                .append(s.spaces()).append(" address spaces, ").append(s.pagesMapped())
                .append(" pages mapped, ").append(s.moves()).append(o.move() ? " moves\n"
                        : " moves as unmap + map\n");
        sb.append("# calls written: ").append(Output.list(new java.util.TreeMap<>(s.handled())))
                .append('\n');
        sb.append("# skipped calls: ").append(Output.list(new java.util.TreeMap<>(s.skipped())))
                .append('\n');
        sb.append("# failed calls: ").append(Output.list(new java.util.TreeMap<>(s.failed())))
                .append('\n');
        if (!s.garbage().isEmpty()) {
            sb.append("# garbage lines skipped (--lenient): ").append(s.garbage().size())
                    .append(", first at line ").append(s.garbage().get(0)).append('\n');
        }
        sb.append("geometry ").append(o.geometry().name()).append('\n');
        for (String l : lines) sb.append(l).append('\n');
        return sb.toString();
    }

    /** One import: the processes and their address spaces as the log goes. */
    private static final class Importer {
        private final StraceLog log;
        private final Output out;
        private final MemoryCalls memory;
        private final int pageShift;
        private final Map<Integer, Space> byPid = new HashMap<>();
        private final Map<String, Integer> ids = new HashMap<>();
        /** Child pid → indices of the clone calls returning it, in log order. */
        private final Map<Integer, Deque<Integer>> cloneOf = new HashMap<>();
        /** Indices of clone calls already carried out (their child showed up first). */
        private final Set<Integer> cloned = new HashSet<>();

        Importer(String source, StraceLog log, Options o) {
            this.log = log;
            this.out = new Output(o.geometry());
            this.memory = new MemoryCalls(source, o.geometry(), out, o.populate(),
                    new SplittableRandom(o.seed()), o.move());
            this.pageShift = o.geometry().pageShift();
        }

        void run() {
            List<StraceLog.Event> ev = log.events();
            for (int i = 0; i < ev.size(); i++) {
                if (ev.get(i) instanceof StraceLog.Call c && CLONES.contains(c.name())
                        && !c.failed()) {
                    cloneOf.computeIfAbsent((int) c.value(), k -> new ArrayDeque<>()).add(i);
                }
            }
            for (int i = 0; i < ev.size(); i++) {
                StraceLog.Event e = ev.get(i);
                if (e instanceof StraceLog.Exit x) {
                    Space s = byPid.remove(x.pid());
                    if (s != null) release(s, x.line(), "exit");
                    continue;
                }
                StraceLog.Call c = (StraceLog.Call) e;
                boolean exec = EXECS.contains(c.name()) && !c.failed();
                if (!byPid.containsKey(c.pid()) && !exec) ensure(c.pid(), c.line());
                call(c, i);
            }
            List<String> alive = new ArrayList<>();
            for (Space s : new LinkedHashMap<>(byPid).values()) {
                if (!alive.contains(s.id)) alive.add(s.id);
            }
            if (!alive.isEmpty()) out.comment("still in use when the log ends: " + alive);
        }

        private void call(StraceLog.Call c, int index) {
            if (EXITS.contains(c.name())) return;
            if (c.failed()) {
                Output.count(out.failed, c.name());
                return;
            }
            if (CLONES.contains(c.name())) {
                if (cloned.remove(index)) return;
                Deque<Integer> d = cloneOf.get((int) c.value());
                if (d != null) d.remove(index);
                clone(c);
            } else if (EXECS.contains(c.name())) {
                exec(c);
            } else if (!memory.handle(byPid.get(c.pid()), c)) {
                Output.count(out.skipped, c.name());
            }
        }

        /** Makes sure {@code pid} has an address space: from its clone, or a new empty one. */
        private void ensure(int pid, int line) {
            if (byPid.containsKey(pid)) return;
            Deque<Integer> d = cloneOf.get(pid);
            if (d != null && !d.isEmpty()) {
                int j = d.poll();
                StraceLog.Call c = (StraceLog.Call) log.events().get(j);
                cloned.add(j);
                ensure(c.pid(), line);
                clone(c);
                return;
            }
            Space s = newSpace(pid, line, "pid " + pid + " first seen");
            out.comment("pid " + pid + " first seen at log line " + line
                    + ": what it mapped before the log is unknown");
            byPid.put(pid, s);
        }

        private void clone(StraceLog.Call c) {
            Space parent = byPid.get(c.pid());
            int child = (int) c.value();
            if (sharesMemory(c)) {
                parent.users++;
                byPid.put(child, parent);
                out.comment("pid " + child + " shares " + parent.id + " (" + c.name()
                        + (c.name().equals("vfork") ? "" : " with CLONE_VM") + ", log line "
                        + c.line() + ")");
                return;
            }
            Space s = newSpace(child, c.line(), c.name() + " of " + parent.id);
            s.brk = parent.brk;
            s.brkStart = parent.brkStart;
            for (Space.Vma v : new ArrayList<>(parent.vmas.values())) {
                if (v.dontFork()) continue;
                out.op(new Op.CopyOp(s.id, parent.id, v.start(), v.end(), v.cow()), c.line(),
                        c.name());
                s.add(v);
                if (v.cow()) parent.writeProtect(v);
            }
            for (Space.Run r : parent.runs.values()) {
                var v = s.vmas.floorEntry(r.start());
                if (v != null && v.getValue().end() > r.start()) s.add(r);
            }
            byPid.put(child, s);
        }

        private void exec(StraceLog.Call c) {
            Space old = byPid.get(c.pid());
            Space s = newSpace(c.pid(), c.line(), c.name() + " " + program(c));
            byPid.put(c.pid(), s);
            if (old != null) release(old, c.line(), c.name());
        }

        private Space newSpace(int pid, int line, String what) {
            String base = "p" + pid;
            int n = ids.merge(base, 1, Integer::sum);
            Space s = new Space(n == 1 ? base : base + "." + (n - 1), pageShift);
            s.users = 1;
            out.op(new Op.MmOp(s.id), line, what);
            return s;
        }

        private void release(Space s, int line, String what) {
            if (--s.users == 0) out.op(new Op.DropOp(s.id), line, what);
        }

        /** Whether a clone-family call keeps the parent's address space. */
        private static boolean sharesMemory(StraceLog.Call c) {
            if (c.name().equals("vfork")) return true;
            if (c.name().equals("fork")) return false;
            for (String a : c.args()) {
                int at = a.indexOf("flags=");
                if (at < 0) continue;
                String f = a.substring(at + 6).split("[,}]", 2)[0];
                for (String flag : f.split("\\|")) {
                    if (flag.strip().equals("CLONE_VM")) return true;
                    if (flag.strip().matches("0x[0-9a-f]+")
                            && (StraceLog.number(flag.strip()) & 0x100) != 0) {
                        return true;
                    }
                }
                return false;
            }
            return false;
        }

        /** The program's base name: no directory of the machine goes into the trace. */
        private static String program(StraceLog.Call c) {
            if (c.args().isEmpty()) return "";
            String a = c.args().get(c.name().equals("execveat") && c.args().size() > 1 ? 1 : 0);
            a = a.replaceAll("^\"|\"(\\.\\.\\.)?$", "");
            return a.substring(a.lastIndexOf('/') + 1);
        }
    }
}

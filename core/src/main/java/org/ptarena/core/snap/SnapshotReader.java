package org.ptarena.core.snap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code .snap} file. The format is line-oriented text, compact because every number is
 * bare lowercase hex (as in {@code /proc/PID/maps}) and a run of present pages takes one short
 * line. The grammar, one statement form a line, each with an example:
 *
 * <pre>
 * # TEXT                          # python3 -c …; kernel 6.1.0; 2025-11-22   (notes)
 * snapshot 1                      snapshot 1                  (first statement: format version)
 * arch NAME                       arch x86_64                 (uname -m of the machine)
 * page-shift N                    page-shift 12               (log2 of the base page, decimal)
 * pfns real|synthetic             pfns real                   (see ProcCapture)
 * vma START-END PERMS [NAME]      vma 7f52cb9e7000-7f52cb9e9000 rw-p libc.so.6
 * OFFSET PAGES PFN [thp]          ␣200 200 3ae00 thp          (a run of the VMA above)
 * </pre>
 *
 * <p>Numbers are hex except {@code N}. {@code arch}, {@code page-shift} and {@code pfns} come
 * once each, after {@code snapshot} and before the first {@code vma}. A VMA is {@code
 * START-END}, page aligned, {@code START < END}, at or above the previous VMA's end; {@code
 * PERMS} is the four letters of {@code maps} ({@code r w x} or {@code -}, then {@code p} or
 * {@code s}); {@code NAME} is the rest of the line: {@code [heap]}, {@code [stack]}, a file's
 * base name, or nothing for anonymous memory. A run line (it starts with a hex digit, and is
 * written indented by one space) belongs to the VMA above it: {@code OFFSET} is its first page
 * counted from the VMA's start, {@code PAGES} (at least 1) its length, {@code PFN} the frame of
 * its first page, the others following consecutively; runs ascend, do not overlap and stay
 * inside their VMA. {@code thp} marks a transparent huge page mapped by a PMD: its address and
 * pfn are aligned to {@code 2^(page-shift - 3)} pages (2M on 4K pages) and it is a whole number
 * of such spans long.
 *
 * <p>{@code #} starts a comment anywhere except on a {@code vma} line (a name may hold one); the
 * comments before {@code snapshot} are the snapshot's notes, which say how it was made. Every
 * error is a {@link SnapshotFormatException} reading {@code file:line: what: value — expected
 * …}.
 */
public final class SnapshotReader {
    private static final Set<String> PFNS = Set.of("real", "synthetic");

    private SnapshotReader() { }

    /** Reads {@code file}; its name as given appears in messages. */
    public static Snapshot read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the whole of {@code text}; {@code source} names it in messages.
     *
     * @throws SnapshotFormatException at the first malformed line
     */
    public static Snapshot parse(String source, String text) {
        return new Parser(source).parse(text.split("\r\n|\n|\r", -1));
    }

    /** The state of one parse: the header read so far and the VMA being filled. */
    private static final class Parser {
        private final String source;
        private final List<String> notes = new ArrayList<>();
        private final List<Snapshot.Vma> vmas = new ArrayList<>();
        private int line;
        private boolean started;
        private String arch;
        private int pageShift = -1;
        private Boolean realPfns;
        private long vStart;
        private long vEnd;
        private String vPerms;
        private String vName;
        private List<Snapshot.Run> vRuns;
        private long runEnd;

        Parser(String source) {
            this.source = source;
        }

        Snapshot parse(String[] lines) {
            for (line = 1; line <= lines.length; line++) {
                String raw = lines[line - 1];
                String text = raw.strip();
                if (text.startsWith("#")) {
                    if (!started) notes.add(text.substring(1).strip());
                    continue;
                }
                if (!text.startsWith("vma ")) text = uncomment(text);
                if (text.isEmpty()) continue;
                statement(text);
            }
            line = Math.max(1, lines.length);
            if (!started) throw error("empty snapshot", "", "a first line 'snapshot 1'");
            requireHeader();
            closeVma();
            return new Snapshot(notes, arch, pageShift, realPfns, vmas);
        }

        private void statement(String text) {
            String[] t = text.split("[ \t]+");
            if (!started) {
                if (!t[0].equals("snapshot") || t.length != 2) {
                    throw error("not a snapshot", text, "a first line 'snapshot 1'");
                }
                if (!t[1].equals(Integer.toString(Snapshot.VERSION))) {
                    throw error("unknown version", t[1], "version " + Snapshot.VERSION);
                }
                started = true;
                return;
            }
            switch (t[0]) {
                case "snapshot" -> throw error("second snapshot line", text, "it once, first");
                case "arch" -> {
                    header(arch, t, "arch NAME");
                    arch = t[1];
                }
                case "page-shift" -> {
                    header(pageShift < 0 ? null : "", t, "page-shift N");
                    if (!t[1].matches("1[0-9]|20")) {
                        throw error("page shift", t[1], "a decimal from 10 to 20, such as 12");
                    }
                    pageShift = Integer.parseInt(t[1]);
                }
                case "pfns" -> {
                    header(realPfns, t, "pfns real|synthetic");
                    if (!PFNS.contains(t[1])) throw error("pfns", t[1], "real or synthetic");
                    realPfns = t[1].equals("real");
                }
                case "vma" -> vma(text);
                default -> {
                    if (Character.digit(t[0].charAt(0), 16) < 0) {
                        throw error("unknown statement", t[0],
                                "snapshot, arch, page-shift, pfns, vma or a run line");
                    }
                    run(t);
                }
            }
        }

        private void header(Object seen, String[] t, String usage) {
            if (!vmas.isEmpty() || vRuns != null) {
                throw error("header after the first vma", t[0], "it before every vma");
            }
            if (seen != null) throw error("repeated", t[0], "it once");
            if (t.length != 2) throw error("malformed", String.join(" ", t), usage);
        }

        private void requireHeader() {
            if (arch == null) throw error("missing arch", "", "arch NAME before the first vma");
            if (pageShift < 0) throw error("missing page-shift", "", "page-shift N");
            if (realPfns == null) throw error("missing pfns", "", "pfns real|synthetic");
        }

        private void vma(String text) {
            requireHeader();
            closeVma();
            String[] t = text.split("[ \t]+", 4);
            if (t.length < 3) throw error("malformed vma", text, "vma START-END PERMS [NAME]");
            int dash = t[1].indexOf('-');
            if (dash < 0) throw error("vma range", t[1], "START-END in hex");
            long start = hex(t[1].substring(0, dash), "vma start");
            long end = hex(t[1].substring(dash + 1), "vma end");
            long mask = (1L << pageShift) - 1;
            if ((start & mask) != 0 || (end & mask) != 0) {
                throw error("vma not page aligned", t[1],
                        "multiples of 0x" + Long.toHexString(mask + 1));
            }
            if (Long.compareUnsigned(end, start) <= 0) {
                throw error("vma end not above start", t[1], "START < END");
            }
            long prevEnd = vmas.isEmpty() ? 0 : vmas.get(vmas.size() - 1).end();
            if (!vmas.isEmpty() && Long.compareUnsigned(start, prevEnd) < 0) {
                throw error("vma overlaps or precedes the previous one", t[1],
                        "VMAs in ascending order, none overlapping");
            }
            if (!t[2].matches("[r-][w-][x-][ps]")) {
                throw error("perms", t[2], "four letters like rw-p (r w x or -, then p or s)");
            }
            vStart = start;
            vEnd = end;
            vPerms = t[2];
            vName = t.length > 3 ? t[3].strip() : "";
            vRuns = new ArrayList<>();
            runEnd = start;
        }

        private void run(String[] t) {
            if (vRuns == null) {
                throw error("run before any vma", String.join(" ", t), "a vma line first");
            }
            if (t.length < 3 || t.length > 4 || t.length == 4 && !t[3].equals("thp")) {
                throw error("malformed run", String.join(" ", t), "OFFSET PAGES PFN [thp]");
            }
            long offset = hex(t[0], "run offset");
            long pages = hex(t[1], "run pages");
            long pfn = hex(t[2], "run pfn");
            boolean thp = t.length == 4;
            if (pages == 0) throw error("empty run", t[1], "at least one page");
            long vmaPages = (vEnd - vStart) >>> pageShift;
            if (Long.compareUnsigned(offset, vmaPages) >= 0
                    || Long.compareUnsigned(pages, vmaPages - offset) > 0) {
                throw error("run outside its vma", t[0] + " " + t[1],
                        "pages within the vma's 0x" + Long.toHexString(vmaPages));
            }
            long start = vStart + (offset << pageShift);
            if (Long.compareUnsigned(start, runEnd) < 0) {
                throw error("run overlaps or precedes the previous one", t[0],
                        "an offset of at least 0x"
                                + Long.toHexString((runEnd - vStart) >>> pageShift));
            }
            if (thp) {
                long span = 1L << (pageShift - 3);
                if (((start >>> pageShift) & (span - 1)) != 0 || (pfn & (span - 1)) != 0
                        || (pages & (span - 1)) != 0) {
                    throw error("thp run not aligned", String.join(" ", t), "address, pfn and"
                            + " length multiples of 0x" + Long.toHexString(span) + " pages");
                }
            }
            vRuns.add(new Snapshot.Run(start, pages, pfn, thp));
            runEnd = start + (pages << pageShift);
        }

        private void closeVma() {
            if (vRuns == null) return;
            vmas.add(new Snapshot.Vma(vStart, vEnd, vPerms, vName, vRuns));
            vRuns = null;
        }

        private long hex(String s, String what) {
            if (s.isEmpty() || s.length() > 16 || !s.matches("[0-9a-f]+")) {
                throw error(what, s, "a hex number (lowercase, no 0x)");
            }
            return Long.parseUnsignedLong(s, 16);
        }

        private static String uncomment(String s) {
            int hash = s.indexOf('#');
            return hash < 0 ? s : s.substring(0, hash).strip();
        }

        private SnapshotFormatException error(String what, String value, String expected) {
            return new SnapshotFormatException(source, line, what, value, expected);
        }
    }
}

package org.ptarena.core.strace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Physical memory as the importer hands it out: pfns for the pages a mapping gets, in runs of
 * consecutive frames whose lengths follow what a real machine shows. The lengths were measured
 * on the five snapshots under workloads/snapshots (captured as root, real pfns; counted with the
 * runs as the files store them): of 5844 runs of anonymous pages 94% were single frames and 6%
 * two to seven; of 10051 runs of file pages 73% were single, 21% two to seven and 6% longer — a
 * busy machine's free lists hand out scattered frames, and the page cache was filled at many
 * different times. So a run is:
 *
 * <ul>
 * <li>anonymous: one frame (94%) or 2–7 frames (6%);</li>
 * <li>file: one frame (73%), 2–7 frames (21%), or 8, 16, 32 or 64 frames (6%);</li>
 * </ul>
 *
 * <p>and the next run starts 1–64 frames further on (other allocations in between). Frames
 * ascend from {@value #FIRST} (4 GiB on 4K pages) and are never reused. File pages are shared:
 * when the log names the file ({@code strace -y}), page {@code i} of a file has one frame for
 * every process that maps it (the page cache), so a library mapped by a parent and a child after
 * {@code execve} has the same pfns in both. A file the log does not name gets fresh frames.
 */
final class Frames {
    /** The first frame handed out. */
    static final long FIRST = 0x100000;

    private final SplittableRandom rnd;
    private final Map<String, Map<Long, Long>> pageCache = new HashMap<>();
    private long next = FIRST;

    Frames(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** Frames for {@code pages} anonymous pages, as {@code {pfn, count}} runs. */
    List<long[]> anon(long pages) {
        List<long[]> out = new ArrayList<>();
        for (long left = pages; left > 0; ) {
            long n = Math.min(left, anonRun());
            out.add(new long[] {take(n), n});
            left -= n;
        }
        return out;
    }

    /**
     * Frames for pages {@code first … first + pages - 1} of {@code file} (null: a file the log
     * does not name), as {@code {pfn, count}} runs: cached pages keep their frame, missing ones
     * get new frames.
     */
    List<long[]> file(String file, long first, long pages) {
        if (file == null) return fresh(pages);
        Map<Long, Long> cache = pageCache.computeIfAbsent(file, f -> new HashMap<>());
        List<long[]> out = new ArrayList<>();
        long i = 0;
        while (i < pages) {
            Long pfn = cache.get(first + i);
            if (pfn == null) {
                long n = 1;
                while (i + n < pages && !cache.containsKey(first + i + n)) n++;
                for (long[] r : fresh(n)) {
                    for (long k = 0; k < r[1]; k++) cache.put(first + i + k, r[0] + k);
                    append(out, r[0], r[1]);
                    i += r[1];
                }
            } else {
                append(out, pfn, 1);
                i++;
            }
        }
        return out;
    }

    private List<long[]> fresh(long pages) {
        List<long[]> out = new ArrayList<>();
        for (long left = pages; left > 0; ) {
            long n = Math.min(left, fileRun());
            out.add(new long[] {take(n), n});
            left -= n;
        }
        return out;
    }

    /** Adds one frame run, joining it to the last when the frames go on consecutively. */
    private static void append(List<long[]> out, long pfn, long n) {
        long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last[0] + last[1] == pfn) last[1] += n;
        else out.add(new long[] {pfn, n});
    }

    private long take(long n) {
        long pfn = next;
        next += n + 1 + rnd.nextInt(64);
        return pfn;
    }

    private long anonRun() {
        return rnd.nextDouble() < 0.94 ? 1 : 2 + rnd.nextInt(6);
    }

    private long fileRun() {
        double r = rnd.nextDouble();
        if (r < 0.73) return 1;
        if (r < 0.94) return 2 + rnd.nextInt(6);
        return 8L << rnd.nextInt(4);
    }
}

package org.ptarena.ptptr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an address space maps, page by page, as sorted runs of pages: page number → (pfn, prot).
 * Knows nothing of tables, levels or units, so it checks an implementation independently of how
 * it chose its units. Page numbers (address >>> pageShift) stay positive even at 2^63.
 */
final class PageModel {
    /** Pages {@code [start, end)} map to {@code pfn, pfn + 1, …} with {@code prot}. */
    record Seg(long start, long end, long pfn, int prot) { }

    private final TreeMap<Long, Seg> segs = new TreeMap<>();

    PageModel copy() {
        PageModel m = new PageModel();
        m.segs.putAll(segs);
        return m;
    }

    boolean any(long start, long end) {
        Map.Entry<Long, Seg> below = segs.lowerEntry(end);
        return below != null && below.getValue().end() > start;
    }

    long pages() {
        long n = 0;
        for (Seg s : segs.values()) n += s.end() - s.start();
        return n;
    }

    Seg at(long page) {
        Map.Entry<Long, Seg> e = segs.floorEntry(page);
        return e != null && e.getValue().end() > page ? e.getValue() : null;
    }

    void put(long start, long end, long pfn, int prot) {
        segs.put(start, new Seg(start, end, pfn, prot));
    }

    /** Removes {@code [start, end)}; returns pages removed. */
    long remove(long start, long end) {
        long n = 0;
        for (Seg s : slice(start, end)) {
            segs.remove(s.start());
            n += s.end() - s.start();
        }
        return n;
    }

    /** Sets {@code prot} on {@code [start, end)}; returns pages whose prot changed. */
    long protect(long start, long end, int prot) {
        long n = 0;
        for (Seg s : slice(start, end)) {
            if (s.prot() == prot) continue;
            n += s.end() - s.start();
            segs.put(s.start(), new Seg(s.start(), s.end(), s.pfn(), prot));
        }
        return n;
    }

    /** The segments inside {@code [start, end)}, cut at its edges (the model is cut too). */
    List<Seg> slice(long start, long end) {
        cut(start);
        cut(end);
        return new ArrayList<>(segs.subMap(start, end).values());
    }

    private void cut(long page) {
        Seg s = at(page);
        if (s == null || s.start() == page) return;
        segs.put(s.start(), new Seg(s.start(), page, s.pfn(), s.prot()));
        segs.put(page, new Seg(page, s.end(), s.pfn() + (page - s.start()), s.prot()));
    }

    /** The segments with neighbours merged where pages and pfns run on with one prot. */
    List<Seg> merged() {
        return merge(new ArrayList<>(segs.values()));
    }

    static List<Seg> merge(List<Seg> in) {
        List<Seg> out = new ArrayList<>();
        for (Seg s : in) {
            Seg last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == s.start() && last.prot() == s.prot()
                    && last.pfn() + (last.end() - last.start()) == s.pfn()) {
                out.set(out.size() - 1, new Seg(last.start(), s.end(), last.pfn(), last.prot()));
            } else {
                out.add(s);
            }
        }
        return out;
    }
}

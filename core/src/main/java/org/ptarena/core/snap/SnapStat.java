package org.ptarena.core.snap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a snapshot's present pages are laid out, and how many of them larger units could hold if
 * the kernel folded them: the finding for the arm64 contiguous bit the 2020 vpte_iter thread
 * asked about. A <em>block</em> is an aligned stretch of {@code 2^order} base pages inside one
 * VMA (the kernel never folds across VMAs): 64 KiB (the arm64 contiguous PTE run, 16 PTEs on 4K
 * pages) and the PMD span (2 MiB on 4K pages). The 64 KiB columns leave out pages that THPs
 * already map with a PMD; the PMD columns include them.
 *
 * <ul>
 * <li><b>present</b>: pages in blocks whose every page is present — an upper bound, what a
 *     kernel could reach if it also chose the frames (large folios allocated at fault).</li>
 * <li><b>foldable</b>: pages in blocks whose every page is present and whose pfns are
 *     consecutive with the first aligned to the block — what {@code contpte_try_fold} or a
 *     PMD collapse in place could use today. Meaningful with real pfns only; for synthetic pfns
 *     it is reported as unknown.</li>
 * </ul>
 *
 * @param name what the snapshot is called (its file name without {@code .snap})
 * @param vmas VMAs
 * @param pages present pages
 * @param runs runs as the snapshot stores them (present pages with consecutive pfns, cut at THPs)
 * @param realPfns whether the foldable columns mean anything
 * @param thpPages pages in runs marked {@code thp}
 * @param contigOrder log2 of a contiguous block in base pages (4 on 4K pages: 64 KiB)
 * @param contigPresent pages in fully present contiguous blocks
 * @param contigFoldable pages in foldable contiguous blocks
 * @param pmdOrder log2 of a PMD block in base pages (9 on 4K pages: 2 MiB)
 * @param pmdPresent pages in fully present PMD blocks
 * @param pmdFoldable pages in foldable PMD blocks
 */
public record SnapStat(
        String name,
        long vmas,
        long pages,
        long runs,
        boolean realPfns,
        long thpPages,
        int contigOrder,
        long contigPresent,
        long contigFoldable,
        int pmdOrder,
        long pmdPresent,
        long pmdFoldable) {

    /** The arm64 contiguous PTE run: 64 KiB. */
    public static final int CONTIG_SHIFT = 16;

    /** The statistics of {@code s}. */
    public static SnapStat of(String name, Snapshot s) {
        int contigOrder = Math.max(0, CONTIG_SHIFT - s.pageShift());
        int pmdOrder = s.thpOrder();
        long thp = 0;
        long[] contig = new long[2];
        long[] pmd = new long[2];
        for (Snapshot.Vma v : s.vmas()) {
            for (Snapshot.Run r : v.runs()) if (r.thp()) thp += r.pages();
            blocks(s, v, contigOrder, contig, true);
            blocks(s, v, pmdOrder, pmd, false);
        }
        return new SnapStat(name, s.vmas().size(), s.pages(), s.runs(), s.realPfns(), thp,
                contigOrder, contig[0], contig[1], pmdOrder, pmd[0], pmd[1]);
    }

    /**
     * The sum of {@code stats} as one row called {@code name}: counts added, so shares are
     * weighted by pages; foldable shares only when every snapshot has real pfns.
     */
    public static SnapStat total(String name, List<SnapStat> stats) {
        long vmas = 0, pages = 0, runs = 0, thp = 0, cp = 0, cf = 0, pp = 0, pf = 0;
        boolean real = true;
        for (SnapStat s : stats) {
            vmas += s.vmas;
            pages += s.pages;
            runs += s.runs;
            thp += s.thpPages;
            cp += s.contigPresent;
            cf += s.contigFoldable;
            pp += s.pmdPresent;
            pf += s.pmdFoldable;
            real &= s.realPfns;
        }
        SnapStat first = stats.get(0);
        return new SnapStat(name, vmas, pages, runs, real, thp, first.contigOrder, cp, cf,
                first.pmdOrder, pp, pf);
    }

    /**
     * Adds to {@code out[0]} the pages of {@code v} in fully present aligned blocks of {@code
     * 2^order} pages, and to {@code out[1]} those of them whose pfns are consecutive and aligned;
     * with {@code outsideThp}, pages of THP runs count as absent (a PMD maps them already).
     */
    private static void blocks(Snapshot s, Snapshot.Vma v, int order, long[] out,
            boolean outsideThp) {
        long size = 1L << order;
        int shift = s.pageShift();
        long presentFrom = -1;  // first page of the present stretch being grown
        long presentTo = -1;
        long pfnFrom = -1;      // first page of the consecutive-pfn stretch being grown
        long pfnTo = -1;
        long pfnAtFrom = 0;
        for (Snapshot.Run r : v.runs()) {
            if (outsideThp && r.thp()) continue;
            long from = r.start() >>> shift;
            long to = from + r.pages();
            if (from != presentTo) {
                out[0] += aligned(presentFrom, presentTo, size);
                presentFrom = from;
            }
            presentTo = to;
            if (from != pfnTo || r.pfn() != pfnAtFrom + (from - pfnFrom)) {
                out[1] += foldable(pfnFrom, pfnTo, pfnAtFrom, size);
                pfnFrom = from;
                pfnAtFrom = r.pfn();
            }
            pfnTo = to;
        }
        out[0] += aligned(presentFrom, presentTo, size);
        out[1] += foldable(pfnFrom, pfnTo, pfnAtFrom, size);
    }

    /** Pages of {@code [from, to)} in aligned blocks of {@code size} pages wholly inside it. */
    private static long aligned(long from, long to, long size) {
        if (from < 0) return 0;
        long first = (from + size - 1) & -size;
        long last = to & -size;
        return last > first ? last - first : 0;
    }

    /** Pages in aligned blocks of consecutive pages {@code [from, to)} whose pfns align too. */
    private static long foldable(long from, long to, long pfnAtFrom, long size) {
        if (from < 0) return 0;
        // pfn - page is constant in the stretch: a block aligned in pages is aligned in pfns iff
        // that difference is a multiple of the block.
        if (((pfnAtFrom - from) & (size - 1)) != 0) return 0;
        return aligned(from, to, size);
    }

    /** {@code part} as a percentage of {@code pages}, or {@code -} when there are no pages. */
    private static String pct(long part, long pages) {
        return pages == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / pages);
    }

    private String foldable(long part) {
        return realPfns ? pct(part, pages) : "n/a";
    }

    /** The column headings of {@link #row}, in order. */
    public static List<String> headings(int contigOrder, int pmdOrder, int pageShift) {
        String c = size(contigOrder + pageShift);
        String p = size(pmdOrder + pageShift);
        return List.of("snapshot", "VMAs", "pages", "runs", "pfns", "THP",
                c + " present", c + " foldable", p + " present", p + " foldable");
    }

    /** One row: counts, then shares of the present pages. */
    public List<String> row() {
        return List.of(name, Long.toString(vmas), Long.toString(pages), Long.toString(runs),
                realPfns ? "real" : "synthetic", pct(thpPages, pages),
                pct(contigPresent, pages), foldable(contigFoldable),
                pct(pmdPresent, pages), foldable(pmdFoldable));
    }

    /** A plain-text table, columns aligned, for a terminal. */
    public static String table(List<SnapStat> stats, int pageShift) {
        List<List<String>> rows = rows(stats, pageShift);
        int[] w = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String cell = r.get(i);
                String pad = " ".repeat(w[i] - cell.length());
                line.append(i == 0 ? cell + pad : "  " + pad + cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The same table in Markdown, for a report or a README. */
    public static String markdown(List<SnapStat> stats, int pageShift) {
        List<List<String>> rows = rows(stats, pageShift);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            sb.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                sb.append("| --- |").append(" ---: |".repeat(rows.get(0).size() - 1))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static List<List<String>> rows(List<SnapStat> stats, int pageShift) {
        int contigOrder = stats.isEmpty() ? CONTIG_SHIFT - pageShift : stats.get(0).contigOrder;
        int pmdOrder = stats.isEmpty() ? pageShift - 3 : stats.get(0).pmdOrder;
        List<List<String>> rows = new ArrayList<>();
        rows.add(headings(contigOrder, pmdOrder, pageShift));
        for (SnapStat s : stats) rows.add(s.row());
        return rows;
    }

    private static String size(int shift) {
        return shift >= 20 ? (1 << (shift - 20)) + "M" : (1 << (shift - 10)) + "K";
    }
}

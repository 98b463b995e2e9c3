package org.ptarena.report;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The statistics of the report, the benchstat way (golang.org/x/perf/benchmath,
 * {@code AssumeNothing}): the sample unit is one JMH fork; the centre is the median with a
 * distribution-free interval from order statistics; two samples are compared with the exact
 * Mann–Whitney U test, with Welch's t beside it as a second opinion; the ratio of medians gets a
 * seeded bootstrap interval; many ratios are summarised by their geometric mean. Pure functions
 * of their arguments: the same input always gives the same output.
 */
public final class Stats {
    /** Significance level of the U test. */
    public static final double ALPHA = 0.05;
    /** Confidence of every interval. */
    public static final double CONFIDENCE = 0.95;
    /** Bootstrap resamples per ratio. */
    public static final int RESAMPLES = 10_000;
    /** Above this many labellings, the exact test with ties gives way to the normal one. */
    static final long EXACT_TIES_LIMIT = 2_000_000;

    private Stats() { }

    /** A centre and its confidence interval; infinite ends when the sample is too small. */
    public record Summary(int n, double center, double lo, double hi, double confidence) {
        /** Whether both ends of the interval are finite. */
        public boolean bounded() {
            return !Double.isInfinite(lo) && !Double.isInfinite(hi);
        }

        /** Half-width of the interval relative to the centre (benchstat's "± x%"), a fraction. */
        public double relativeHalfWidth() {
            if (!bounded()) return Double.POSITIVE_INFINITY;
            if (center == 0) return lo == 0 && hi == 0 ? 0 : Double.NaN;
            return Math.max(hi - center, center - lo) / Math.abs(center);
        }
    }

    /**
     * The order statistics that bound a confidence interval of a quantile: {@code loOrder} and
     * {@code hiOrder} are 1-based ranks into the sorted sample; 0 or {@code n + 1} mean an
     * infinite bound.
     */
    public record QuantileCi(int n, int loOrder, int hiOrder, double confidence) { }

    /** The median of {@code xs} (the mean of the middle two for an even count); NaN if empty. */
    public static double median(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double[] s = xs.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** The arithmetic mean; NaN when empty. */
    public static double mean(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double sum = 0;
        for (double x : xs) sum += x;
        return sum / xs.length;
    }

    /**
     * The order statistics bounding a distribution-free interval of the {@code q}-quantile of a
     * sample of {@code n}: the number of sample values below the population quantile is
     * Binomial(n, q), so starting from its mode the interval takes the more probable neighbour
     * (the left one on a tie) until the covered probability reaches {@code confidence}. This is
     * go-moremath's {@code QuantileCI} for {@code n <= 30}, used here for every n.
     */
    public static QuantileCi quantileCi(int n, double q, double confidence) {
        if (confidence >= 1) return new QuantileCi(n, 0, n + 1, 1);
        int x = q == 0 ? 0 : (int) Math.ceil((n + 1) * q) - 1;
        double accum = binomialPmf(n, q, x);
        int l = x;
        int r = x + 1;              // [l, r): the intervals between order statistics summed so far
        double lp = binomialPmf(n, q, l - 1);
        double rp = binomialPmf(n, q, r);
        while (accum < confidence && (lp > 0 || rp > 0)) {
            if (lp >= rp) {
                accum += lp;
                l--;
                lp = binomialPmf(n, q, l - 1);
            } else {
                accum += rp;
                r++;
                rp = binomialPmf(n, q, r);
            }
        }
        return new QuantileCi(n, Math.max(l, 0), Math.min(r, n + 1), Math.min(accum, 1));
    }

    /** P(X = k) for X ~ Binomial(n, p); 0 outside {@code [0, n]}. */
    static double binomialPmf(int n, double p, int k) {
        if (k < 0 || k > n) return 0;
        if (p == 0) return k == 0 ? 1 : 0;
        if (p == 1) return k == n ? 1 : 0;
        double logC = logFactorial(n) - logFactorial(k) - logFactorial(n - k);
        return Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.log(i);
        return s;
    }

    /**
     * The median of {@code xs} with a distribution-free interval at {@code confidence}. Too few
     * values for the confidence asked (fewer than 6 at 95%) give infinite bounds, as benchstat's
     * "± ∞".
     */
    public static Summary medianSummary(double[] xs, double confidence) {
        int n = xs.length;
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, 0);
        double[] s = xs.clone();
        Arrays.sort(s);
        QuantileCi ci = quantileCi(n, 0.5, confidence);
        double lo = ci.loOrder() < 1 ? Double.NEGATIVE_INFINITY : s[ci.loOrder() - 1];
        double hi = ci.hiOrder() > n ? Double.POSITIVE_INFINITY : s[ci.hiOrder() - 1];
        return new Summary(n, median(s), lo, hi, ci.confidence());
    }

    /** The smallest sample whose median interval at {@code confidence} is finite (6 at 95%). */
    public static int samplesForMedianInterval(double confidence) {
        for (int n = 2; n <= 50; n++) {
            QuantileCi ci = quantileCi(n, 0.5, confidence);
            if (ci.loOrder() > 0 && ci.hiOrder() <= n) return n;
        }
        return Integer.MAX_VALUE;
    }

    /** Result of a Mann–Whitney U test: U of the first sample, two-sided p, and how p was found. */
    public record UTest(double u, double p, int n1, int n2, boolean ties, boolean exact) { }

    /**
     * The two-sided Mann–Whitney U test of {@code x} against {@code y}. Without tied values the
     * p-value is the exact one of commons-statistics-inference. With ties (which fork means
     * seldom have) it is the exact permutation p-value given the ties — what benchstat computes —
     * by enumerating every assignment of the pooled ranks when there are at most
     * {@link #EXACT_TIES_LIMIT}, and the tie-corrected normal approximation otherwise. When every
     * value is equal there is nothing to test: p = 1.
     */
    public static UTest mannWhitney(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("U test needs two non-empty samples");
        }
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults()
                .with(AlternativeHypothesis.TWO_SIDED).with(PValueMethod.EXACT).test(x, y);
        if (!r.hasTiedValues()) {
            return new UTest(r.getStatistic(), r.getPValue(), x.length, y.length, false, true);
        }
        if (binomial(x.length + y.length, x.length) <= EXACT_TIES_LIMIT) {
            double p = exactPermutationP(x, y);
            return new UTest(r.getStatistic(), p, x.length, y.length, true, true);
        }
        return new UTest(r.getStatistic(), r.getPValue(), x.length, y.length, true, false);
    }

    /** Exact two-sided p of U over every way of labelling the pooled sample, ties at mid-ranks. */
    static double exactPermutationP(double[] x, double[] y) {
        int n = x.length;
        int total = n + y.length;
        double[] pooled = new double[total];
        System.arraycopy(x, 0, pooled, 0, n);
        System.arraycopy(y, 0, pooled, n, y.length);
        double[] ranks = midRanks(pooled);
        double observed = 0;
        for (int i = 0; i < n; i++) observed += ranks[i];
        double mean = n * (total + 1) / 2.0;
        double distance = Math.abs(observed - mean) - 1e-9 * total;   // tolerance for summed halves
        long[] counts = {0, 0};     // {as or more extreme, all}
        enumerate(ranks, 0, n, 0, mean, distance, counts);
        return (double) counts[0] / counts[1];
    }

    private static void enumerate(double[] ranks, int from, int left, double sum, double mean,
            double distance, long[] counts) {
        if (left == 0) {
            counts[1]++;
            if (Math.abs(sum - mean) >= distance) counts[0]++;
            return;
        }
        for (int i = from; i <= ranks.length - left; i++) {
            enumerate(ranks, i + 1, left - 1, sum + ranks[i], mean, distance, counts);
        }
    }

    /** Ranks from 1, ties given the average of the ranks they span. */
    static double[] midRanks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] ranks = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) j++;
            double rank = (i + j + 2) / 2.0;
            for (int k = i; k <= j; k++) ranks[idx[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    /** {@code C(n, k)} as a double (exact up to 2^53). */
    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return Math.rint(c);
    }

    /**
     * The smallest two-sided p-value a U test can give for samples of {@code n1} and {@code n2}:
     * both extreme orderings, {@code 2 / C(n1 + n2, n1)}. Above {@link #ALPHA} no difference can
     * be significant, however large (benchstat: "need >= 4 samples to detect a difference at
     * alpha level 0.05").
     */
    public static double minUTestP(int n1, int n2) {
        if (n1 == 0 || n2 == 0) return 1;
        return Math.min(1, 2 / binomial(n1 + n2, n1));
    }

    /** The smallest n such that two samples of n can reach p &lt;= alpha (4 at 0.05). */
    public static int samplesForSignificance(double alpha) {
        for (int n = 1; n <= 20; n++) if (minUTestP(n, n) <= alpha) return n;
        return Integer.MAX_VALUE;
    }

    /**
     * Welch's two-sided t test (unequal variances, commons-math3) of {@code x} against {@code y};
     * NaN when either side has fewer than two values or both have no variance.
     */
    public static double welchP(double[] x, double[] y) {
        if (x.length < 2 || y.length < 2) return Double.NaN;
        if (variance(x) == 0 && variance(y) == 0) return Double.NaN;
        return new TTest().tTest(x, y);
    }

    /** Welch's t statistic of {@code x} against {@code y}; NaN as {@link #welchP}. */
    public static double welchT(double[] x, double[] y) {
        if (x.length < 2 || y.length < 2) return Double.NaN;
        if (variance(x) == 0 && variance(y) == 0) return Double.NaN;
        return new TTest().t(x, y);
    }

    static double variance(double[] xs) {
        double m = mean(xs);
        double s = 0;
        for (double v : xs) s += (v - m) * (v - m);
        return xs.length < 2 ? 0 : s / (xs.length - 1);
    }

    /** A point estimate with an interval. */
    public record Interval(double point, double lo, double hi) { }

    /**
     * The ratio of medians {@code median(num) / median(den)} with a percentile bootstrap interval
     * at {@code confidence}: both samples are resampled with replacement {@code resamples} times
     * from a {@link SplittableRandom} seeded with {@code seed}, so the interval is reproducible.
     */
    public static Interval bootstrapRatio(double[] num, double[] den, int resamples, long seed,
            double confidence) {
        if (num.length == 0 || den.length == 0) {
            throw new IllegalArgumentException("bootstrap needs two non-empty samples");
        }
        double point = median(num) / median(den);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] ratios = new double[resamples];
        double[] a = new double[num.length];
        double[] b = new double[den.length];
        for (int i = 0; i < resamples; i++) {
            for (int j = 0; j < a.length; j++) a[j] = num[rnd.nextInt(num.length)];
            for (int j = 0; j < b.length; j++) b[j] = den[rnd.nextInt(den.length)];
            ratios[i] = sortedMedian(a) / sortedMedian(b);
        }
        Arrays.sort(ratios);
        double tail = (1 - confidence) / 2;
        return new Interval(point, percentile(ratios, tail), percentile(ratios, 1 - tail));
    }

    /** Median of {@code xs}, sorting it in place. */
    private static double sortedMedian(double[] xs) {
        Arrays.sort(xs);
        int m = xs.length / 2;
        return xs.length % 2 == 1 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
    }

    /** The {@code q}-quantile of sorted values, nearest rank (the value at rank ceil(q * n)). */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length - 1e-9);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** The geometric mean of positive values; NaN when empty or any value is not positive. */
    public static double geomean(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double sum = 0;
        for (double x : xs) {
            if (!(x > 0) || Double.isInfinite(x)) return Double.NaN;
            sum += Math.log(x);
        }
        return Math.exp(sum / xs.length);
    }

    /** A seed for one comparison, derived from its name so it does not depend on report order. */
    public static long seed(String name) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0x100000001B3L;
        return h;
    }
}

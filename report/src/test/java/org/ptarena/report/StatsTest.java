package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every statistic against known values: benchstat's own test cases (golang.org/x/perf
 * benchmath/assumption_test.go), textbook examples with published results (R's documentation of
 * wilcox.test and t.test), and values worked out by hand.
 */
class StatsTest {
    private static final double EPS = 1e-9;

    @Test void medianOfOddAndEvenSamples() {
        assertEquals(3, Stats.median(new double[] {5, 1, 3}), EPS);
        assertEquals(3.5, Stats.median(new double[] {-10, 2, 3, 4, 5, 6}), EPS);
        assertTrue(Double.isNaN(Stats.median(new double[0])));
    }

    /**
     * benchstat TestSummaryNone: {-10,2,3,4,5,6} at 95% → 3.5 in [-10, 6], confidence 1 - 0.03125.
     */
    @Test void medianIntervalMatchesBenchstat() {
        Stats.Summary s = Stats.medianSummary(new double[] {-10, 2, 3, 4, 5, 6}, 0.95);
        assertEquals(3.5, s.center(), EPS);
        assertEquals(-10, s.lo(), EPS);
        assertEquals(6, s.hi(), EPS);
        assertEquals(1 - 0.03125, s.confidence(), EPS);
        assertTrue(s.bounded());
    }

    /**
     * benchstat: at 99% six values are not enough ("need >= 8 samples"), nor is one at 95% ("need
     * >= 6").
     */
    @Test void tooFewValuesGiveAnUnboundedInterval() {
        Stats.Summary s99 = Stats.medianSummary(new double[] {-10, 2, 3, 4, 5, 6}, 0.99);
        assertEquals(Double.NEGATIVE_INFINITY, s99.lo());
        assertEquals(Double.POSITIVE_INFINITY, s99.hi());
        Stats.Summary one = Stats.medianSummary(new double[] {1}, 0.95);
        assertEquals(1, one.center(), EPS);
        assertFalse(one.bounded());
        assertEquals(Double.POSITIVE_INFINITY, one.relativeHalfWidth());
        assertEquals(6, Stats.samplesForMedianInterval(0.95));
        assertEquals(8, Stats.samplesForMedianInterval(0.99));
    }

    /** benchstat: {1, 2} at confidence 0 is [1, 2] with confidence 0.5. */
    @Test void zeroConfidenceTakesTheModeInterval() {
        Stats.Summary s = Stats.medianSummary(new double[] {1, 2}, 0);
        assertEquals(1.5, s.center(), EPS);
        assertEquals(1, s.lo(), EPS);
        assertEquals(2, s.hi(), EPS);
        assertEquals(0.5, s.confidence(), EPS);
    }

    /**
     * Binomial(10, 1/2): [x(2), x(9)] leaves out 0, 1, 9 or 10 values below the median: 1 - 2 *
     * 11/1024.
     */
    @Test void orderStatisticsForTenValues() {
        Stats.QuantileCi ci = Stats.quantileCi(10, 0.5, 0.95);
        assertEquals(2, ci.loOrder());
        assertEquals(9, ci.hiOrder());
        assertEquals(1 - 2 * 11.0 / 1024, ci.confidence(), 1e-12);
    }

    /** benchstat TestCompareNone: three against three can at best give p = 0.1. */
    @Test void uTestThreeAgainstThreeCannotReachSignificance() {
        Stats.UTest u = Stats.mannWhitney(new double[] {-1, -1, -1}, new double[] {1, 1, 1});
        assertEquals(0.1, u.p(), EPS);
        assertTrue(u.ties());
        assertEquals(0.1, Stats.minUTestP(3, 3), EPS);
        assertTrue(Stats.minUTestP(3, 3) > Stats.ALPHA);
    }

    /** benchstat: four against four, fully separated: p = 2/70 = 0.02857142857142857. */
    @Test void uTestFourAgainstFourSeparated() {
        Stats.UTest tied = Stats.mannWhitney(new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1,
                1});
        assertEquals(0.02857142857142857, tied.p(), EPS);
        Stats.UTest distinct = Stats.mannWhitney(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7,
                8});
        assertEquals(0.02857142857142857, distinct.p(), EPS);
        assertFalse(distinct.ties());
        assertTrue(distinct.exact());
        assertEquals(0, distinct.u(), EPS);
        assertEquals(4, Stats.samplesForSignificance(0.05));
        assertEquals(5, Stats.samplesForSignificance(0.01));
    }

    /**
     * benchstat: {1,-1,-1,-1} against {-1,1,1,1}: p = 34/70 = 0.4857142857142857 (exact, with
     * ties).
     */
    @Test void uTestWithTiesIsTheExactPermutationP() {
        Stats.UTest u = Stats.mannWhitney(new double[] {1, -1, -1, -1}, new double[] {-1, 1, 1, 1});
        assertEquals(0.4857142857142857, u.p(), EPS);
        assertTrue(u.exact());
    }

    /** benchstat: all values equal: nothing to test, p = 1. */
    @Test void uTestAllEqualIsOne() {
        assertEquals(1, Stats.mannWhitney(new double[] {1, 1, 1, 1}, new double[] {1, 1, 1, 1}).p(),
                EPS);
    }

    /**
     * R's ?wilcox.test example (Hollander &amp; Wolfe): W = 35, one-sided p = 0.1272, so two-sided
     * 0.2544 (exact: 764 of 3003 labellings).
     */
    @Test void uTestTextbookExample() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        Stats.UTest u = Stats.mannWhitney(x, y);
        assertEquals(35, u.u(), EPS);
        assertEquals(764.0 / 3003, u.p(), 1e-12);
        assertEquals(0.2544, u.p(), 5e-5);
    }

    /** Without ties, commons-statistics' exact p and the permutation enumeration agree. */
    @Test void exactPAgreesWithEnumerationOnRandomSamples() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int t = 0; t < 40; t++) {
            double[] x = new double[1 + rnd.nextInt(6)];
            double[] y = new double[1 + rnd.nextInt(6)];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble();
            for (int i = 0; i < y.length; i++) y[i] = rnd.nextDouble() + 0.2;
            assertEquals(Stats.exactPermutationP(x, y), Stats.mannWhitney(x, y).p(), 1e-9, "trial "
                    + t);
        }
    }

    @Test void minimumPIsTwoOverTheLabellings() {
        assertEquals(1, Stats.minUTestP(1, 1), EPS);
        assertEquals(1.0 / 3, Stats.minUTestP(2, 2), EPS);
        assertEquals(2.0 / 56, Stats.minUTestP(3, 5), EPS);
        assertEquals(0.007936507936507936, Stats.minUTestP(5, 5), EPS);
    }

    /** R's ?t.test on the sleep data (Student 1908): Welch t = -1.8608, p = 0.07939. */
    @Test void welchOnStudentsSleepData() {
        double[] g1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
        double[] g2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
        assertEquals(-1.8608, Stats.welchT(g1, g2), 5e-5);
        assertEquals(0.07939, Stats.welchP(g1, g2), 5e-6);
    }

    @Test void welchNeedsTwoValuesAndSomeVariance() {
        assertTrue(Double.isNaN(Stats.welchP(new double[] {1}, new double[] {1, 2})));
        assertTrue(Double.isNaN(Stats.welchP(new double[] {1, 1}, new double[] {2, 2})));
    }

    /**
     * x = {1, 2}, y = {1}: a resampled median of x is 1, 1.5 or 2 with probabilities 1/4, 1/2,
     * 1/4, so the 2.5% and 97.5% points of 10 000 resamples are exactly 1 and 2.
     */
    @Test void bootstrapRatioOnAKnownDistribution() {
        Stats.Interval i = Stats.bootstrapRatio(new double[] {1, 2}, new double[] {1}, 10_000, 42,
                0.95);
        assertEquals(1.5, i.point(), EPS);
        assertEquals(1, i.lo(), EPS);
        assertEquals(2, i.hi(), EPS);
    }

    @Test void bootstrapOfConstantSamplesIsExact() {
        Stats.Interval i = Stats.bootstrapRatio(new double[] {6, 6, 6}, new double[] {3, 3}, 1000,
                1, 0.95);
        assertEquals(2, i.point(), EPS);
        assertEquals(2, i.lo(), EPS);
        assertEquals(2, i.hi(), EPS);
    }

    @Test void bootstrapIsSeededAndReproducible() {
        double[] a = {10.1, 10.4, 9.8, 10.0, 10.6};
        double[] b = {8.0, 8.3, 7.9, 8.4, 8.1};
        Stats.Interval one = Stats.bootstrapRatio(a, b, 2000, 99, 0.95);
        Stats.Interval two = Stats.bootstrapRatio(a, b, 2000, 99, 0.95);
        assertEquals(one, two);
        assertTrue(one.lo() <= one.point() && one.point() <= one.hi());
        assertTrue(one.lo() > 1.15 && one.hi() < 1.40, one.toString());
        assertNotEquals(Stats.seed("walk|a|ptptr"), Stats.seed("walk|a|vpte"));
    }

    @Test void geometricMean() {
        assertEquals(4, Stats.geomean(new double[] {2, 8}), EPS);
        assertEquals(1, Stats.geomean(new double[] {0.5, 2}), EPS);
        assertEquals(Math.cbrt(1.1 * 1.2 * 0.9), Stats.geomean(new double[] {1.1, 1.2, 0.9}), EPS);
        assertTrue(Double.isNaN(Stats.geomean(new double[] {1, 0})));
        assertTrue(Double.isNaN(Stats.geomean(new double[0])));
    }

    @Test void midRanksAverageTies() {
        double[] r = Stats.midRanks(new double[] {3, 1, 3, 2});
        assertEquals(3.5, r[0], EPS);
        assertEquals(1, r[1], EPS);
        assertEquals(3.5, r[2], EPS);
        assertEquals(2, r[3], EPS);
    }
}

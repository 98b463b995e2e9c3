package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The number formats the writers share, at the edges where a column could lose its width. */
class FmtTest {
    @Test
    void significantDigitsWithoutExponentDownToAThousandth() {
        assertEquals("411.4", Fmt.sig(411.43));
        assertEquals("1.235", Fmt.sig(1.23456));
        assertEquals("1000", Fmt.sig(999.96));
        assertEquals("0.0243", Fmt.sig(0.0243));
        assertEquals("0.00210", Fmt.sig(0.0021));
        assertEquals("0.00100", Fmt.sig(0.001));
    }

    @Test
    void tinyValuesGetAShortExponentInsteadOfZeros() {
        assertEquals("5.35e-4", Fmt.sig(0.000535));
        assertEquals("1.00e-3", Fmt.sig(0.00099999), "rounding up carries into the exponent");
        assertEquals("-7.20e-5", Fmt.sig(-0.000072));
    }

    @Test
    void ratiosKeepThreeDecimalsUnlessTheyWouldReadZero() {
        assertEquals("1.021", Fmt.ratio(1.0211));
        assertEquals("12.35", Fmt.ratio(12.345));
        assertEquals("0.001", Fmt.ratio(0.001));
        assertEquals("2.4e-4", Fmt.ratio(0.000239));
        assertEquals("x9.4e-7", Fmt.times(9.4e-7, true));
        assertEquals("0.000", Fmt.ratio(0.0), "zero is zero");
    }
}

package org.ptarena.cli;

/** The exit statuses every {@code ptarena} command returns, listed in each help footer. */
final class Exit {
    /** Success: every trace passed, every implementation agreed with the oracle. */
    static final int OK = 0;
    /** A disagreement, a broken invariant or a failed expectation. */
    static final int FAILED = 1;
    /** Bad input: an unknown option or implementation, a missing file, a malformed trace. */
    static final int BAD_INPUT = 2;
    /** A bug in ptarena itself: an exception nobody expected (its stack trace is on stderr). */
    static final int INTERNAL = 3;

    private Exit() { }
}

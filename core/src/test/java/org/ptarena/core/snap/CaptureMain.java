package org.ptarena.core.snap;

import java.util.List;

/**
 * Run in a child JVM as another user by {@link ProcCaptureTest}: captures the pid given and
 * prints {@code real|synthetic PAGES} or {@code error MESSAGE}.
 */
final class CaptureMain {
    private CaptureMain() { }

    public static void main(String[] args) {
        try {
            Snapshot s = new ProcCapture().capture(Integer.parseInt(args[0]), List.of());
            System.out.println((s.realPfns() ? "real " : "synthetic ") + s.pages());
        } catch (CaptureException e) {
            System.out.println("error " + e.getMessage());
        }
    }
}

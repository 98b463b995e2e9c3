package org.ptarena.core;

/** Whether an implementation can express a geometry, and if not, why. */
public record Support(boolean supported, String reason) {
    public static final Support YES = new Support(true, "");

    public static Support no(String reason) {
        return new Support(false, reason);
    }
}

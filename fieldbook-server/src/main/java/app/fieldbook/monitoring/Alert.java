package app.fieldbook.monitoring;

import java.time.Instant;
import java.util.Map;

/**
 * An alert as it stands: a rule whose condition holds (or held) for these labels.
 *
 * @param state {@code pending} (its condition holds, not yet for the rule's {@code for}), {@code firing}, or
 *     {@code resolved} (it fired, and its condition no longer holds)
 * @param value what the rule found at the last evaluation that its condition held
 * @param activeSince when its condition began to hold
 * @param firingSince when it fired; null while pending
 * @param resolvedAt when its condition stopped holding after it fired; null before
 */
record Alert(String name, Map<String, String> labels, String state, String severity, double value, String summary,
        String runbook, Instant activeSince, Instant firingSince, Instant resolvedAt) {

    static final String PENDING = "pending";
    static final String FIRING = "firing";
    static final String RESOLVED = "resolved";
}

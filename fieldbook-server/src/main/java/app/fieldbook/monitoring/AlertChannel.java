package app.fieldbook.monitoring;

import java.util.List;

/** Somewhere alerts are sent when they fire and when they are resolved. */
interface AlertChannel {

    /** The channel's name, as in the metrics and logs: {@code webhook}, {@code email}. */
    String name();

    /**
     * Sends these alerts (each firing or resolved) in one go.
     *
     * @throws Exception when they did not reach the receiver; they are sent again at the next evaluation
     */
    void send(List<Alert> alerts) throws Exception;
}

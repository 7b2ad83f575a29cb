package app.fieldbook.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the audit trail, bound from {@code fieldbook.audit}.
 *
 * @param linkInterval the pause between two runs of the job that links new events into the chain
 * @param keyFile the file holding the chain's secret key, outside the database; made on the first start
 *     when absent (readable by the server's user only). Every node must use the same key
 * @param headFile the append-only file outside the database to which the signed head of the chain is
 *     written, so that links removed from the end are found
 * @param headInterval how often the head is written to the head file when the chain has grown (by one node
 *     of the cluster: a {@link app.fieldbook.RecurringJob})
 * @param verificationCron when the whole chain is verified (a Spring cron expression, in the server's time
 *     zone; by one node of the cluster)
 * @param retention how long audit events (read-access entries included) are kept at the least. The server
 *     deletes none, ever, and no purge touches them; this is the period a retention policy outside the
 *     server (an archive, a backup rotation) must keep them for. Below {@link #MINIMUM_RETENTION} (seven
 *     years, counted in calendar terms) the server refuses to start
 * @param readAccess whether reads are logged (who read which report or photo, who exported what); unset,
 *     it follows {@code fieldbook.compliance.mode}: on when regulated, off when standard
 * @param readAccessWindow how long the read-access log's writer gathers reads into one transaction after the
 *     first of them was handed to it (reads that came while the previous batch committed go at once)
 * @param readAccessWait how long a read waits for its entry in the read-access log to commit; a read not
 *     logged by then is refused 503 {@code server-busy} with {@code Retry-After}, not served
 */
@ConfigurationProperties("fieldbook.audit")
record AuditSettings(
        @DefaultValue("PT1S") Duration linkInterval,
        @DefaultValue("./data/audit.key") Path keyFile,
        @DefaultValue("./data/audit-heads.log") Path headFile,
        @DefaultValue("PT1M") Duration headInterval,
        @DefaultValue("0 30 2 * * *") String verificationCron,
        @DefaultValue("P7Y") Period retention,
        Boolean readAccess,
        @DefaultValue("2ms") Duration readAccessWindow,
        @DefaultValue("2s") Duration readAccessWait) {

    /** The shortest retention accepted: seven years (SOX-style retention; HIPAA asks for six). */
    static final Period MINIMUM_RETENTION = Period.ofYears(7);

    /** Refuses a retention shorter than {@link #MINIMUM_RETENTION}, so that the server does not start with one. */
    AuditSettings {
        LocalDate from = LocalDate.of(2000, 1, 1);
        if (retention == null || from.plus(retention).isBefore(from.plus(MINIMUM_RETENTION))) {
            throw new IllegalArgumentException("fieldbook.audit.retention is " + retention + ", but audit events"
                    + " must be kept at least 7 years (P7Y): set it to P7Y or longer, or leave it unset"
                    + " (docs/operations.md, Audit retention)");
        }
        if (readAccessWindow.isNegative() || !readAccessWait.isPositive()) {
            throw new IllegalArgumentException("fieldbook.audit.read-access-window must not be negative and"
                    + " fieldbook.audit.read-access-wait must be positive");
        }
    }

    /** Whether reads are logged: as set, or else as the compliance mode says. */
    boolean logsReads(ComplianceSettings compliance) {
        return readAccess != null ? readAccess : compliance.mode() == ComplianceSettings.Mode.REGULATED;
    }
}

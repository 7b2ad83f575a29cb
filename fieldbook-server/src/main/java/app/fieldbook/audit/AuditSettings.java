package app.fieldbook.audit;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param headInterval how often the head is written to the head file when the chain has grown
 */
@ConfigurationProperties("fieldbook.audit")
record AuditSettings(
        @DefaultValue("PT1S") Duration linkInterval,
        @DefaultValue("./data/audit.key") Path keyFile,
        @DefaultValue("./data/audit-heads.log") Path headFile,
        @DefaultValue("PT1M") Duration headInterval) {
}

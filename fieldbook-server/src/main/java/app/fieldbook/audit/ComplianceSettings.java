package app.fieldbook.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The compliance mode of the whole server, bound from {@code fieldbook.compliance}: {@code standard} (the
 * default) or {@code regulated}, for deployments that answer to HIPAA or SOX. {@code regulated} turns on
 * the stricter defaults: today the read-access log ({@code fieldbook.audit.read-access}); later ones hang
 * on it too (ADR 0017). The audit module binds it because it is the only one that reads it so far.
 *
 * @param mode standard or regulated
 */
@ConfigurationProperties("fieldbook.compliance")
record ComplianceSettings(@DefaultValue("standard") Mode mode) {

    enum Mode {
        STANDARD, REGULATED
    }
}

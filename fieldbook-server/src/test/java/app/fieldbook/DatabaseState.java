package app.fieldbook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the application has stored, as one comparable text: the row count and a SHA-256 of the rows of each
 * main table, so that a test can show a refused request wrote nothing. Left out is what moves on its own
 * or is meant to be written by a refusal: a credential's {@code last_used_at}, a photo's thumbnail flags
 * (a background job), the audit chain's links (linked in the background), {@code ACCESS_DENIED} and
 * {@code CREDENTIAL_REFUSED} audit events, and where a change of the sync feed stands (the sequencer moves it from {@code sync_changes}
 * into {@code sync_feed}).
 */
public final class DatabaseState {

    private static final Map<String, String> TABLES = new java.util.LinkedHashMap<>();

    static {
        TABLES.put("users", "SELECT * FROM users");
        TABLES.put("credentials", "SELECT id, user_id, kind, secret_hash, label, created_at, expires_at, revoked_at"
                + " FROM credentials");
        TABLES.put("login_failures", "SELECT * FROM login_failures");
        TABLES.put("totp_factors", "SELECT * FROM totp_factors");
        TABLES.put("recovery_codes", "SELECT * FROM recovery_codes");
        TABLES.put("sign_in_challenges", "SELECT * FROM sign_in_challenges");
        TABLES.put("passkey_user_handles", "SELECT * FROM passkey_user_handles");
        TABLES.put("passkeys", "SELECT * FROM passkeys");
        TABLES.put("passkey_challenges", "SELECT * FROM passkey_challenges");
        TABLES.put("sites", "SELECT * FROM sites");
        TABLES.put("portfolios", "SELECT * FROM portfolios");
        TABLES.put("portfolio_sites", "SELECT * FROM portfolio_sites");
        TABLES.put("portfolio_assignments", "SELECT * FROM portfolio_assignments");
        TABLES.put("site_assignments", "SELECT * FROM site_assignments");
        TABLES.put("daily_reports", "SELECT * FROM daily_reports");
        TABLES.put("report_crew", "SELECT * FROM report_crew");
        TABLES.put("photos", "SELECT id, report_id, sha256, content_type, size_bytes, caption, taken_at, latitude,"
                + " longitude, uploaded_by, version, created_at FROM photos");
        TABLES.put("audit_events", "SELECT * FROM audit_events"
                + " WHERE action NOT IN ('ACCESS_DENIED', 'CREDENTIAL_REFUSED')");
        TABLES.put("sync_operations", "SELECT * FROM sync_operations");
        TABLES.put("sync_conflicts", "SELECT * FROM sync_conflicts");
        TABLES.put("sync_devices", "SELECT * FROM sync_devices");
        TABLES.put("sync_aliases", "SELECT * FROM sync_aliases");
        TABLES.put("sync_tombstones", "SELECT * FROM sync_tombstones");
        TABLES.put("sync_changes and sync_feed", "SELECT entity, entity_id, site_id, deleted, recorded_at FROM sync_changes"
                + " UNION ALL SELECT entity, entity_id, site_id, deleted, recorded_at FROM sync_feed");
    }

    private final JdbcClient jdbc;

    public DatabaseState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One line per table: its name, row count and the SHA-256 of its rows in a stable order. */
    public String checksum() {
        StringBuilder state = new StringBuilder();
        TABLES.forEach((table, query) -> {
            List<String> rows = new ArrayList<>();
            jdbc.sql(query).query((rs, n) -> {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                    row.append(rs.getString(column)).append('\u001f');
                }
                return row.toString();
            }).list().forEach(rows::add);
            rows.sort(null);
            state.append(table).append(' ').append(rows.size()).append(' ').append(sha256(String.join("\n", rows)))
                    .append('\n');
        });
        return state.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package app.fieldbook.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCose;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Repository;

/**
 * The passkeys, in table {@code passkeys}, as Spring Security's relying party reads and writes them
 * ({@link UserCredentialRepository}: found by credential id or user handle, saved after a registration and
 * after each sign-in with the new signature counter) and as their owners list and remove them.
 */
@Repository
class Passkeys implements UserCredentialRepository {

    private static final RowMapper<Passkey> PASSKEY = (rs, n) -> new Passkey(
            rs.getObject("id", UUID.class),
            rs.getString("label"),
            rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("last_used_at", OffsetDateTime.class));

    private final JdbcClient jdbc;
    private final PasskeyUserHandles handles;
    private final Clock clock;

    Passkeys(JdbcClient jdbc, PasskeyUserHandles handles, Clock clock) {
        this.jdbc = jdbc;
        this.handles = handles;
        this.clock = clock;
    }

    /** This person's passkeys, the most recently registered first. */
    List<Passkey> of(UUID userId) {
        return jdbc.sql("""
                SELECT id, label, created_at, last_used_at FROM passkeys
                 WHERE user_id = :userId ORDER BY created_at DESC, id""")
                .param("userId", userId).query(PASSKEY).list();
    }

    /** The passkey with this credential id, as its owner sees it. */
    Optional<Passkey> findByCredential(Bytes credentialId) {
        return jdbc.sql("SELECT id, label, created_at, last_used_at FROM passkeys WHERE credential_id = :credentialId")
                .param("credentialId", credentialId.toBase64UrlString()).query(PASSKEY).optional();
    }

    /** Whether this person has at least one passkey. */
    boolean any(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM passkeys WHERE user_id = :userId")
                .param("userId", userId).query(Long.class).single() > 0;
    }

    /** Removes this person's passkey; answers what was removed, or empty when they have no such passkey. */
    Optional<Passkey> remove(UUID id, UUID userId) {
        Optional<Passkey> passkey = jdbc.sql("""
                SELECT id, label, created_at, last_used_at FROM passkeys WHERE id = :id AND user_id = :userId""")
                .param("id", id).param("userId", userId).query(PASSKEY).optional();
        passkey.ifPresent(found -> jdbc.sql("DELETE FROM passkeys WHERE id = :id AND user_id = :userId")
                .param("id", id).param("userId", userId).update());
        return passkey;
    }

    /** Removes every passkey of this person; answers how many. */
    int removeAllOf(UUID userId) {
        return jdbc.sql("DELETE FROM passkeys WHERE user_id = :userId").param("userId", userId).update();
    }

    /** The account whose passkey has this credential id. */
    Optional<UUID> ownerOf(Bytes credentialId) {
        return jdbc.sql("SELECT user_id FROM passkeys WHERE credential_id = :credentialId")
                .param("credentialId", credentialId.toBase64UrlString()).query(UUID.class).optional();
    }

    @Override
    public CredentialRecord findByCredentialId(Bytes credentialId) {
        return jdbc.sql("""
                SELECT p.*, h.handle FROM passkeys p JOIN passkey_user_handles h ON h.user_id = p.user_id
                 WHERE p.credential_id = :credentialId""")
                .param("credentialId", credentialId.toBase64UrlString())
                .query(Passkeys::record)
                .optional().orElse(null);
    }

    @Override
    public List<CredentialRecord> findByUserId(Bytes userId) {
        return jdbc.sql("""
                SELECT p.*, h.handle FROM passkeys p JOIN passkey_user_handles h ON h.user_id = p.user_id
                 WHERE h.handle = :handle ORDER BY p.created_at""")
                .param("handle", userId.toBase64UrlString())
                .query(Passkeys::record)
                .list();
    }

    /**
     * Stores a passkey the relying party registered, or, for one that exists, what a sign-in changed: the
     * signature counter, the backup state and when it was last used.
     */
    @Override
    public void save(CredentialRecord record) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int updated = jdbc.sql("""
                UPDATE passkeys SET signature_count = :signatureCount, backup_state = :backupState,
                       uv_initialized = :uvInitialized, last_used_at = :now
                 WHERE credential_id = :credentialId""")
                .param("signatureCount", record.getSignatureCount()).param("backupState", record.isBackupState())
                .param("uvInitialized", record.isUvInitialized()).param("now", now)
                .param("credentialId", record.getCredentialId().toBase64UrlString())
                .update();
        if (updated == 1) {
            return;
        }
        UUID userId = handles.userIdOf(record.getUserEntityUserId())
                .orElseThrow(() -> new IllegalStateException("A passkey of a user handle that belongs to nobody"));
        jdbc.sql("""
                INSERT INTO passkeys (id, user_id, credential_id, label, public_key, attestation_object,
                                      signature_count, uv_initialized, backup_eligible, backup_state, transports,
                                      created_at, last_used_at)
                VALUES (:id, :userId, :credentialId, :label, :publicKey, :attestationObject, :signatureCount,
                        :uvInitialized, :backupEligible, :backupState, :transports, :now, NULL)""")
                .param("id", UUID.randomUUID()).param("userId", userId)
                .param("credentialId", record.getCredentialId().toBase64UrlString())
                .param("label", record.getLabel())
                .param("publicKey", new Bytes(record.getPublicKey().getBytes()).toBase64UrlString())
                .param("attestationObject", record.getAttestationObject().toBase64UrlString())
                .param("signatureCount", record.getSignatureCount())
                .param("uvInitialized", record.isUvInitialized())
                .param("backupEligible", record.isBackupEligible())
                .param("backupState", record.isBackupState())
                .param("transports", record.getTransports().stream().map(AuthenticatorTransport::getValue)
                        .sorted().collect(Collectors.joining(",")))
                .param("now", now)
                .update();
    }

    @Override
    public void delete(Bytes credentialId) {
        jdbc.sql("DELETE FROM passkeys WHERE credential_id = :credentialId")
                .param("credentialId", credentialId.toBase64UrlString()).update();
    }

    private static CredentialRecord record(ResultSet rs, int n) throws SQLException {
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        OffsetDateTime lastUsed = rs.getObject("last_used_at", OffsetDateTime.class);
        String transports = rs.getString("transports");
        Set<AuthenticatorTransport> known = transports.isEmpty() ? Set.of()
                : Arrays.stream(transports.split(",")).map(AuthenticatorTransport::valueOf).collect(Collectors.toSet());
        Instant lastUsedAt = (lastUsed == null ? created : lastUsed).toInstant();
        return ImmutableCredentialRecord.builder()
                .credentialType(PublicKeyCredentialType.PUBLIC_KEY)
                .credentialId(Bytes.fromBase64(rs.getString("credential_id")))
                .userEntityUserId(Bytes.fromBase64(rs.getString("handle")))
                .publicKey(new ImmutablePublicKeyCose(Bytes.fromBase64(rs.getString("public_key")).getBytes()))
                .signatureCount(rs.getLong("signature_count"))
                .uvInitialized(rs.getBoolean("uv_initialized"))
                .backupEligible(rs.getBoolean("backup_eligible"))
                .backupState(rs.getBoolean("backup_state"))
                .transports(known)
                .attestationObject(Bytes.fromBase64(rs.getString("attestation_object")))
                .label(rs.getString("label"))
                .created(created.toInstant())
                .lastUsed(lastUsedAt)
                .build();
    }
}

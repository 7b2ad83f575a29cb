package app.fieldbook.identity;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.stereotype.Repository;

/**
 * The WebAuthn user entities of Fieldbook's accounts, in table {@code passkey_user_handles}: each account
 * that registered a passkey has a random handle; its name is the login and its display name the person's
 * name. Spring Security's relying party finds them by login when it makes registration options and by
 * handle when a passkey signs in.
 */
@Repository
class PasskeyUserHandles implements PublicKeyCredentialUserEntityRepository {

    private static final RowMapper<PublicKeyCredentialUserEntity> ROW = (rs, n) -> ImmutablePublicKeyCredentialUserEntity
            .builder()
            .id(Bytes.fromBase64(rs.getString("handle")))
            .name(rs.getString("login"))
            .displayName(rs.getString("name"))
            .build();

    private final JdbcClient jdbc;

    PasskeyUserHandles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user entity of this account, made with a new random handle the first time it is asked for. */
    PublicKeyCredentialUserEntity forUser(UUID userId) {
        return findByUserId(userId).orElseGet(() -> {
            jdbc.sql("INSERT INTO passkey_user_handles (user_id, handle) VALUES (:userId, :handle)")
                    .param("userId", userId).param("handle", Bytes.random().toBase64UrlString())
                    .update();
            return findByUserId(userId).orElseThrow();
        });
    }

    /** The account whose handle this is. */
    Optional<UUID> userIdOf(Bytes handle) {
        return jdbc.sql("SELECT user_id FROM passkey_user_handles WHERE handle = :handle")
                .param("handle", handle.toBase64UrlString())
                .query(UUID.class)
                .optional();
    }

    @Override
    public PublicKeyCredentialUserEntity findById(Bytes id) {
        return jdbc.sql("""
                SELECT h.handle, u.login, u.name
                  FROM passkey_user_handles h JOIN users u ON u.id = h.user_id
                 WHERE h.handle = :handle""")
                .param("handle", id.toBase64UrlString())
                .query(ROW)
                .optional().orElse(null);
    }

    @Override
    public PublicKeyCredentialUserEntity findByUsername(String username) {
        return jdbc.sql("""
                SELECT h.handle, u.login, u.name
                  FROM passkey_user_handles h JOIN users u ON u.id = h.user_id
                 WHERE u.login = :login""")
                .param("login", username)
                .query(ROW)
                .optional().orElse(null);
    }

    /**
     * Handles are made by {@link #forUser} only, so that each belongs to an account from the start; the
     * relying party asks to save one only for a login that has none, which {@link #forUser} rules out.
     */
    @Override
    public void save(PublicKeyCredentialUserEntity userEntity) {
        throw new UnsupportedOperationException("A user handle is made by PasskeyUserHandles.forUser");
    }

    /** A handle stays as long as its account: its passkeys may still present it. */
    @Override
    public void delete(Bytes id) {
        throw new UnsupportedOperationException("A user handle stays as long as its account");
    }

    private Optional<PublicKeyCredentialUserEntity> findByUserId(UUID userId) {
        return jdbc.sql("""
                SELECT h.handle, u.login, u.name
                  FROM passkey_user_handles h JOIN users u ON u.id = h.user_id
                 WHERE h.user_id = :userId""")
                .param("userId", userId)
                .query(ROW)
                .optional();
    }
}

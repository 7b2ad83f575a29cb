package app.fieldbook.identity;

import app.fieldbook.KeyFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The key under which authenticator keys are stored: AES-256-GCM, in a file outside the database
 * ({@code fieldbook.identity.second-factor.key-file}), so that a copy of the database (a backup, a read
 * through SQL injection) gives nobody the codes. Each stored key is bound to its person (the person's id is
 * the cipher's associated data), so a sealed key copied to another row does not open. The file is made on the
 * first start when absent; when keys are stored already, the server refuses to start without it.
 */
@Component
class SecondFactorKey {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecondFactorKey(IdentitySettings settings, JdbcClient jdbc) {
        Path file = settings.secondFactor().keyFile().toAbsolutePath();
        if (Files.notExists(file) && jdbc.sql("SELECT COUNT(*) FROM totp_factors").query(Long.class).single() > 0) {
            throw new IllegalStateException("Authenticator keys are stored encrypted, but the key file " + file
                    + " does not exist. Restore it from the backup (docs/operations.md); without it nobody with an"
                    + " authenticator app can sign in.");
        }
        byte[] bytes = KeyFile.readOrCreate(file, "second-factor", KEY_BYTES);
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException("The second-factor key file " + file + " holds " + bytes.length
                    + " bytes; AES-256 needs exactly " + KEY_BYTES);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** The authenticator key encrypted for {@code owner}: Base64 of the nonce and the cipher text. */
    String seal(byte[] secret, String owner) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** The authenticator key of {@code owner}; refuses one sealed under another key or for another person. */
    byte[] open(String sealed, String owner) {
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored authenticator key does not open with the key file's key", e);
        }
    }
}

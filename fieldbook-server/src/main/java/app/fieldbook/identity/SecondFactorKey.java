package app.fieldbook.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(SecondFactorKey.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecondFactorKey(IdentitySettings settings, JdbcClient jdbc) {
        Path file = settings.secondFactor().keyFile().toAbsolutePath();
        if (Files.notExists(file) && jdbc.sql("SELECT COUNT(*) FROM totp_factors").query(Long.class).single() > 0) {
            throw new IllegalStateException("Authenticator keys are stored encrypted, but the key file " + file
                    + " does not exist. Restore it from the backup (docs/operations.md); without it nobody with an"
                    + " authenticator app can sign in.");
        }
        this.key = new SecretKeySpec(readOrCreate(file), "AES");
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

    private static byte[] readOrCreate(Path file) {
        try {
            if (Files.notExists(file)) {
                create(file);
            }
            byte[] bytes = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (bytes.length != KEY_BYTES) {
                throw new IllegalStateException("The second-factor key file " + file + " holds " + bytes.length
                        + " bytes; it needs " + KEY_BYTES);
            }
            return bytes;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the second-factor key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC), ownerOnly)) {
            channel.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(bytes) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            log.warn("Made a new second-factor key in {}. Back it up apart from the database (docs/operations.md)",
                    file);
        } catch (FileAlreadyExistsException e) {
            log.info("Another node made the second-factor key file {} at the same time; using it", file);
        }
    }
}

package app.fieldbook.audit;

import app.fieldbook.KeyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The secret key of the audit chain, kept in a file outside the database ({@code fieldbook.audit.key-file}):
 * whoever can write to the database but cannot read this file cannot make a link, a seal or a head that
 * the verifier accepts. The file holds 32 random bytes in Base64. It is made on the first start when it
 * is absent, readable by the server's user only; when the chain already records a key, the server refuses
 * to start without that very key rather than continue the chain with another one.
 */
@Component
class AuditKey {

    private static final int BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String id;

    AuditKey(AuditSettings settings, JdbcClient jdbc) {
        Path file = settings.keyFile().toAbsolutePath();
        Optional<String> recorded = jdbc.sql("SELECT key_id FROM audit_keying").query(String.class).optional();
        if (Files.notExists(file) && recorded.isPresent()) {
            throw new IllegalStateException("The audit chain is keyed with key " + recorded.get()
                    + ", but the key file " + file + " does not exist. Restore it from the backup (see"
                    + " docs/operations.md, Audit chain); without it the chain cannot be checked or continued.");
        }
        this.key = new SecretKeySpec(KeyFile.readOrCreate(file, "audit chain", BYTES), ALGORITHM);
        this.id = mac("fieldbook audit key id").substring(0, 16);
        if (recorded.isPresent() && !recorded.get().equals(id)) {
            throw new IllegalStateException("The audit chain is keyed with key " + recorded.get() + ", but the key file "
                    + file + " holds key " + id + ". Put back the key file the chain was made with (see"
                    + " docs/operations.md, Audit chain).");
        }
    }

    /** A short name of the key that gives nothing of it away, stored with the chain to tell keys apart. */
    String id() {
        return id;
    }

    /** The seal of an event: made when the server writes it, so an event written into the database directly has none. */
    String seal(AuditEvent event) {
        return mac("event|" + event.encoded());
    }

    /** The hash of a keyed link: it covers its position, the link before, when it was made and its event. */
    String link(long position, String previousHash, Instant linkedAt, AuditEvent event) {
        return mac("link|" + position + "|" + previousHash + "|" + linkedAt + "|" + event.encoded());
    }

    /** The signature of a head written to the head file. */
    String head(long position, String hash, Instant recordedAt) {
        return mac("head|" + position + "|" + hash + "|" + recordedAt);
    }

    /** The signature of the record that every link after {@code keyedAfter} is keyed with this key. */
    String keying(long keyedAfter) {
        return mac("keyed-after|" + keyedAfter + "|" + id);
    }

    /**
     * The signature of a verification's recorded result ({@code audit_verifications}): its id, time, node, outcome
     * and what it found, so that a result inserted or changed in the database does not hold.
     */
    String verification(UUID id, Instant verifiedAt, String node, boolean intact, long linked, long unlinked,
            Long firstBrokenPosition, UUID eventId, String problem) {
        return mac("verification|" + id + "|" + verifiedAt + "|" + intact + "|" + linked + "|" + unlinked + "|"
                + firstBrokenPosition + "|" + eventId + "|" + node.length() + ":" + node + "|" + problem);
    }

    /** Whether two MACs are equal, compared in constant time; a missing one equals nothing. */
    static boolean same(String expected, String actual) {
        return expected != null && actual != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package app.fieldbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret key kept in a file outside the database: random bytes in Base64 on one line, readable by the
 * server's user only. The audit chain's key and the key of the authenticator apps' secrets are such files;
 * each module decides what to do when its file is missing while the database already depends on it.
 */
public final class KeyFile {

    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFile() {
    }

    /**
     * The key in {@code file}, made of {@code bytes} random bytes first when the file is absent (two nodes
     * starting together end with the same file). Refuses a file holding fewer than {@code bytes} bytes; warns
     * when others than the server's user may read it.
     *
     * @param name what the key is for, in messages ("audit chain", "second-factor")
     */
    public static byte[] readOrCreate(Path file, String name, int bytes) {
        try {
            if (Files.notExists(file)) {
                create(file, name, bytes);
            }
            warnIfOthersMayRead(file, name);
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length < bytes) {
                throw new IllegalStateException("The " + name + " key file " + file + " holds " + key.length
                        + " bytes; it needs at least " + bytes);
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the " + name + " key file " + file, e);
        }
    }

    private static void create(Path file, String name, int bytes) throws IOException {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        Files.createDirectories(file.getParent());
        FileAttribute<?>[] ownerOnly = posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC), ownerOnly)) {
            channel.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            log.warn("Made a new {} key in {}. Back it up apart from the database (docs/operations.md)", name, file);
        } catch (FileAlreadyExistsException e) {
            log.info("Another node made the {} key file {} at the same time; using it", name, file);
        }
    }

    private static void warnIfOthersMayRead(Path file, String name) throws IOException {
        if (!posix(file)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            log.warn("The {} key file {} may be read by others ({}); make it readable by the server's user only",
                    name, file, PosixFilePermissions.toString(permissions));
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

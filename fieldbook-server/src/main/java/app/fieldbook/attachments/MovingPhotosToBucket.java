package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Moves an existing disk store into the bucket of the object store: with {@code fieldbook.attachments.store=s3} and
 * {@code fieldbook.attachments.move-from-disk} set to the disk store's directory, the server copies every photo and
 * thumbnail there ({@code ab/cd/<key>}) that the bucket does not have yet, reads each object back from the bucket
 * and checks its SHA-256 (a photo's against its name, a thumbnail's against the file's), and then stops. Objects the
 * bucket already has are read back and checked too; one whose content differs from the disk's is put again. A file
 * on disk whose content does not match its name is left out and named. Interrupted, it is run again and goes on: a
 * put object is whole or absent. The disk store is never changed.
 */
@Component
@ConditionalOnProperty(prefix = "fieldbook.attachments", name = "move-from-disk")
class MovingPhotosToBucket {

    private static final Logger LOG = LoggerFactory.getLogger(MovingPhotosToBucket.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}(\\.[a-z]+)?");
    private static final Pattern PHOTO = Pattern.compile("[0-9a-f]{64}");

    /**
     * What one run did: objects copied, objects the bucket already had whole, files of the disk store left out
     * (their content does not match their name), and whether it stopped before the end ({@code atMost}).
     */
    record Moved(int copied, int alreadyThere, List<String> damaged, boolean stopped) {
    }

    private final ObjectProvider<S3PhotoStore> bucket;
    private final AttachmentSettings settings;
    private final ConfigurableApplicationContext context;

    MovingPhotosToBucket(ObjectProvider<S3PhotoStore> bucket, AttachmentSettings settings,
            ConfigurableApplicationContext context) {
        this.bucket = bucket;
        this.settings = settings;
        this.context = context;
    }

    /**
     * Moves the store once the application has started (after its own start-up work), then closes it: a failed
     * check makes the start fail (exit status 1).
     */
    @EventListener(ApplicationReadyEvent.class)
    public void moveAndStop() throws IOException {
        S3PhotoStore store = bucket.getIfAvailable();
        if (store == null) {
            throw new IllegalStateException(
                    "fieldbook.attachments.move-from-disk moves photos into a bucket: set fieldbook.attachments.store=s3");
        }
        Moved moved = move(settings.moveFromDisk(), store, Integer.MAX_VALUE);
        LOG.info("Moved the disk store {} into the bucket: {} object(s) copied and checked, {} already there and "
                + "checked", settings.moveFromDisk(), moved.copied(), moved.alreadyThere());
        if (!moved.damaged().isEmpty()) {
            throw new IllegalStateException(moved.damaged().size() + " file(s) of the disk store do not match their "
                    + "names and were not moved: " + moved.damaged());
        }
        SpringApplication.exit(context);
    }

    /**
     * Copies into the bucket each object of the disk store under {@code directory} that it does not have whole,
     * checking each one read back; stops after {@code atMost} copies.
     *
     * @throws IOException when the bucket cannot be reached, or an object read back does not have its hash even
     *     after it was put again
     */
    static Moved move(Path directory, S3PhotoStore bucket, int atMost) throws IOException {
        int copied = 0;
        int alreadyThere = 0;
        List<String> damaged = new ArrayList<>();
        for (Path file : objectsUnder(directory)) {
            String key = file.getFileName().toString();
            String sha256 = sha256(Files.newInputStream(file));
            if (PHOTO.matcher(key).matches() && !key.equals(sha256)) {
                damaged.add(key);
                continue;
            }
            if (bucket.contains(key) && sha256.equals(storedSha256(bucket, key))) {
                alreadyThere++;
                continue;
            }
            if (copied == atMost) {
                return new Moved(copied, alreadyThere, damaged, true);
            }
            bucket.putObject(bucket.objectOf(key).substring(bucket.prefix().length()), file);
            String stored = storedSha256(bucket, key);
            if (!sha256.equals(stored)) {
                throw new IOException("The bucket's copy of " + key + " has SHA-256 " + stored + ", not " + sha256);
            }
            copied++;
        }
        return new Moved(copied, alreadyThere, damaged, false);
    }

    /** The content files of a disk store, {@code ab/cd/<key>}, in the order of their names. */
    private static List<Path> objectsUnder(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        try (Stream<Path> files = Files.walk(directory, 3)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> directory.relativize(file).getNameCount() == 3)
                    .filter(file -> {
                        String key = file.getFileName().toString();
                        Path relative = directory.relativize(file);
                        return KEY.matcher(key).matches() && relative.getName(0).toString().equals(key.substring(0, 2))
                                && relative.getName(1).toString().equals(key.substring(2, 4));
                    })
                    .sorted()
                    .toList();
        }
    }

    private static String storedSha256(S3PhotoStore bucket, String key) throws IOException {
        try {
            return sha256(bucket.open(key));
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private static String sha256(InputStream content) throws IOException {
        try (DigestInputStream in = new DigestInputStream(content, MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

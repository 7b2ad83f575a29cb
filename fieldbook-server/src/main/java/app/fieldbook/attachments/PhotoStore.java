package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where photo bytes live, addressed by the SHA-256 of their content. Storing the same content twice
 * keeps one copy. Local disk by default ({@code DiskPhotoStore}); an S3-compatible object store with
 * {@code fieldbook.attachments.store=s3} ({@code S3PhotoStore}, ADR 0026).
 */
public interface PhotoStore {

    /**
     * Takes the file's content under {@code key}. Returns only when the content is durable; if the
     * key already exists the file is discarded.
     */
    void put(String key, Path file) throws IOException;

    boolean contains(String key) throws IOException;

    /**
     * The content under {@code key}.
     *
     * @throws java.nio.file.NoSuchFileException when the store has nothing under it
     */
    InputStream open(String key) throws IOException;

    /**
     * Throws when content cannot be stored now, for the readiness check ({@code PhotoStorageHealthIndicator},
     * which checks the staging directory itself): the object store asks its bucket; the disk store has nothing
     * more to check.
     */
    default void check() throws IOException {
    }
}

package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where photo bytes live, addressed by the SHA-256 of their content. Storing the same content twice
 * keeps one copy. Local disk by default; an S3-compatible object store in production.
 */
public interface PhotoStore {

    /**
     * Takes the file's content under {@code key}. Returns only when the content is durable; if the
     * key already exists the file is discarded.
     */
    void put(String key, Path file) throws IOException;

    boolean contains(String key) throws IOException;

    /** The content under {@code key}. */
    InputStream open(String key) throws IOException;
}

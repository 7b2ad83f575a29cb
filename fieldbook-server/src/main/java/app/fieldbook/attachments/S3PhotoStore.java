package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Keeps photos in a bucket of an S3-compatible object store (AWS S3, MinIO, Ceph's RADOS Gateway and the like;
 * ADR 0026), through the AWS SDK v2: {@code fieldbook.attachments.store=s3}, with the endpoint, region, bucket,
 * path-style addressing and credentials of {@code fieldbook.attachments.s3.*}. Objects are named as the disk
 * store names its files ({@code ab/cd/abcd...}, after an optional prefix), so that a disk store copied into a
 * bucket needs no renaming. Content goes up with its MD5 ({@code Content-MD5}), which the store checks before it
 * keeps the object; {@link #put} returns once the store answered that it has it, which for S3 means it is
 * durable. Uploads are still staged on local disk ({@code fieldbook.attachments.directory}'s {@code incoming}),
 * where their hash is computed and their structure read, and deleted once in the bucket. Partial resumable uploads
 * are kept in the bucket too, under {@code uploads/} ({@link BucketPartialUploads}). The bucket must exist;
 * the server creates none.
 */
@Component
@ConditionalOnProperty(prefix = "fieldbook.attachments", name = "store", havingValue = "s3")
class S3PhotoStore implements PhotoStore, DisposableBean {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}(\\.[a-z]+)?");

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    @Autowired
    S3PhotoStore(AttachmentSettings settings) {
        this(settings.s3());
    }

    S3PhotoStore(AttachmentSettings.S3 settings) {
        if (settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalStateException("fieldbook.attachments.store is s3: set fieldbook.attachments.s3.bucket");
        }
        this.bucket = settings.bucket();
        this.prefix = settings.prefix().isEmpty() || settings.prefix().endsWith("/") ? settings.prefix()
                : settings.prefix() + "/";
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // only what the S3 API requires: stores other than AWS's may not know the newer checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.client = builder.build();
    }

    private static AwsCredentialsProvider credentials(AttachmentSettings.S3 settings) {
        if (settings.accessKey() == null || settings.accessKey().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (settings.secretKey() == null) {
            throw new IllegalStateException(
                    "fieldbook.attachments.s3.access-key is set: set fieldbook.attachments.s3.secret-key too");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }

    @Override
    public void put(String key, Path file) throws IOException {
        String object = objectOf(key);
        if (!exists(object)) {
            putAs(object, file);
        }
        Files.deleteIfExists(file);
    }

    /** An object of the bucket, named after the prefix, as listed. */
    record Listed(String name, long size, Instant lastModified) {
    }

    /**
     * Puts the file's content under {@code name} (after the prefix), replacing what was there; returns once the
     * store has it. The file stays.
     */
    void putObject(String name, Path file) throws IOException {
        putAs(prefix + name, file);
    }

    /** The objects whose names (after the prefix) start with {@code start}, in the order of their names. */
    List<Listed> list(String start) throws IOException {
        try {
            List<Listed> listed = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix + start).build()).contents()) {
                if (object.key().endsWith("/")) {
                    continue; // a folder, as some stores list them
                }
                listed.add(new Listed(object.key().substring(prefix.length()), object.size(), object.lastModified()));
            }
            return listed;
        } catch (SdkException failed) {
            throw new IOException("The object store did not list " + prefix + start + ": " + failed.getMessage(),
                    failed);
        }
    }

    /** The content of the object named {@code name} (after the prefix). */
    InputStream openObject(String name) throws IOException {
        String object = prefix + name;
        try {
            return client.getObject(GetObjectRequest.builder().bucket(bucket).key(object).build());
        } catch (NoSuchKeyException gone) {
            throw new NoSuchFileException(object);
        } catch (SdkException failed) {
            throw new IOException("The object store did not give " + object + ": " + failed.getMessage(), failed);
        }
    }

    /** Deletes the object named {@code name} (after the prefix), if there is one. */
    void deleteObject(String name) throws IOException {
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(prefix + name).build());
        } catch (SdkException failed) {
            throw new IOException("The object store did not delete " + prefix + name + ": " + failed.getMessage(),
                    failed);
        }
    }

    private void putAs(String object, Path file) throws IOException {
        String md5 = md5(file);
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(object).contentMD5(md5)
                    .contentLength(Files.size(file)).build(), RequestBody.fromFile(file));
        } catch (SdkException failed) {
            throw new IOException("The object store did not take " + object + ": " + failed.getMessage(), failed);
        }
    }

    @Override
    public boolean contains(String key) throws IOException {
        return exists(objectOf(key));
    }

    @Override
    public InputStream open(String key) throws IOException {
        String object = objectOf(key);
        try {
            return client.getObject(GetObjectRequest.builder().bucket(bucket).key(object).build());
        } catch (NoSuchKeyException gone) {
            throw new NoSuchFileException(object);
        } catch (SdkException failed) {
            throw new IOException("The object store did not give " + object + ": " + failed.getMessage(), failed);
        }
    }

    /** Throws when the bucket cannot be reached with the credentials configured. */
    @Override
    public void check() throws IOException {
        try {
            client.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
        } catch (SdkException failed) {
            throw new IOException("The bucket " + bucket + " cannot be reached: " + failed.getMessage(), failed);
        }
    }

    private boolean exists(String object) throws IOException {
        try {
            client.headObject(HeadObjectRequest.builder().bucket(bucket).key(object).build());
            return true;
        } catch (NoSuchKeyException gone) {
            return false;
        } catch (S3Exception failed) {
            if (failed.statusCode() == 404) {
                return false;
            }
            throw new IOException("The object store did not answer for " + object + ": " + failed.getMessage(), failed);
        } catch (SdkException failed) {
            throw new IOException("The object store did not answer for " + object + ": " + failed.getMessage(), failed);
        }
    }

    /** What is put before every object's name: empty, or ending in a slash. */
    String prefix() {
        return prefix;
    }

    /** The object's name: the disk store's path under the prefix. */
    String objectOf(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a content key: " + key);
        }
        return prefix + key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key;
    }

    private static String md5(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("MD5"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return Base64.getEncoder().encodeToString(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        client.close();
    }
}

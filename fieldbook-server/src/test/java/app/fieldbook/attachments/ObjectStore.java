package app.fieldbook.attachments;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A real S3 API on loopback for the tests: S3Proxy (org.gaul:s3proxy) in the test JVM, keeping its objects in
 * a temporary directory (jclouds' filesystem blob store), signing checked (AWS signature v2 or v4) with the
 * test's access key, and a bucket made for the test. Its own client reads what the server put there.
 */
public final class ObjectStore implements AutoCloseable {

    public static final String ACCESS_KEY = "fieldbook-test-access";
    public static final String SECRET_KEY = "fieldbook-test-secret-0123456789";
    public static final String REGION = "us-east-1";

    private final Path directory;
    private final S3Proxy proxy;
    private final BlobStoreContext blobs;
    private final S3Client client;
    private final String bucket;

    private ObjectStore(Path directory, S3Proxy proxy, BlobStoreContext blobs, S3Client client, String bucket) {
        this.directory = directory;
        this.proxy = proxy;
        this.blobs = blobs;
        this.client = client;
        this.bucket = bucket;
    }

    /** Starts S3Proxy on a free port of 127.0.0.1 with an empty bucket of this name. */
    public static ObjectStore start(String bucket) {
        try {
            Path directory = Files.createTempDirectory("fieldbook-s3-");
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
            BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                    .overrides(properties).build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .endpoint(URI.create("http://127.0.0.1:0")).build();
            proxy.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!"STARTED".equals(proxy.getState())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(20);
            }
            S3Client client = client(URI.create("http://127.0.0.1:" + proxy.getPort()));
            client.createBucket(CreateBucketRequest.builder().bucket(bucket).build());
            return new ObjectStore(directory, proxy, blobs, client, bucket);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy could not be started", e);
        }
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /**
     * The server's settings that keep its photos in this bucket ({@code fieldbook.attachments.store=s3} and the
     * bucket's address and credentials).
     */
    public java.util.Map<String, Object> serverProperties() {
        return java.util.Map.of(
                "fieldbook.attachments.store", "s3",
                "fieldbook.attachments.s3.endpoint", endpoint(),
                "fieldbook.attachments.s3.bucket", bucket,
                "fieldbook.attachments.s3.region", REGION,
                "fieldbook.attachments.s3.path-style", true,
                "fieldbook.attachments.s3.access-key", ACCESS_KEY,
                "fieldbook.attachments.s3.secret-key", SECRET_KEY);
    }

    String bucket() {
        return bucket;
    }

    /** The object's content, null when the bucket has no object of that name. */
    public byte[] object(String name) {
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(name).build()).asByteArray();
        } catch (NoSuchKeyException none) {
            return null;
        }
    }

    /** The names of the bucket's objects that start with {@code start} (not the folders S3Proxy lists too). */
    public java.util.List<String> names(String start) {
        return client.listObjectsV2Paginator(software.amazon.awssdk.services.s3.model.ListObjectsV2Request.builder()
                .bucket(bucket).prefix(start).build()).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).filter(name -> !name.endsWith("/"))
                .toList();
    }

    /** Puts an object of the test's own into the bucket. */
    void put(String name, byte[] content) {
        client.putObject(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder().bucket(bucket).key(name)
                .build(), software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
    }

    boolean has(String name) {
        try {
            client.headObject(HeadObjectRequest.builder().bucket(bucket).key(name).build());
            return true;
        } catch (NoSuchKeyException none) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
        blobs.close();
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}

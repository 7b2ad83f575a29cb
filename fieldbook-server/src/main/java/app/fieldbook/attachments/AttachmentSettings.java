package app.fieldbook.attachments;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of photo storage, bound from {@code fieldbook.attachments}.
 *
 * @param maxPhotoSize the largest photo accepted
 * @param maxPixels the most pixels (width times height, as the image's header declares them; of a HEIC or
 *     HEIF, the largest image its {@code ispe} properties declare) a photo may have; a larger one is refused
 *     at upload, before anything decodes it
 * @param directory where the local disk store keeps photos; with the object store, where uploads are staged
 * @param thumbnailSize the longer edge of a thumbnail, in pixels
 * @param thumbnailThreads the platform threads making thumbnails in the background; 0 (the default) for one per
 *     processor. While uploads go on, only one of them decodes (once a photo has waited {@code thumbnailPatience})
 * @param thumbnailLull how long no upload body must have been read before the thumbnail job decodes a photo:
 *     decoding takes a core, which a rush of uploads needs more
 * @param thumbnailPatience how long a photo's thumbnail may wait for such a lull; an older one is made anyway
 * @param thumbnailSweep how often the thumbnail job looks for due photos it was not told about (stored
 *     before a restart, or by another node)
 * @param concurrentUploads how many uploads' bodies are read at once ({@link UploadAdmission}); the rest
 *     wait their turn. A phone on a slow network holds its turn while its bytes trickle in, so this is set
 *     well above the processors
 * @param uploadQueueWait how long an upload waits for its turn before it is answered 503 with Retry-After
 * @param uploadDirectory where partial resumable uploads ({@link PhotoUploads}) are kept until complete with the disk
 *     store; nodes of one cluster share it, as they share {@code directory} (with the object store they are kept in
 *     the bucket, ADR 0029)
 * @param uploadLease how long a request appending a chunk holds its photo's cluster-wide lease ({@link UploadLeases})
 *     without renewing it; it renews it as bytes arrive, so this bounds only how long a node that died mid-chunk
 *     keeps the photo's upload from going on elsewhere
 * @param abandonedUploadAfter how long a partial upload may stand still before it is deleted (the device
 *     still has the photo and sends it again from the start if it comes back)
 * @param minimumFreeSpace the free space the photo store's volume must keep for the server to be ready
 *     ({@link PhotoStorageHealthIndicator}); below it, load balancers send no new work here
 * @param store where photos are kept: {@code disk} (the directory above, the default) or {@code s3} (a bucket of
 *     an S3-compatible object store, {@link S3PhotoStore}, ADR 0026)
 * @param s3 the object store of {@code store=s3}
 * @param moveFromDisk the directory of a disk store to move into the bucket of {@code store=s3}: when set, the server
 *     copies every photo and thumbnail not yet in the bucket, checks each one's SHA-256 read back from there, and
 *     exits ({@link MovingPhotosToBucket}); run again, it goes on where it stopped
 */
@ConfigurationProperties("fieldbook.attachments")
record AttachmentSettings(
        @DefaultValue("25MB") DataSize maxPhotoSize,
        @DefaultValue("50000000") long maxPixels,
        @DefaultValue("./data/photos") Path directory,
        @DefaultValue("320") int thumbnailSize,
        @DefaultValue("0") int thumbnailThreads,
        @DefaultValue("PT30S") Duration thumbnailSweep,
        @DefaultValue("PT1S") Duration thumbnailLull,
        @DefaultValue("PT2M") Duration thumbnailPatience,
        @DefaultValue("16") int concurrentUploads,
        @DefaultValue("PT30S") Duration uploadQueueWait,
        @DefaultValue("./data/uploads") Path uploadDirectory,
        @DefaultValue("PT1M") Duration uploadLease,
        @DefaultValue("7d") Duration abandonedUploadAfter,
        @DefaultValue("500MB") DataSize minimumFreeSpace,
        @DefaultValue("disk") String store,
        @DefaultValue S3 s3,
        Path moveFromDisk) {

    AttachmentSettings {
        if (thumbnailThreads < 0) {
            throw new IllegalArgumentException("fieldbook.attachments.thumbnail-threads must be 0 (one per processor) or more");
        }
        if (thumbnailThreads == 0) {
            thumbnailThreads = Runtime.getRuntime().availableProcessors();
        }
        if (concurrentUploads < 1) {
            throw new IllegalArgumentException("fieldbook.attachments.concurrent-uploads must be at least 1");
        }
        if (uploadLease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("fieldbook.attachments.upload-lease must be at least a second");
        }
        if (!store.equals("disk") && !store.equals("s3")) {
            throw new IllegalArgumentException("fieldbook.attachments.store must be disk or s3, not " + store);
        }
    }

    /**
     * The S3-compatible object store photos are kept in when {@code store} is {@code s3}.
     *
     * @param endpoint the store's URL (MinIO, Ceph and the like); none for AWS S3, whose endpoint follows from
     *     the region
     * @param region the region requests are signed for
     * @param bucket the bucket, which must exist
     * @param pathStyle whether the bucket is named in the path ({@code http://host/bucket/key}, as most stores of
     *     one's own need) rather than in the host's name
     * @param accessKey the access key; none to take the credentials as the AWS SDK does by default (environment
     *     variables, profile files, the instance's or pod's role)
     * @param secretKey the access key's secret; never shown ({@link #toString})
     * @param prefix put before every object's name, to share a bucket
     */
    record S3(URI endpoint, @DefaultValue("us-east-1") String region, String bucket,
            @DefaultValue("false") boolean pathStyle, String accessKey, String secretKey,
            @DefaultValue("") String prefix) {

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle="
                    + pathStyle + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "***")
                    + ", prefix=" + prefix + "]";
        }
    }

    /** Where uploads are staged before they are stored: inside the store's directory, on its file system. */
    Path incoming() {
        return directory.resolve("incoming");
    }
}

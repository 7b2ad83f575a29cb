package app.fieldbook.attachments;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of photo storage, bound from {@code fieldbook.attachments}.
 *
 * @param maxPhotoSize the largest photo accepted
 * @param maxPixels the most pixels (width times height, as the image's header declares them) a JPEG, PNG
 *     or WebP photo may have; a larger one is refused at upload, before anything decodes it
 * @param directory where the local disk store keeps photos
 * @param thumbnailSize the longer edge of a thumbnail, in pixels
 * @param thumbnailThreads the platform threads making thumbnails in the background
 * @param thumbnailLull how long no upload body must have been read before the thumbnail job decodes a photo:
 *     decoding takes a core, which a rush of uploads needs more
 * @param thumbnailPatience how long a photo's thumbnail may wait for such a lull; an older one is made anyway
 * @param thumbnailSweep how often the thumbnail job looks for due photos it was not told about (stored
 *     before a restart, or by another node)
 * @param concurrentUploads how many uploads' bodies are read at once ({@link UploadAdmission}); the rest
 *     wait their turn. A phone on a slow network holds its turn while its bytes trickle in, so this is set
 *     well above the processors
 * @param uploadQueueWait how long an upload waits for its turn before it is answered 503 with Retry-After
 * @param uploadDirectory where partial resumable uploads ({@link PhotoUploads}) are kept until complete
 * @param abandonedUploadAfter how long a partial upload may stand still before it is deleted (the device
 *     still has the photo and sends it again from the start if it comes back)
 * @param minimumFreeSpace the free space the photo store's volume must keep for the server to be ready
 *     ({@link PhotoStorageHealthIndicator}); below it, load balancers send no new work here
 */
@ConfigurationProperties("fieldbook.attachments")
record AttachmentSettings(
        @DefaultValue("25MB") DataSize maxPhotoSize,
        @DefaultValue("50000000") long maxPixels,
        @DefaultValue("./data/photos") Path directory,
        @DefaultValue("320") int thumbnailSize,
        @DefaultValue("1") int thumbnailThreads,
        @DefaultValue("PT30S") Duration thumbnailSweep,
        @DefaultValue("PT1S") Duration thumbnailLull,
        @DefaultValue("PT2M") Duration thumbnailPatience,
        @DefaultValue("16") int concurrentUploads,
        @DefaultValue("PT30S") Duration uploadQueueWait,
        @DefaultValue("./data/uploads") Path uploadDirectory,
        @DefaultValue("7d") Duration abandonedUploadAfter,
        @DefaultValue("500MB") DataSize minimumFreeSpace) {

    AttachmentSettings {
        if (thumbnailThreads < 1) {
            throw new IllegalArgumentException("fieldbook.attachments.thumbnail-threads must be at least 1");
        }
        if (concurrentUploads < 1) {
            throw new IllegalArgumentException("fieldbook.attachments.concurrent-uploads must be at least 1");
        }
    }

    /** Where uploads are staged before they are stored: inside the store's directory, on its file system. */
    Path incoming() {
        return directory.resolve("incoming");
    }
}

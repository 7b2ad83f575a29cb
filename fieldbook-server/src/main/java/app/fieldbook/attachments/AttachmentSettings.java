package app.fieldbook.attachments;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of photo storage, bound from {@code fieldbook.attachments}.
 *
 * @param maxPhotoSize the largest photo accepted
 * @param directory where the local disk store keeps photos
 * @param thumbnailSize the longer edge of a thumbnail, in pixels
 */
@ConfigurationProperties("fieldbook.attachments")
record AttachmentSettings(
        @DefaultValue("25MB") DataSize maxPhotoSize,
        @DefaultValue("./data/photos") Path directory,
        @DefaultValue("320") int thumbnailSize) {
}

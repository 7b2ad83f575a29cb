package app.fieldbook.attachments;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes JPEG thumbnails of the photos Java can decode (JPEG and PNG with the JDK's readers). Images are
 * read subsampled, so a 48-megapixel photo does not need its full size in memory, and an image that
 * declares more pixels than the limit is not decoded at all. CPU-heavy: called by {@link MakingThumbnails}
 * on its own threads, never on the path of a request.
 */
@Component
class Thumbnails {

    private static final Logger log = LoggerFactory.getLogger(Thumbnails.class);

    private final int edge;
    private final long maxPixels;
    private final Path incoming;

    Thumbnails(AttachmentSettings settings) {
        this.edge = settings.thumbnailSize();
        this.maxPixels = settings.maxPixels();
        this.incoming = settings.incoming();
    }

    /** Whether thumbnails can be made of this type at all. */
    static boolean canDecode(PhotoType type) {
        return type == PhotoType.JPEG || type == PhotoType.PNG;
    }

    /**
     * A thumbnail file of the photo (in the store's staging directory, for the caller to store or delete),
     * or empty when the type cannot be decoded or the image is damaged or over the pixel limit.
     */
    Optional<Path> of(InputStream photo, PhotoType type, String name) throws IOException {
        if (!canDecode(type)) {
            return Optional.empty();
        }
        BufferedImage image;
        try (ImageInputStream input = new MemoryCacheImageInputStream(photo)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    log.info("No thumbnail for {}: {} x {} pixels is over the limit", name, width, height);
                    return Optional.empty();
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (edge * 2));
                param.setSourceSubsampling(step, step, 0, 0);
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            log.info("No thumbnail for {}: {}", name, e.toString());
            return Optional.empty();
        }
        Files.createDirectories(incoming);
        Path thumbnail = Files.createTempFile(incoming, "thumb-", ".jpg");
        try {
            ImageIO.write(scaled(image), "jpg", thumbnail.toFile());
            return Optional.of(thumbnail);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(thumbnail);
            throw e;
        }
    }

    private BufferedImage scaled(BufferedImage image) {
        double factor = Math.min(1.0, (double) edge / Math.max(image.getWidth(), image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, width, height, Color.WHITE, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }
}

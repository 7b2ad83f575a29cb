package app.fieldbook.attachments;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes JPEG thumbnails of the photos Java can decode (JPEG and PNG with the JDK's readers). Large
 * images are read subsampled, so a 48-megapixel photo does not need its full size in memory.
 */
@Component
class Thumbnails {

    private static final Logger log = LoggerFactory.getLogger(Thumbnails.class);

    private final int edge;

    Thumbnails(AttachmentSettings settings) {
        this.edge = settings.thumbnailSize();
    }

    /** A thumbnail file of the photo, or empty when the type cannot be decoded or the image is damaged. */
    Optional<Path> of(Path photo, PhotoType type) {
        if (type != PhotoType.JPEG && type != PhotoType.PNG) {
            return Optional.empty();
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(photo.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (edge * 2));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = reader.read(0, param);
                Path thumbnail = Files.createTempFile(photo.getParent(), "thumb-", ".jpg");
                ImageIO.write(scaled(image), "jpg", thumbnail.toFile());
                return Optional.of(thumbnail);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            log.info("No thumbnail for {}: {}", photo.getFileName(), e.toString());
            return Optional.empty();
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
            graphics.drawImage(image, 0, 0, width, height, java.awt.Color.WHITE, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }
}

package app.fieldbook.attachments;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a photo's container from its first byte to its last, without decoding a pixel: the segments of a
 * JPEG ({@link JpegStructure}), the chunks of a PNG ({@link PngStructure}) or a WebP ({@link WebpStructure}),
 * the boxes of a HEIC or HEIF ({@link BoxStructure}, with a {@code meta} box declaring the image's size in
 * {@code ispe}). So a file that only starts
 * like an image (truncated, garbage after a valid header, a JPEG with HTML after its end) is told apart from
 * one that is an image, at the cost of one read of the file; what it declares is the only size known before
 * anything decodes it.
 */
final class PhotoStructure {

    private PhotoStructure() {
    }

    /**
     * The width and height the photo declares (of a HEIC or HEIF, the largest image it holds).
     *
     * @throws MalformedImage if the file is not a well-formed image of its type, saying where it breaks
     */
    static PixelSize read(Path photo, PhotoType type) throws IOException, MalformedImage {
        try (ImageBytes bytes = new ImageBytes(photo)) {
            return switch (type) {
                case JPEG -> JpegStructure.read(bytes);
                case PNG -> PngStructure.read(bytes);
                case WEBP -> WebpStructure.read(bytes);
                case HEIC, HEIF -> BoxStructure.heif(bytes);
            };
        }
    }
}

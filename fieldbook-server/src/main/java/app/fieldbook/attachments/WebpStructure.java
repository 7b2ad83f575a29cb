package app.fieldbook.attachments;

import java.io.IOException;

/**
 * The structure of a WebP file, read without decoding it: a RIFF header whose size is the file's, a chain
 * of chunks that covers it exactly (each padded to an even length), a first chunk that is a lossy (VP8),
 * lossless (VP8L) or extended (VP8X) header with a width and height above zero, and image data.
 */
final class WebpStructure {

    private WebpStructure() {
    }

    /** The size the first chunk declares, once the whole file is found well-formed. */
    static PixelSize read(ImageBytes bytes) throws IOException, MalformedImage {
        long fileSize = bytes.remaining();
        if (!bytes.fourCc().equals("RIFF")) {
            throw new MalformedImage("no RIFF header");
        }
        long riffSize = bytes.u32le();
        if (!bytes.fourCc().equals("WEBP") || riffSize + 8 != fileSize) {
            throw new MalformedImage("the RIFF header declares " + (riffSize + 8) + " bytes; the file has " + fileSize);
        }
        PixelSize size = null;
        boolean imageData = false;
        while (!bytes.atEnd()) {
            long at = bytes.position();
            String name = bytes.fourCc();
            long length = bytes.u32le();
            if (length > bytes.remaining()) {
                throw new MalformedImage("the chunk " + name + " at byte " + at + " declares " + length + " bytes");
            }
            boolean first = at == 12;
            switch (name) {
                case "VP8 " -> {
                    PixelSize lossy = lossy(bytes, length);
                    size = first ? lossy : size;
                    imageData = true;
                }
                case "VP8L" -> {
                    PixelSize lossless = lossless(bytes, length);
                    size = first ? lossless : size;
                    imageData = true;
                }
                case "VP8X" -> {
                    if (!first) {
                        throw new MalformedImage("an extended header (VP8X) at byte " + at + ", not first");
                    }
                    size = extended(bytes, length);
                }
                default -> {
                    if (first) {
                        throw new MalformedImage("the first chunk is " + name + ", not an image header");
                    }
                    imageData |= name.equals("ANMF");
                    bytes.skip(length);
                }
            }
            if (length % 2 == 1) {
                bytes.skip(1);
            }
        }
        if (size == null || !imageData) {
            throw new MalformedImage("the file has no image data");
        }
        return size;
    }

    private static PixelSize lossy(ImageBytes bytes, long length) throws IOException, MalformedImage {
        if (length < 10) {
            throw new MalformedImage("a lossy image chunk of " + length + " bytes");
        }
        bytes.skip(3);
        if (bytes.u8() != 0x9D || bytes.u8() != 0x01 || bytes.u8() != 0x2A) {
            throw new MalformedImage("a lossy image chunk without its start code");
        }
        PixelSize size = sized(bytes.u16le() & 0x3FFF, bytes.u16le() & 0x3FFF);
        bytes.skip(length - 10);
        return size;
    }

    private static PixelSize lossless(ImageBytes bytes, long length) throws IOException, MalformedImage {
        if (length < 5 || bytes.u8() != 0x2F) {
            throw new MalformedImage("a lossless image chunk without its signature");
        }
        long bits = bytes.u32le();
        PixelSize size = sized((int) (bits & 0x3FFF) + 1, (int) ((bits >>> 14) & 0x3FFF) + 1);
        bytes.skip(length - 5);
        return size;
    }

    private static PixelSize extended(ImageBytes bytes, long length) throws IOException, MalformedImage {
        if (length < 10) {
            throw new MalformedImage("an extended header of " + length + " bytes");
        }
        bytes.skip(4);
        PixelSize size = sized(bytes.u24le() + 1, bytes.u24le() + 1);
        bytes.skip(length - 10);
        return size;
    }

    private static PixelSize sized(int width, int height) throws MalformedImage {
        if (width <= 0 || height <= 0) {
            throw new MalformedImage("the image declares " + width + " x " + height + " pixels");
        }
        return new PixelSize(width, height);
    }
}

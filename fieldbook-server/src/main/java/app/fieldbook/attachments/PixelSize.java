package app.fieldbook.attachments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The width and height an image declares in its header, read without decoding it: the SOF segment of a
 * JPEG, the IHDR chunk of a PNG, the VP8, VP8L or VP8X chunk of a WebP. A few small reads, whatever the
 * image's size, so that an image too large to decode is refused before anything decodes it.
 */
record PixelSize(int width, int height) {

    long pixels() {
        return (long) width * height;
    }

    /** The declared size, or empty for HEIC/HEIF (never decoded here) and for headers that cannot be read. */
    static Optional<PixelSize> of(Path image, PhotoType type) throws IOException {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
            return switch (type) {
                case JPEG -> jpeg(file);
                case PNG -> png(file);
                case WEBP -> webp(file);
                case HEIC, HEIF -> Optional.empty();
            };
        }
    }

    private static Optional<PixelSize> jpeg(FileChannel file) throws IOException {
        long position = 2;
        long size = file.size();
        while (position + 4 <= size) {
            ByteBuffer marker = read(file, position, 2, ByteOrder.BIG_ENDIAN);
            if ((marker.get(0) & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int code = marker.get(1) & 0xFF;
            if (code == 0xFF) {
                position++;
                continue;
            }
            if (code == 0x01 || (code >= 0xD0 && code <= 0xD8)) {
                position += 2;
                continue;
            }
            if (code == 0xD9 || code == 0xDA) {
                return Optional.empty();
            }
            int length = read(file, position + 2, 2, ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
            boolean startOfFrame = code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
            if (startOfFrame) {
                if (length < 7 || position + 9 > size) {
                    return Optional.empty();
                }
                ByteBuffer frame = read(file, position + 5, 4, ByteOrder.BIG_ENDIAN);
                return sized(frame.getShort(2) & 0xFFFF, frame.getShort(0) & 0xFFFF);
            }
            if (length < 2) {
                return Optional.empty();
            }
            position += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<PixelSize> png(FileChannel file) throws IOException {
        if (file.size() < 24) {
            return Optional.empty();
        }
        ByteBuffer header = read(file, 12, 12, ByteOrder.BIG_ENDIAN);
        if (!ascii(header, 0, 4).equals("IHDR")) {
            return Optional.empty();
        }
        long width = header.getInt(4) & 0xFFFFFFFFL;
        long height = header.getInt(8) & 0xFFFFFFFFL;
        return width > Integer.MAX_VALUE || height > Integer.MAX_VALUE ? Optional.of(new PixelSize(Integer.MAX_VALUE,
                Integer.MAX_VALUE)) : sized((int) width, (int) height);
    }

    private static Optional<PixelSize> webp(FileChannel file) throws IOException {
        if (file.size() < 30) {
            return Optional.empty();
        }
        ByteBuffer chunk = read(file, 12, 18, ByteOrder.LITTLE_ENDIAN);
        return switch (ascii(chunk, 0, 4)) {
            case "VP8 " -> sized(chunk.getShort(14) & 0x3FFF, chunk.getShort(16) & 0x3FFF);
            case "VP8L" -> {
                int bits = chunk.getInt(9);
                yield sized((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X" -> sized(uint24(chunk, 12) + 1, uint24(chunk, 15) + 1);
            default -> Optional.empty();
        };
    }

    private static Optional<PixelSize> sized(int width, int height) {
        return width > 0 && height > 0 ? Optional.of(new PixelSize(width, height)) : Optional.empty();
    }

    private static ByteBuffer read(FileChannel file, long position, int length, ByteOrder order) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("Image header ends early");
            }
        }
        return buffer.flip();
    }

    private static int uint24(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) | (buffer.get(index + 1) & 0xFF) << 8 | (buffer.get(index + 2) & 0xFF) << 16;
    }

    private static String ascii(ByteBuffer buffer, int index, int length) {
        byte[] bytes = new byte[length];
        buffer.get(index, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

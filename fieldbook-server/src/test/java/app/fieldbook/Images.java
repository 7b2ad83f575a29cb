package app.fieldbook;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Small real images for upload tests, made with the JDK's encoders. */
public final class Images {

    private Images() {
    }

    public static byte[] jpeg(int width, int height) {
        return encode("jpg", width, height);
    }

    public static byte[] png(int width, int height) {
        return encode("png", width, height);
    }

    /**
     * A small well-formed HEIC container declaring a 64 x 48 image ({@link HeifBoxes#heic}): its file type
     * box, a {@code meta} box with the image's size and a few bytes of media data. Enough for the server's
     * checks; not decodable (the server never decodes HEIC).
     */
    public static byte[] heic() {
        return HeifBoxes.heic(64, 48);
    }

    /** The leading box of a HEIC file followed by zeros: it starts like a HEIC and is not one. */
    public static byte[] heicHeader() {
        byte[] bytes = new byte[64];
        byte[] box = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(box, 0, bytes, 0, box.length);
        return bytes;
    }

    /**
     * A well-formed PNG whose header declares {@code width} x {@code height} pixels, with a few bytes of
     * image data: what a decompression bomb looks like before it is decoded.
     */
    public static byte[] pngDeclaring(int width, int height) {
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0});
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(pngChunk("IHDR", header.array()));
        png.writeBytes(pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00}));
        png.writeBytes(pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    /** A PNG chunk: length, type, data and the CRC of type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(StandardCharsets.ISO_8859_1));
        crc.update(data);
        return java.nio.ByteBuffer.allocate(12 + data.length).putInt(data.length)
                .put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data).putInt((int) crc.getValue()).array();
    }

    /** A small real JPEG whose frame header (SOF) is changed to declare {@code width} x {@code height} pixels. */
    public static byte[] jpegDeclaring(int width, int height) {
        byte[] jpeg = jpeg(16, 16);
        for (int i = 2; i + 8 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
            i += 2 + length;
        }
        throw new IllegalStateException("No frame header in the JPEG");
    }

    private static byte[] encode(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color(30, 120, 200));
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(Color.ORANGE);
        graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
        graphics.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

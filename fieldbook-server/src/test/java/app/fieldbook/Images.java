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

    /** The leading box of a HEIC file: enough for type detection, not decodable. */
    public static byte[] heicHeader() {
        byte[] bytes = new byte[64];
        byte[] box = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(box, 0, bytes, 0, box.length);
        return bytes;
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

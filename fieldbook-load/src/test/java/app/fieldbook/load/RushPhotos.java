package app.fieldbook.load;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The photos of the rush: real 12-megapixel JPEGs (4000 x 3000, about 1.5 MB: gradients, waves and noise,
 * which compress about as badly as a site photo), generated once per run. Every photo sent is distinct:
 * one of the generated images with a JPEG comment segment naming the photo's id after its start marker,
 * so no two photos have the same SHA-256 and deduplication cannot help, while the load generator keeps
 * only the few generated images in memory and makes each photo's bytes from one of them when it is sent.
 */
final class RushPhotos {

    static final int WIDTH = 4000;
    static final int HEIGHT = 3000;

    /** One photo of a submission: its id, the image it is made of, its leading bytes, hash and size. */
    record Photo(UUID id, int image, byte[] head, String sha256, long size) {
    }

    private final List<byte[]> images;

    private RushPhotos(List<byte[]> images) {
        this.images = images;
    }

    /** Generates {@code count} distinct images (about a second of CPU each). */
    static RushPhotos generate(int count) {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(jpeg(new Random(4711L + i)));
        }
        return new RushPhotos(images);
    }

    /** A photo of its own: image {@code sequence % count} with a comment naming {@code id}. */
    Photo photo(UUID id, long sequence) {
        int image = (int) (sequence % images.size());
        byte[] comment = ("fieldbook-load photo " + id).getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[2 + 4 + comment.length];
        head[0] = (byte) 0xFF;
        head[1] = (byte) 0xD8;
        head[2] = (byte) 0xFF;
        head[3] = (byte) 0xFE;
        head[4] = (byte) ((comment.length + 2) >> 8);
        head[5] = (byte) (comment.length + 2);
        System.arraycopy(comment, 0, head, 6, comment.length);
        byte[] body = images.get(image);
        MessageDigest sha256 = sha256();
        sha256.update(head);
        sha256.update(body, 2, body.length - 2);
        return new Photo(id, image, head, HexFormat.of().formatHex(sha256.digest()), head.length + body.length - 2L);
    }

    /** The photo's bytes in one array, made for the request that sends them. */
    byte[] bytes(Photo photo) {
        byte[] body = images.get(photo.image());
        byte[] bytes = new byte[(int) photo.size()];
        System.arraycopy(photo.head(), 0, bytes, 0, photo.head().length);
        System.arraycopy(body, 2, bytes, photo.head().length, body.length - 2);
        return bytes;
    }

    long averageSize() {
        return (long) images.stream().mapToInt(image -> image.length).average().orElse(0);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jpeg(Random random) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[WIDTH];
        double waveX = 2 + random.nextDouble() * 6;
        double waveY = 2 + random.nextDouble() * 6;
        double phase = random.nextDouble() * 6;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double wave = Math.sin(x * waveX / WIDTH * Math.PI + phase) * Math.cos(y * waveY / HEIGHT * Math.PI);
                int noise = random.nextInt(16) - 8;
                int red = clamp((int) (128 + 90 * wave) + noise);
                int green = clamp((int) (x * 255L / WIDTH) + noise);
                int blue = clamp((int) (y * 255L / HEIGHT) - noise);
                row[x] = red << 16 | green << 8 | blue;
            }
            image.setRGB(0, y, WIDTH, 1, row, 0, WIDTH);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam quality = writer.getDefaultWriteParam();
        quality.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        quality.setCompressionQuality(0.85f);
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), quality);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}

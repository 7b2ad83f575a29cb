package app.fieldbook;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What an attacker would upload as a photo, each with the refusal the server must answer through the REST
 * upload and through sync (where the photo is first announced with its size, then sent). Made from small
 * real images on each run and HEIC boxes built here ({@link HeifBoxes}), so no binary file is committed but
 * the one real HEIC the photo header fuzz test has among its inputs.
 */
public final class MaliciousUploads {

    /** The answer expected: an HTTP status (or an operation's) and the problem type's last segment. */
    public record Refusal(int status, String type) {
    }

    /**
     * One malicious upload.
     *
     * @param fileName the name a browser form would send (the server never uses it)
     * @param caption the caption sent with it
     */
    public record Upload(String name, byte[] content, String fileName, String caption, Refusal rest, Refusal sync) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String HTML = "<html><body><script>alert(document.cookie)</script></body></html>";
    private static final Refusal MALFORMED = new Refusal(422, "malformed-photo");
    private static final Refusal NOT_A_PHOTO = new Refusal(415, "unsupported-photo-type");
    private static final Refusal TOO_MANY_PIXELS = new Refusal(422, "too-many-pixels");

    private MaliciousUploads() {
    }

    public static List<Upload> corpus() {
        byte[] jpeg = Images.jpeg(64, 48);
        byte[] png = Images.png(64, 48);
        return List.of(
                upload("oversize (25 MB and one byte, starting as a JPEG)", padded(jpeg, 25 * 1024 * 1024 + 1),
                        new Refusal(413, "photo-too-large"), new Refusal(413, "photo-too-large")),
                upload("zero bytes", new byte[0], new Refusal(400, "empty-photo"), new Refusal(422, "invalid-photo")),
                upload("wrong magic bytes (a GIF)", concat(ascii("GIF89a"), noise(200, 1)), NOT_A_PHOTO, NOT_A_PHOTO),
                upload("an SVG with a script", ascii("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)"
                        + "</script></svg>"), NOT_A_PHOTO, NOT_A_PHOTO),
                upload("JPEG/HTML polyglot (HTML after EOI)", concat(jpeg, ascii(HTML)), MALFORMED, MALFORMED),
                upload("JPEG/HTML polyglot (HTML after zero padding)", concat(jpeg, new byte[16], ascii(HTML)),
                        MALFORMED, MALFORMED),
                upload("truncated JPEG", Arrays.copyOf(jpeg, jpeg.length * 2 / 3), MALFORMED, MALFORMED),
                upload("JPEG without its last byte", Arrays.copyOf(jpeg, jpeg.length - 1), MALFORMED, MALFORMED),
                upload("JPEG header followed by garbage", concat(Arrays.copyOf(jpeg, 20), noise(4000, 2)), MALFORMED,
                        MALFORMED),
                upload("JPEG start followed by HTML", concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                        ascii(HTML)), MALFORMED, MALFORMED),
                upload("JPEG whose segment runs past the end of the file", segmentRunningPastTheEnd(jpeg), MALFORMED,
                        MALFORMED),
                upload("PNG signature followed by garbage", concat(Arrays.copyOf(png, 8), noise(4000, 3)), MALFORMED,
                        MALFORMED),
                upload("PNG with a bad CRC", withBadCrc(png), MALFORMED, MALFORMED),
                upload("PNG with data after IEND", concat(png, ascii(HTML)), MALFORMED, MALFORMED),
                upload("truncated PNG", Arrays.copyOf(png, png.length - 5), MALFORMED, MALFORMED),
                upload("decompression bomb: a 20000 x 20000 PNG header", Images.pngDeclaring(20_000, 20_000),
                        TOO_MANY_PIXELS, TOO_MANY_PIXELS),
                upload("decompression bomb: a 60000 x 60000 JPEG frame", Images.jpegDeclaring(60_000, 60_000),
                        TOO_MANY_PIXELS, TOO_MANY_PIXELS),
                upload("HEIC file type box followed by zeros", Images.heicHeader(), MALFORMED, MALFORMED),
                upload("decompression bomb: a HEIC declaring 60000 x 60000", HeifBoxes.heic(60_000, 60_000),
                        TOO_MANY_PIXELS, TOO_MANY_PIXELS),
                upload("decompression bomb: a small HEIC image beside a 4294967295 x 4294967295 one",
                        heicWithProperties(HeifBoxes.ispe(64, 48), HeifBoxes.ispe(0xFFFF_FFFFL, 0xFFFF_FFFFL)),
                        TOO_MANY_PIXELS, TOO_MANY_PIXELS),
                upload("HEIC without an image size (no ispe)", heicWithProperties(HeifBoxes.box("pixi", new byte[8])),
                        MALFORMED, MALFORMED),
                upload("HEIC whose ispe runs past its container", ispeRunningPastItsContainer(), MALFORMED,
                        MALFORMED),
                upload("HEIC with a box of 64-bit size 2^63 inside meta", heicWithHugeBoxInsideMeta(), MALFORMED,
                        MALFORMED),
                upload("real HEIC/HTML polyglot (HTML after the last box)", concat(HeifBoxes.encoded(), ascii(HTML)),
                        MALFORMED, MALFORMED),
                upload("WebP whose RIFF size is not the file's", webpWithWrongSize(), MALFORMED, MALFORMED),
                new Upload("path traversal in the file name, HTML content", ascii(HTML),
                        "../../../../../../tmp/fieldbook-evil.html", null, NOT_A_PHOTO, NOT_A_PHOTO),
                new Upload("path traversal in the file name and caption, a polyglot",
                        concat(jpeg, ascii(HTML)), "..\\..\\..\\photos\\index.html", "../../../etc/passwd",
                        MALFORMED, MALFORMED));
    }

    private static Upload upload(String name, byte[] content, Refusal rest, Refusal sync) {
        return new Upload(name, content, "photo.jpg", null, rest, sync);
    }

    private static byte[] padded(byte[] start, int size) {
        return Arrays.copyOf(start, size);
    }

    /** The JPEG with the length of its first segment (after SOI) set to the largest there is. */
    private static byte[] segmentRunningPastTheEnd(byte[] jpeg) {
        byte[] broken = jpeg.clone();
        broken[4] = (byte) 0xFF;
        broken[5] = (byte) 0xFF;
        return broken;
    }

    /** The PNG with one byte of its first IDAT chunk's data changed, so the chunk's CRC no longer fits. */
    private static byte[] withBadCrc(byte[] png) {
        byte[] broken = png.clone();
        ByteBuffer chunks = ByteBuffer.wrap(broken);
        int at = 8;
        while (!new String(broken, at + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
            at += 12 + chunks.getInt(at);
        }
        broken[at + 8] ^= 0x01;
        return broken;
    }

    private static byte[] heicWithProperties(byte[]... properties) {
        return concat(HeifBoxes.fileType(), HeifBoxes.meta(properties), HeifBoxes.mediaData());
    }

    /** A HEIC whose ipco box is cut to end inside its ispe, while meta and iprp still cover the ispe. */
    private static byte[] ispeRunningPastItsContainer() {
        byte[] ipco = HeifBoxes.box("ipco", Arrays.copyOf(HeifBoxes.ispe(64, 48), 12));
        byte[] meta = HeifBoxes.fullBox("meta", HeifBoxes.box("iprp", ipco, new byte[8]));
        return concat(HeifBoxes.fileType(), meta, HeifBoxes.mediaData());
    }

    /** A HEIC whose meta box holds, before its properties, a box saying (with size 1) it has 2^63 bytes. */
    private static byte[] heicWithHugeBoxInsideMeta() {
        byte[] huge = ByteBuffer.allocate(16).putInt(1).put(ascii("free")).putLong(Long.MIN_VALUE).array();
        byte[] meta = HeifBoxes.fullBox("meta", huge, HeifBoxes.box("iprp", HeifBoxes.box("ipco",
                HeifBoxes.ispe(64, 48))));
        return concat(HeifBoxes.fileType(), meta, HeifBoxes.mediaData());
    }

    private static byte[] webpWithWrongSize() {
        ByteBuffer webp = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        webp.put(ascii("RIFF")).putInt(4000).put(ascii("WEBP")).put(ascii("VP8L")).putInt(20)
                .put((byte) 0x2F).putInt(63 | 47 << 14);
        return webp.array();
    }

    private static byte[] noise(int length, long seed) {
        byte[] noise = new byte[length];
        new Random(seed).nextBytes(noise);
        return noise;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }
}

package app.fieldbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * ISO base media boxes (ISO/IEC 14496-12) for HEIC test files, built in the test rather than committed: a box
 * is its 32-bit size, its name and its content; a full box puts a version and flags first. A HEIC is
 * {@code ftyp}, then {@code meta} holding {@code iprp/ipco} with one {@code ispe} per image, then media data.
 */
public final class HeifBoxes {

    private HeifBoxes() {
    }

    /** A box whose content is {@code parts} one after another. */
    public static byte[] box(String name, byte[]... parts) {
        byte[] content = concat(parts);
        return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length).put(ascii(name)).put(content)
                .array();
    }

    /** A full box of version 0 with no flags. */
    public static byte[] fullBox(String name, byte[]... parts) {
        return box(name, concat(new byte[4], concat(parts)));
    }

    /** The image spatial extents property: an image of {@code width} x {@code height} pixels (unsigned). */
    public static byte[] ispe(long width, long height) {
        return fullBox("ispe", ByteBuffer.allocate(8).putInt((int) width).putInt((int) height).array());
    }

    public static byte[] fileType() {
        return box("ftyp", ascii("heic"), new byte[4], ascii("mif1heic"));
    }

    /** A meta box holding the handler and the item properties {@code properties} (ispe boxes, say). */
    public static byte[] meta(byte[]... properties) {
        return fullBox("meta", fullBox("hdlr", new byte[4], ascii("pict"), new byte[13]),
                box("iprp", box("ipco", properties)));
    }

    public static byte[] mediaData() {
        return box("mdat", new byte[] {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
    }

    /** A well-formed HEIC container declaring one image of {@code width} x {@code height} pixels (not decodable). */
    public static byte[] heic(long width, long height) {
        return concat(fileType(), meta(ispe(width, height)), mediaData());
    }

    /**
     * A real HEIC of 6 x 4 pixels made by an HEVC encoder: a grid of one 64 x 64 tile, so its {@code ispe}
     * properties declare 64 x 64 and 6 x 4 (one of the Jazzer inputs of the photo header parsers).
     */
    public static byte[] encoded() {
        try (InputStream in = HeifBoxes.class.getResourceAsStream(
                "/app/fieldbook/attachments/PhotoStructureFuzzTestInputs/heicIsReadOrRefused/heif-enc.heic")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

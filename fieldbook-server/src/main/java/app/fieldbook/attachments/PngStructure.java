package app.fieldbook.attachments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The structure of a PNG file, read without decoding it: the signature, IHDR first (13 bytes, a width and
 * height above zero, a bit depth that its colour type allows), a chain of chunks whose lengths fit and whose
 * CRCs are right, at least one IDAT, and IEND last with nothing after it.
 */
final class PngStructure {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngStructure() {
    }

    /** The size IHDR declares, once the whole file is found well-formed. */
    static PixelSize read(ImageBytes bytes) throws IOException, MalformedImage {
        if (!Arrays.equals(bytes.bytes(SIGNATURE.length), SIGNATURE)) {
            throw new MalformedImage("no PNG signature");
        }
        PixelSize size = null;
        boolean imageData = false;
        while (true) {
            long at = bytes.position();
            long length = bytes.u32();
            if (length > Integer.MAX_VALUE) {
                throw new MalformedImage("the chunk at byte " + at + " declares " + length + " bytes");
            }
            String type = chunkType(bytes);
            CRC32 crc = new CRC32();
            crc.update(type.getBytes(StandardCharsets.ISO_8859_1));
            if (size == null && !type.equals("IHDR")) {
                throw new MalformedImage("the first chunk is " + type + ", not IHDR");
            }
            if (type.equals("IHDR")) {
                if (size != null || length != 13) {
                    throw new MalformedImage("a second or misshapen IHDR chunk at byte " + at);
                }
                byte[] header = bytes.bytes(13);
                crc.update(header);
                size = header(header);
            } else {
                bytes.checksum(length, crc);
            }
            if (bytes.u32() != crc.getValue()) {
                throw new MalformedImage("the CRC of the " + type + " chunk at byte " + at + " is wrong");
            }
            imageData |= type.equals("IDAT");
            if (type.equals("IEND")) {
                if (length != 0 || !imageData) {
                    throw new MalformedImage(imageData ? "IEND carries data" : "IEND comes before any image data");
                }
                if (!bytes.atEnd()) {
                    throw new MalformedImage(bytes.remaining() + " bytes follow IEND, the end of the image");
                }
                return size;
            }
        }
    }

    private static String chunkType(ImageBytes bytes) throws IOException, MalformedImage {
        long at = bytes.position();
        String type = bytes.fourCc();
        if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            throw new MalformedImage("the chunk at byte " + (at - 4) + " has no valid type");
        }
        return type;
    }

    private static PixelSize header(byte[] header) throws MalformedImage {
        long width = uint32(header, 0);
        long height = uint32(header, 4);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new MalformedImage("IHDR declares " + width + " x " + height + " pixels");
        }
        int bitDepth = header[8];
        int colourType = header[9];
        Set<Integer> depths = switch (colourType) {
            case 0 -> Set.of(1, 2, 4, 8, 16);
            case 3 -> Set.of(1, 2, 4, 8);
            case 2, 4, 6 -> Set.of(8, 16);
            default -> Set.of();
        };
        if (!depths.contains(bitDepth) || header[10] != 0 || header[11] != 0 || (header[12] != 0 && header[12] != 1)) {
            throw new MalformedImage("IHDR declares colour type " + colourType + " with bit depth " + bitDepth
                    + ", compression " + header[10] + ", filter " + header[11] + ", interlace " + header[12]);
        }
        return new PixelSize((int) width, (int) height);
    }

    private static long uint32(byte[] bytes, int index) {
        return (bytes[index] & 0xFFL) << 24 | (bytes[index + 1] & 0xFFL) << 16 | (bytes[index + 2] & 0xFFL) << 8
                | (bytes[index + 3] & 0xFFL);
    }
}

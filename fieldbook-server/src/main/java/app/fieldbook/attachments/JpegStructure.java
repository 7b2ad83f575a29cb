package app.fieldbook.attachments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The structure of a JPEG file (ITU T.81 with JFIF or Exif), read without decoding it: SOI, a chain of
 * segments whose lengths fit, one frame header (SOF) with a width and height above zero before the first
 * scan (SOS), the entropy-coded data of each scan, and EOI. After EOI a file may hold what phone cameras put
 * there, each checked in turn: more JPEG images (the gain map of an Ultra HDR photo, MPF), one ISO base media
 * box chain (the video of a motion photo), and zero bytes of padding. Anything else (HTML, a script, a second
 * file) makes the file a polyglot, and it is refused.
 */
final class JpegStructure {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;

    private JpegStructure() {
    }

    /** The size of the first image's frame, once the whole file is found well-formed. */
    static PixelSize read(ImageBytes bytes) throws IOException, MalformedImage {
        PixelSize size = image(bytes);
        while (!bytes.atEnd()) {
            byte[] next = bytes.peek(8);
            if ((next[0] & 0xFF) == 0xFF) {
                image(bytes);
            } else if (next.length == 8 && new String(next, 4, 4, StandardCharsets.ISO_8859_1).equals("ftyp")) {
                BoxStructure.chain(bytes);
            } else {
                padding(bytes);
            }
        }
        return size;
    }

    /** One image, from SOI to EOI; answers the size its frame header declares. */
    private static PixelSize image(ImageBytes bytes) throws IOException, MalformedImage {
        long start = bytes.position();
        if (bytes.u8() != 0xFF || bytes.u8() != SOI) {
            throw new MalformedImage("no JPEG image starts at byte " + start);
        }
        PixelSize frame = null;
        boolean scanned = false;
        int marker = nextMarker(bytes);
        while (marker != EOI) {
            if (marker == TEM) {
                marker = nextMarker(bytes);
                continue;
            }
            if (marker == 0x00 || marker == SOI || (marker >= 0xD0 && marker <= 0xD7)) {
                throw new MalformedImage(String.format("the marker FF %02X at byte %d is out of place", marker,
                        bytes.position() - 2));
            }
            int length = bytes.u16();
            if (length < 2) {
                throw new MalformedImage("a segment at byte " + (bytes.position() - 4) + " has length " + length);
            }
            if (isFrameHeader(marker)) {
                if (frame != null) {
                    throw new MalformedImage("a second frame header at byte " + (bytes.position() - 4));
                }
                frame = frame(bytes, length);
            } else if (marker == SOS) {
                if (frame == null) {
                    throw new MalformedImage("a scan before the frame header, at byte " + (bytes.position() - 4));
                }
                scanHeader(bytes, length);
                scanned = true;
                marker = endOfEntropyCodedData(bytes);
                continue;
            } else {
                bytes.skip(length - 2);
            }
            marker = nextMarker(bytes);
        }
        if (frame == null || !scanned) {
            throw new MalformedImage("the image ends (EOI) before it has a frame header and a scan");
        }
        return frame;
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** The next marker's code, where the previous segment ended (fill bytes FF before it allowed). */
    private static int nextMarker(ImageBytes bytes) throws IOException, MalformedImage {
        long at = bytes.position();
        if (bytes.u8() != 0xFF) {
            throw new MalformedImage("no marker at byte " + at + ", where the previous segment ends");
        }
        int code = bytes.u8();
        while (code == 0xFF) {
            code = bytes.u8();
        }
        return code;
    }

    private static PixelSize frame(ImageBytes bytes, int length) throws IOException, MalformedImage {
        if (length < 8) {
            throw new MalformedImage("the frame header has length " + length);
        }
        bytes.u8();
        int height = bytes.u16();
        int width = bytes.u16();
        int components = bytes.u8();
        if (width == 0 || height == 0) {
            throw new MalformedImage("the frame header declares " + width + " x " + height + " pixels");
        }
        if (components < 1 || components > 4 || length != 8 + 3 * components) {
            throw new MalformedImage("the frame header declares " + components + " components in " + length
                    + " bytes");
        }
        bytes.skip(length - 8L);
        return new PixelSize(width, height);
    }

    private static void scanHeader(ImageBytes bytes, int length) throws IOException, MalformedImage {
        int components = length < 3 ? 0 : bytes.u8();
        if (components < 1 || components > 4 || length != 6 + 2 * components) {
            throw new MalformedImage("a scan header declares " + components + " components in " + length + " bytes");
        }
        bytes.skip(length - 3L);
    }

    /**
     * Reads a scan's entropy-coded data, where FF is followed by 00 (a stuffed byte) or a restart marker,
     * up to the marker that ends it, and answers that marker's code.
     */
    private static int endOfEntropyCodedData(ImageBytes bytes) throws IOException, MalformedImage {
        while (true) {
            bytes.skipPast(0xFF);
            int code = bytes.u8();
            while (code == 0xFF) {
                code = bytes.u8();
            }
            if (code != 0x00 && (code < 0xD0 || code > 0xD7)) {
                return code;
            }
        }
    }

    private static void padding(ImageBytes bytes) throws IOException, MalformedImage {
        while (!bytes.atEnd()) {
            if (bytes.u8() != 0) {
                throw new MalformedImage("the bytes from byte " + (bytes.position() - 1) + " on, after the end of "
                        + "the image (EOI), are neither another image, a motion photo's video, nor zero padding");
            }
        }
    }
}

package app.fieldbook.attachments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of ISO base media file format boxes (ISO/IEC 14496-12: HEIF and HEIC images, the MP4 video of a
 * motion photo) that covers the rest of the file exactly: each box has a readable name and a size that fits
 * its container (a 64-bit size where it says so; size 0, "to the end", only at the top level), and the first
 * is {@code ftyp}. Of a HEIF image it also reads the sizes its {@code meta} box declares (ISO/IEC 23008-12):
 * {@code meta} (a full box) holds {@code iprp}, which holds {@code ipco}, the item properties, among them one
 * {@code ispe} (a full box, then a 32-bit width and height) for each image the file holds. Every box is read
 * at most once, front to back, and nothing is allocated for its content, whatever size it declares.
 */
final class BoxStructure {

    /** A box header read: its name, and where it starts and ends in the file. */
    private record Box(String name, long at, long end) {
    }

    private BoxStructure() {
    }

    /** The names of the top-level boxes, in order, once they are found to cover the rest of the file. */
    static List<String> chain(ImageBytes bytes) throws IOException, MalformedImage {
        List<String> names = new ArrayList<>();
        long fileEnd = bytes.position() + bytes.remaining();
        while (!bytes.atEnd()) {
            Box box = next(bytes, fileEnd, true);
            if (names.isEmpty()) {
                requireFileType(box);
            }
            skipRest(bytes, box);
            names.add(box.name());
        }
        return names;
    }

    /**
     * The largest image size ({@code ispe}) a HEIF file's {@code meta} box declares: the primary image, a
     * grid's tiles, a thumbnail or a depth map each declare theirs, and a decoder would decode any of them at
     * that size, so the largest is the one to hold against the pixel limit.
     *
     * @throws MalformedImage if the boxes do not cover the file exactly, there is no or a second {@code meta}
     *     box, a box is cut short or overruns its container, or no image declares its size
     */
    static PixelSize heif(ImageBytes bytes) throws IOException, MalformedImage {
        long fileEnd = bytes.position() + bytes.remaining();
        PixelSize largest = null;
        boolean first = true;
        boolean meta = false;
        while (!bytes.atEnd()) {
            Box box = next(bytes, fileEnd, true);
            if (first) {
                requireFileType(box);
                first = false;
            }
            if (box.name().equals("meta")) {
                if (meta) {
                    throw new MalformedImage("a second meta box at byte " + box.at());
                }
                meta = true;
                largest = imageSizes(bytes, box);
            }
            skipRest(bytes, box);
        }
        if (!meta) {
            throw new MalformedImage("the file has no meta box, which describes a HEIF image");
        }
        if (largest == null) {
            throw new MalformedImage("the meta box declares no image size (no ispe property)");
        }
        return largest;
    }

    /** The largest {@code ispe} under {@code meta/iprp/ipco}, or null if there is none. */
    private static PixelSize imageSizes(ImageBytes bytes, Box meta) throws IOException, MalformedImage {
        fullBoxVersion(bytes, meta);
        PixelSize largest = null;
        while (bytes.position() < meta.end()) {
            Box properties = next(bytes, meta.end(), false);
            if (properties.name().equals("iprp")) {
                while (bytes.position() < properties.end()) {
                    Box container = next(bytes, properties.end(), false);
                    if (container.name().equals("ipco")) {
                        while (bytes.position() < container.end()) {
                            Box property = next(bytes, container.end(), false);
                            if (property.name().equals("ispe")) {
                                largest = larger(largest, imageSpatialExtents(bytes, property));
                            }
                            skipRest(bytes, property);
                        }
                    }
                    skipRest(bytes, container);
                }
            }
            skipRest(bytes, properties);
        }
        return largest;
    }

    private static PixelSize imageSpatialExtents(ImageBytes bytes, Box ispe) throws IOException, MalformedImage {
        fullBoxVersion(bytes, ispe);
        if (ispe.end() - bytes.position() != 8) {
            throw new MalformedImage("the ispe box at byte " + ispe.at() + " has " + (ispe.end() - bytes.position())
                    + " bytes after its version, not a width and a height");
        }
        long width = bytes.u32();
        long height = bytes.u32();
        if (width == 0 || height == 0) {
            throw new MalformedImage("the ispe box at byte " + ispe.at() + " declares " + width + " x " + height
                    + " pixels");
        }
        return new PixelSize(width, height);
    }

    private static PixelSize larger(PixelSize one, PixelSize other) {
        return one == null || other.pixels() > one.pixels() ? other : one;
    }

    /** Reads the version and flags of a full box, which must be of version 0. */
    private static void fullBoxVersion(ImageBytes bytes, Box box) throws IOException, MalformedImage {
        if (box.end() - bytes.position() < 4) {
            throw new MalformedImage("the " + box.name() + " box at byte " + box.at() + " is too short for its version");
        }
        long versionAndFlags = bytes.u32();
        if (versionAndFlags >>> 24 != 0) {
            throw new MalformedImage("the " + box.name() + " box at byte " + box.at() + " is of version "
                    + (versionAndFlags >>> 24) + ", not 0");
        }
    }

    /**
     * Reads the header of the box at the current position, which must lie within {@code end}, the end of its
     * container; size 0 ("to the end of the file") only where {@code topLevel}.
     */
    private static Box next(ImageBytes bytes, long end, boolean topLevel) throws IOException, MalformedImage {
        long at = bytes.position();
        if (end - at < 8) {
            throw new MalformedImage("a box at byte " + at + " needs 8 bytes; " + (end - at) + " are left there");
        }
        long size = bytes.u32();
        String name = bytes.fourCc();
        long header = 8;
        if (size == 1) {
            if (end - at < 16) {
                throw new MalformedImage("the box " + name + " at byte " + at + " is too short for its 64-bit size");
            }
            size = bytes.u32() << 32 | bytes.u32();
            header = 16;
        } else if (size == 0) {
            if (!topLevel) {
                throw new MalformedImage("the box " + name + " at byte " + at + " declares no size inside another box");
            }
            size = end - at;
        }
        if (size < header || size > end - at) {
            throw new MalformedImage("the box " + name + " at byte " + at + " declares " + size + " bytes; "
                    + (topLevel ? "the file" : "its container") + " has " + (end - at) + " from there");
        }
        return new Box(name, at, at + size);
    }

    private static void requireFileType(Box box) throws MalformedImage {
        if (!box.name().equals("ftyp") || box.end() - box.at() < 16) {
            throw new MalformedImage("the first box is " + box.name() + " of " + (box.end() - box.at())
                    + " bytes, not a file type box");
        }
    }

    /** Skips what is left of {@code box}, which the reading of its content must not have overrun. */
    private static void skipRest(ImageBytes bytes, Box box) throws IOException, MalformedImage {
        bytes.skip(box.end() - bytes.position());
    }
}

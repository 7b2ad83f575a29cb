package app.fieldbook.attachments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of ISO base media file format boxes (ISO/IEC 14496-12: HEIF and HEIC images, the MP4 video of a
 * motion photo) that covers the rest of the file exactly: each box has a readable name and a size that fits
 * (a 64-bit size where it says so; size 0, "to the end", only on the last box), and the first is {@code ftyp}.
 */
final class BoxStructure {

    private BoxStructure() {
    }

    /** The names of the top-level boxes, in order, once they are found to cover the rest of the file. */
    static List<String> chain(ImageBytes bytes) throws IOException, MalformedImage {
        List<String> names = new ArrayList<>();
        while (!bytes.atEnd()) {
            long at = bytes.position();
            long size = bytes.u32();
            String name = bytes.fourCc();
            long header = 8;
            if (size == 1) {
                size = bytes.u32() << 32 | bytes.u32();
                header = 16;
            } else if (size == 0) {
                size = header + bytes.remaining();
            }
            if (size < header || size - header > bytes.remaining()) {
                throw new MalformedImage("the box " + name + " at byte " + at + " declares " + size + " bytes; the "
                        + "file has " + (bytes.remaining() + header) + " from there");
            }
            if (names.isEmpty() && (!name.equals("ftyp") || size < 16)) {
                throw new MalformedImage("the first box is " + name + " of " + size + " bytes, not a file type box");
            }
            bytes.skip(size - header);
            names.add(name);
        }
        return names;
    }
}

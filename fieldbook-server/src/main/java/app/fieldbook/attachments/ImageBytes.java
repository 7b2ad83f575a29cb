package app.fieldbook.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Checksum;

/**
 * An image file read once from start to end, as big- or little-endian numbers, knowing where it is. Reading
 * past the end is {@link MalformedImage}: a container that says more follows than the file holds is damaged.
 */
final class ImageBytes implements AutoCloseable {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private final long length;
    private final byte[] buffer = new byte[64 * 1024];
    private int next;
    private int limit;
    private long position;

    ImageBytes(Path file) throws IOException {
        this.length = Files.size(file);
        this.in = UncachedFiles.reader(file);
    }

    long position() {
        return position;
    }

    long remaining() {
        return length - position;
    }

    boolean atEnd() {
        return position >= length;
    }

    int u8() throws IOException, MalformedImage {
        if (next == limit && !fill(1)) {
            throw new MalformedImage("the file ends at byte " + position + ", in the middle of the image");
        }
        position++;
        return buffer[next++] & 0xFF;
    }

    /**
     * Reads up to and including the next byte {@code value}, looking at the buffer as a whole rather than
     * byte by byte (a JPEG's entropy-coded data, most of the file, is read this way): eight bytes at a time, as
     * one number in which a byte equal to {@code value} becomes a zero byte, found by its borrow.
     */
    void skipPast(int value) throws IOException, MalformedImage {
        byte wanted = (byte) value;
        long everyByte = ONES * (value & 0xFF);
        while (true) {
            if (next == limit && !fill(1)) {
                throw new MalformedImage("the file ends at byte " + position + ", in the middle of the image");
            }
            int at = next;
            while (at + Long.BYTES <= limit) {
                long word = (long) LONGS.get(buffer, at) ^ everyByte;
                // the lowest byte flagged is the first zero byte (a flag above it may be a borrow's)
                long zero = (word - ONES) & ~word & HIGH_BITS;
                if (zero != 0) {
                    at += Long.numberOfTrailingZeros(zero) >>> 3;
                    break;
                }
                at += Long.BYTES;
            }
            while (at < limit && buffer[at] != wanted) {
                at++;
            }
            position += at - next;
            if (at < limit) {
                next = at + 1;
                position++;
                return;
            }
            next = limit;
        }
    }

    int u16() throws IOException, MalformedImage {
        return u8() << 8 | u8();
    }

    long u32() throws IOException, MalformedImage {
        return (long) u16() << 16 | u16();
    }

    int u16le() throws IOException, MalformedImage {
        return u8() | u8() << 8;
    }

    int u24le() throws IOException, MalformedImage {
        return u8() | u8() << 8 | u8() << 16;
    }

    long u32le() throws IOException, MalformedImage {
        return u16le() | (long) u16le() << 16;
    }

    byte[] bytes(int count) throws IOException, MalformedImage {
        requireRemaining(count);
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) u8();
        }
        return bytes;
    }

    /** The next {@code count} bytes (at most 64 KB), without reading past them; fewer at the end of the file. */
    byte[] peek(int count) throws IOException {
        fill(count);
        byte[] bytes = new byte[Math.min(count, limit - next)];
        System.arraycopy(buffer, next, bytes, 0, bytes.length);
        return bytes;
    }

    /** Four bytes read as the name of a chunk or box, which must be printable ASCII. */
    String fourCc() throws IOException, MalformedImage {
        long at = position;
        byte[] name = bytes(4);
        for (byte b : name) {
            if (b < 0x20 || b > 0x7E) {
                throw new MalformedImage("the part at byte " + at + " has no readable name");
            }
        }
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    void skip(long count) throws IOException, MalformedImage {
        requireRemaining(count);
        long left = count;
        while (left > 0) {
            if (next == limit && !fill(1)) {
                throw new MalformedImage("the file ends at byte " + position + ", in the middle of the image");
            }
            int taken = (int) Math.min(left, limit - next);
            next += taken;
            position += taken;
            left -= taken;
        }
    }

    /** Reads {@code count} bytes into {@code checksum}. */
    void checksum(long count, Checksum checksum) throws IOException, MalformedImage {
        requireRemaining(count);
        long left = count;
        while (left > 0) {
            if (next == limit && !fill(1)) {
                throw new MalformedImage("the file ends at byte " + position + ", in the middle of the image");
            }
            int taken = (int) Math.min(left, limit - next);
            checksum.update(buffer, next, taken);
            next += taken;
            position += taken;
            left -= taken;
        }
    }

    private void requireRemaining(long count) throws MalformedImage {
        if (count < 0 || count > remaining()) {
            throw new MalformedImage("the part at byte " + position + " declares " + count + " more bytes; the file "
                    + "has " + remaining());
        }
    }

    /** Makes at least {@code count} bytes available if the file has them; false at its end. */
    private boolean fill(int count) throws IOException {
        if (limit - next >= count) {
            return true;
        }
        System.arraycopy(buffer, next, buffer, 0, limit - next);
        limit -= next;
        next = 0;
        while (limit < count) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

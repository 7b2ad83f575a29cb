package app.fieldbook.attachments;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upload's bytes written and read again around the operating system's page cache (direct I/O), where the file
 * system allows it. A photo is written once, read once more for its inspection and its hash, and then not for a
 * while; through the page cache every one of a rush's photos would take fresh memory of its own, which the kernel
 * must find and fill (on a virtual machine that hands idle memory back to its host, at about 1.2 ms of processor a
 * megabyte more than the write itself: docs/performance.md), and which pushes the database's pages out. Direct, the
 * bytes go from one small reused buffer to the disk and back.
 *
 * <p>Direct I/O moves whole disk blocks at offsets that are multiples of the block size, so a writer that starts
 * at such an offset writes its whole blocks directly and the last part of a block (the end of a photo or of a
 * chunk) through the page cache: no padding ever reaches the file. Where direct I/O is refused (a file system
 * without it, such as some tmpfs, or another operating system), or a writer starts inside a block (a resumable
 * upload continued after a chunk that ended mid-block), the same streams go through the page cache.
 */
final class UncachedFiles {

    private static final Logger log = LoggerFactory.getLogger(UncachedFiles.class);

    /** The largest block size served directly; a file system with larger blocks goes through the page cache. */
    private static final int LARGEST_BLOCK = 64 * 1024;

    /**
     * How much one direct write or read moves: exactly an upload's gathered write, a whole number of the largest
     * blocks. So a writer started at a block's start writes each whole gathering before {@code write} returns and
     * holds back only the last, short one until it is closed: nothing an upload handed over before its photo's
     * lease was lost is written after it ({@link GatheredCopy#copyAtMost}).
     */
    private static final int SPAN = GatheredCopy.GATHERED;

    static {
        if (SPAN % LARGEST_BLOCK != 0) {
            throw new ExceptionInInitializerError("an upload's gathering must be a whole number of the largest blocks");
        }
    }

    /** Buffers kept for reuse: an upload's turn takes one, so a few dozen cover the uploads taken at once. */
    private static final BlockingQueue<ByteBuffer> BUFFERS = new ArrayBlockingQueue<>(64);

    /** Per directory, the block size of its file system, or {@link #REFUSED} where it takes no direct I/O. */
    private static final Map<Path, Integer> BLOCKS = new ConcurrentHashMap<>();

    private static final int REFUSED = 0;

    /**
     * A stream that writes into {@code file} (created if missing) from byte {@code at} on, directly where it can.
     * Directly, each whole {@link GatheredCopy#GATHERED} handed over is written before {@code write} returns, and
     * what is left (less than that) when it is closed; {@code flush} does nothing. The bytes are durable once the
     * file is forced.
     */
    static OutputStream writer(Path file, long at) throws IOException {
        FileChannel cached = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            int block = blockOf(file);
            FileChannel direct = block != REFUSED && at % block == 0
                    ? openDirect(file, StandardOpenOption.WRITE) : null;
            if (direct != null) {
                return new DirectWriter(direct, cached, block, at);
            }
            cached.position(at);
            return Channels.newOutputStream(cached);
        } catch (IOException | RuntimeException failed) {
            cached.close();
            throw failed;
        }
    }

    /** A stream of the whole of {@code file}, read directly where it can. */
    static InputStream reader(Path file) throws IOException {
        int block = blockOf(file);
        FileChannel direct = block != REFUSED ? openDirect(file, StandardOpenOption.READ) : null;
        if (direct != null) {
            return new DirectReader(file, direct, block);
        }
        return Files.newInputStream(file);
    }

    /** Whether files in {@code directory} are written and read directly. */
    static boolean direct(Path directory) throws IOException {
        return blockIn(directory.toAbsolutePath()) != REFUSED;
    }

    private static int blockOf(Path file) throws IOException {
        return blockIn(file.toAbsolutePath().getParent());
    }

    /**
     * The block size of the directory's file system if it takes direct I/O, found once per directory by writing and
     * reading a block of a file of its own directly (a file system that refuses it answers "invalid argument", and
     * one that wants another alignment refuses the block).
     */
    private static int blockIn(Path directory) throws IOException {
        Integer known = BLOCKS.get(directory);
        if (known != null) {
            return known;
        }
        long size = Files.getFileStore(directory).getBlockSize();
        int block = size > 0 && size <= LARGEST_BLOCK && Long.bitCount(size) == 1 ? (int) size : REFUSED;
        String refusal = "its block size is " + size + " bytes";
        if (block != REFUSED) {
            Path probe = Files.createTempFile(directory, "direct-", ".probe");
            ByteBuffer raw = buffer();
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                ByteBuffer one = aligned(raw, block).limit(block);
                one.put(new byte[block]).flip();
                channel.write(one, 0);
                channel.read(one.clear().limit(block), 0);
            } catch (UnsupportedOperationException | IOException refused) {
                block = REFUSED;
                refusal = refused.toString();
            } finally {
                giveBack(raw);
                Files.deleteIfExists(probe);
            }
        }
        if (BLOCKS.putIfAbsent(directory, block) == null) {
            if (block == REFUSED) {
                log.info("Uploads in {} go through the page cache: no direct I/O there ({})", directory, refusal);
            } else {
                log.info("Uploads in {} are written and read directly, in blocks of {} bytes", directory, block);
            }
        }
        return block;
    }

    /** The file opened for direct I/O, or null if this one file refuses it (then it goes through the page cache). */
    private static FileChannel openDirect(Path file, OpenOption... options) {
        Set<OpenOption> direct = new HashSet<>(Set.of(options));
        direct.add(ExtendedOpenOption.DIRECT);
        try {
            return FileChannel.open(file, direct);
        } catch (IOException | UnsupportedOperationException refused) {
            // the plain open that follows fails the same way if the file itself is the trouble
            return null;
        }
    }

    private static ByteBuffer buffer() {
        ByteBuffer raw = BUFFERS.poll();
        if (raw == null) {
            raw = ByteBuffer.allocateDirect(SPAN + LARGEST_BLOCK);
        }
        return raw;
    }

    private static ByteBuffer aligned(ByteBuffer raw, int block) {
        return raw.clear().alignedSlice(block).limit(SPAN);
    }

    private static void giveBack(ByteBuffer raw) {
        BUFFERS.offer(raw);
    }

    /** Whole blocks written directly from an aligned buffer; the last part of a block through the page cache. */
    private static final class DirectWriter extends OutputStream {

        private final FileChannel channel;
        private final FileChannel cached;
        private final int block;
        private final ByteBuffer raw;
        private final ByteBuffer buffer;
        private long position;
        private boolean failed;
        private boolean closed;

        DirectWriter(FileChannel channel, FileChannel cached, int block, long at) {
            this.channel = channel;
            this.cached = cached;
            this.block = block;
            this.raw = buffer();
            this.buffer = aligned(raw, block);
            this.position = at;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (closed || failed) {
                throw new IOException(closed ? "closed" : "an earlier write failed");
            }
            int at = offset;
            int left = length;
            while (left > 0) {
                int taken = Math.min(left, buffer.remaining());
                buffer.put(bytes, at, taken);
                at += taken;
                left -= taken;
                if (!buffer.hasRemaining()) {
                    writeWholeBlocks();
                }
            }
        }

        /** Writes the buffer's whole blocks directly and keeps the rest (less than a block) at its start. */
        private void writeWholeBlocks() throws IOException {
            int whole = buffer.position() - buffer.position() % block;
            if (whole == 0) {
                return;
            }
            int end = buffer.position();
            buffer.flip().limit(whole);
            try {
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            } catch (IOException | RuntimeException writeFailed) {
                // what was written stays; nothing more is, not even the rest of this buffer at a later offset
                failed = true;
                throw writeFailed;
            }
            // compact() opens the buffer to its whole capacity, past a gathering: hold it to one again
            buffer.limit(end).compact().limit(SPAN);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (channel; cached) {
                if (!failed) {
                    writeWholeBlocks();
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        position += cached.write(buffer, position);
                    }
                }
            } finally {
                giveBack(raw);
            }
        }
    }

    /** The file read in spans of whole blocks into an aligned buffer; the last span is short. */
    private static final class DirectReader extends InputStream {

        private final Path file;
        private final FileChannel channel;
        private final int block;
        private final ByteBuffer raw;
        private final ByteBuffer buffer;
        private FileChannel cached;
        private long position;
        private boolean ended;
        private boolean closed;

        DirectReader(Path file, FileChannel channel, int block) {
            this.file = file;
            this.channel = channel;
            this.block = block;
            this.raw = buffer();
            this.buffer = aligned(raw, block).limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (closed) {
                throw new IOException("closed");
            }
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining() && !fill()) {
                return -1;
            }
            int given = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, given);
            return given;
        }

        private boolean fill() throws IOException {
            if (ended) {
                return false;
            }
            buffer.clear().limit(SPAN);
            // a read that came back short before the end leaves the next one inside a block: read on cached
            int read = position % block == 0 ? channel.read(buffer, position) : cached().read(buffer, position);
            buffer.flip();
            if (read <= 0) {
                ended = true;
                return false;
            }
            position += read;
            return true;
        }

        private FileChannel cached() throws IOException {
            if (cached == null) {
                cached = FileChannel.open(file, StandardOpenOption.READ);
            }
            return cached;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (channel; FileChannel other = cached) {
                giveBack(raw);
            }
        }
    }

    private UncachedFiles() {
    }
}

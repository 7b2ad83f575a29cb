package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UncachedFiles}: what is written directly reads back byte for byte, whatever the sizes of the writes and
 * reads and however the length ends against the disk's blocks, with no padding left in the file; appends at a
 * block's start and inside a block alike; a whole gathering is written before {@code write} returns; and a file
 * system in memory works, whether it takes direct I/O or not.
 */
class UncachedFilesTest {

    private static final int BLOCK = 4096;

    private final Random random = new Random(20261204);
    private Path directory;

    @BeforeEach
    void directoryOnTheBuildsDisk() throws IOException {
        // under target/, on the file system the photos of a development server are on (not a tmpfs /tmp)
        Files.createDirectories(Path.of("target"));
        directory = Files.createTempDirectory(Path.of("target"), "uncached-");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @Test
    void aDiskFileSystemIsWrittenAndReadDirectly() throws IOException {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assumeThat(Files.getFileStore(directory).type()).isIn(Set.of("ext4", "xfs", "btrfs"));

        assertThat(UncachedFiles.direct(directory)).isTrue();
    }

    @Test
    void everyLengthReadsBackExactly() throws IOException {
        for (int length : List.of(0, 1, BLOCK - 1, BLOCK, BLOCK + 1, GatheredCopy.GATHERED - 1,
                GatheredCopy.GATHERED, GatheredCopy.GATHERED + 1, 3 * GatheredCopy.GATHERED + 17, 1_536_123)) {
            byte[] content = bytes(length);
            Path file = directory.resolve("photo-" + length);

            try (OutputStream out = UncachedFiles.writer(file, 0)) {
                writeInPieces(out, content);
            }

            assertThat(Files.size(file)).as("size of %d bytes written", length).isEqualTo(length);
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(readInPieces(file)).as("read back directly, %d bytes", length).isEqualTo(content);
        }
    }

    @Test
    void appendsAtABlocksStartAndInsideOneKeepWhatWasThere() throws IOException {
        byte[] first = bytes(2 * BLOCK);
        byte[] second = bytes(GatheredCopy.GATHERED + 5);
        byte[] third = bytes(700_001);
        Path file = directory.resolve("chunks");

        try (OutputStream out = UncachedFiles.writer(file, 0)) {
            out.write(first);
        }
        try (OutputStream out = UncachedFiles.writer(file, first.length)) {
            writeInPieces(out, second);
        }
        try (OutputStream out = UncachedFiles.writer(file, first.length + second.length)) {
            writeInPieces(out, third);
        }

        byte[] whole = concat(first, second, third);
        assertThat(Files.readAllBytes(file)).isEqualTo(whole);
        assertThat(readInPieces(file)).isEqualTo(whole);
    }

    @Test
    void aWholeGatheringIsInTheFileBeforeWriteReturns() throws IOException {
        // what an upload handed over before its photo's lease was lost must not be written after it
        byte[] gathering = bytes(GatheredCopy.GATHERED);
        byte[] last = bytes(1_000);
        Path file = directory.resolve("gathered");

        try (OutputStream out = UncachedFiles.writer(file, 0)) {
            out.write(gathering);
            out.write(gathering);
            assertThat(Files.size(file)).isEqualTo(2L * GatheredCopy.GATHERED);
            out.write(last);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(concat(gathering, gathering, last));
    }

    @Test
    void aFileSystemInMemoryWorksEitherWay() throws IOException {
        // tmpfs takes direct I/O from Linux 6.6 on and refuses it before: the streams work through either
        Path memory = Path.of("/dev/shm");
        assumeThat(Files.isDirectory(memory) && Files.isWritable(memory)).isTrue();
        Path file = Files.createTempFile(memory, "uncached-", ".test");
        try {
            byte[] content = bytes(GatheredCopy.GATHERED + 4_321);

            try (OutputStream out = UncachedFiles.writer(file, 0)) {
                writeInPieces(out, content);
            }

            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(readInPieces(file)).isEqualTo(content);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void writeInPieces(OutputStream out, byte[] content) throws IOException {
        int at = 0;
        while (at < content.length) {
            int piece = random.nextBoolean() ? 1 + random.nextInt(9_000) : GatheredCopy.GATHERED;
            piece = Math.min(piece, content.length - at);
            if (piece == 1) {
                out.write(content[at]);
            } else {
                out.write(content, at, piece);
            }
            at += piece;
        }
    }

    private byte[] readInPieces(Path file) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = UncachedFiles.reader(file)) {
            byte[] buffer = new byte[100_000];
            while (true) {
                if (random.nextInt(10) == 0) {
                    int one = in.read();
                    if (one < 0) {
                        break;
                    }
                    read.write(one);
                    continue;
                }
                int got = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
                if (got < 0) {
                    break;
                }
                read.write(buffer, 0, got);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        return read.toByteArray();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] whole = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, whole, at, part.length);
            at += part.length;
        }
        return whole;
    }
}

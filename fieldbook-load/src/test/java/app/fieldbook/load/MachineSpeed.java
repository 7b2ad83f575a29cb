package app.fieldbook.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Random;

/**
 * What this machine can do at best for photo ingest, measured in the same run as the figures: the raw
 * disk bandwidth when every 1.5 MB file is written once and fsync'd (as the server stores a photo), and
 * the SHA-256 speed of one core. A photo upload cannot be faster than either.
 */
final class MachineSpeed {

    private static final int FILE_BYTES = 1_500_000;

    private MachineSpeed() {
    }

    /** MB/s of writing {@code files} files of 1.5 MB, each fsync'd, in a scratch directory under {@code directory}. */
    static double fsyncedWriteMegabytesPerSecond(Path directory, int files) {
        try {
            Files.createDirectories(directory);
            Path scratch = Files.createTempDirectory(directory, "disk-speed-");
            byte[] content = new byte[FILE_BYTES];
            new Random(1).nextBytes(content);
            long started = System.nanoTime();
            for (int i = 0; i < files; i++) {
                Path file = scratch.resolve("file-" + i);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            for (int i = 0; i < files; i++) {
                Files.deleteIfExists(scratch.resolve("file-" + i));
            }
            Files.deleteIfExists(scratch);
            return files * (double) FILE_BYTES / 1e6 / seconds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MB/s of SHA-256 on one thread, over {@code megabytes} MB (after a short warm-up). */
    static double sha256MegabytesPerSecond(int megabytes) {
        byte[] block = new byte[1 << 20];
        new Random(2).nextBytes(block);
        MessageDigest digest = RushPhotos.sha256();
        for (int i = 0; i < 64; i++) {
            digest.update(block);
        }
        digest.digest();
        long started = System.nanoTime();
        for (int i = 0; i < megabytes; i++) {
            digest.update(block);
        }
        digest.digest();
        return megabytes * (double) block.length / 1e6 / ((System.nanoTime() - started) / 1e9);
    }

    static String describe(Path directory) {
        return String.format(Locale.ROOT, "disk %.0f MB/s (1.5 MB files, each fsync'd, in %s); SHA-256 %.0f MB/s (one core)",
                fsyncedWriteMegabytesPerSecond(directory, 100), directory, sha256MegabytesPerSecond(512));
    }
}

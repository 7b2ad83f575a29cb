package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageBytes#skipPast}, which reads most of a JPEG eight bytes at a time: it stops right after every
 * occurrence of the byte, in order, wherever it falls against the words and the buffer, next to the bytes that
 * trouble a word-wise search (0x00, 0x01, 0x7F, 0x80, 0xFE), and tells a file that ends before it.
 */
class ImageBytesTest {

    @TempDir
    Path directory;

    @Test
    void everyOccurrenceIsFoundInOrder() throws IOException, MalformedImage {
        Random random = new Random(4_2026);
        byte[] tricky = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
        for (int round = 0; round < 40; round++) {
            byte[] content = new byte[1 + random.nextInt(300_000)];
            for (int i = 0; i < content.length; i++) {
                content[i] = random.nextInt(4) == 0 ? tricky[random.nextInt(tricky.length)]
                        : (byte) random.nextInt(0xFF);
            }
            if (round % 2 == 0) {
                // long runs without one, across whole words and buffers
                int from = content.length / 3;
                Arrays.fill(content, from, from + Math.min(random.nextInt(140_000), content.length - from),
                        (byte) 0x7F);
            }
            int value = round % 3 == 0 ? 0x00 : 0xFF;
            Path file = directory.resolve("bytes-" + round);
            Files.write(file, content);

            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < content.length; i++) {
                if ((content[i] & 0xFF) == value) {
                    expected.add(i + 1L);
                }
            }
            List<Long> found = new ArrayList<>();
            try (ImageBytes bytes = new ImageBytes(file)) {
                for (int i = 0; i < expected.size(); i++) {
                    bytes.skipPast(value);
                    found.add(bytes.position());
                }
                assertThat(found).isEqualTo(expected);
                assertThatThrownBy(() -> bytes.skipPast(value)).isInstanceOf(MalformedImage.class)
                        .hasMessageContaining("ends at byte " + content.length);
            }
        }
    }
}

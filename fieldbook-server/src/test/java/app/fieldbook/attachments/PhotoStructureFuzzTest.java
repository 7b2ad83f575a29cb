package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every photo container parser reads untrusted bytes: for any file, {@link PhotoStructure#read} answers a
 * size above zero (for HEIC, the largest its {@code ispe} boxes declare) or refuses it with {@link MalformedImage}, which the upload answers 422
 * {@code malformed-photo}; any other exception, a hang or an exhausted heap fails the target. Inputs,
 * real images among them, in {@code PhotoStructureFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PhotoStructureFuzzTest {

    /** One file, written over for each input: the parsers read a file, as they do an upload's. */
    private static Path photo;

    @FuzzTest(maxDuration = "60s")
    void jpegIsReadOrRefused(byte[] file) throws IOException {
        readOrRefused(file, PhotoType.JPEG);
    }

    @FuzzTest(maxDuration = "60s")
    void pngIsReadOrRefused(byte[] file) throws IOException {
        readOrRefused(file, PhotoType.PNG);
    }

    @FuzzTest(maxDuration = "60s")
    void webpIsReadOrRefused(byte[] file) throws IOException {
        readOrRefused(file, PhotoType.WEBP);
    }

    @FuzzTest(maxDuration = "60s")
    void heicIsReadOrRefused(byte[] file) throws IOException {
        readOrRefused(file, PhotoType.HEIC);
    }

    private static void readOrRefused(byte[] file, PhotoType type) throws IOException {
        if (photo == null) {
            photo = Files.createTempFile("fieldbook-fuzz-", ".photo");
            photo.toFile().deleteOnExit();
        }
        Files.write(photo, file);
        PixelSize size;
        try {
            size = PhotoStructure.read(photo, type);
        } catch (MalformedImage refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(size.width()).isPositive();
        assertThat(size.height()).isPositive();
        assertThat(size.pixels()).isPositive();
    }
}

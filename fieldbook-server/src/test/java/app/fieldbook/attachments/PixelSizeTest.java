package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Images;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelSizeTest {

    @TempDir
    Path directory;

    @Test
    void theSizeOfAJpegIsReadFromItsFrameHeader() throws IOException {
        assertThat(sizeOf(Images.jpeg(1600, 1200), PhotoType.JPEG)).contains(new PixelSize(1600, 1200));
        assertThat(sizeOf(Images.jpegDeclaring(30_000, 20_000), PhotoType.JPEG)).contains(new PixelSize(30_000, 20_000));
    }

    @Test
    void theFrameHeaderOfAJpegIsFoundBehindItsApplicationSegments() throws IOException {
        byte[] jpeg = Images.jpeg(40, 30);
        byte[] exif = new byte[60_000];
        exif[0] = (byte) 0xFF;
        exif[1] = (byte) 0xE1;
        exif[2] = (byte) ((exif.length - 2) >> 8);
        exif[3] = (byte) (exif.length - 2);
        exif[4] = (byte) 0xFF;
        exif[5] = (byte) 0xC0;
        byte[] withExif = new byte[jpeg.length + exif.length];
        System.arraycopy(jpeg, 0, withExif, 0, 2);
        System.arraycopy(exif, 0, withExif, 2, exif.length);
        System.arraycopy(jpeg, 2, withExif, 2 + exif.length, jpeg.length - 2);
        assertThat(sizeOf(withExif, PhotoType.JPEG)).contains(new PixelSize(40, 30));
    }

    @Test
    void theSizeOfAPngIsReadFromItsHeaderChunk() throws IOException {
        assertThat(sizeOf(Images.png(33, 44), PhotoType.PNG)).contains(new PixelSize(33, 44));
        assertThat(sizeOf(Images.pngDeclaring(20_000, 20_000), PhotoType.PNG)).contains(new PixelSize(20_000, 20_000));
    }

    @Test
    void theSizeOfAWebpIsReadFromItsLossyLosslessOrExtendedHeader() throws IOException {
        ByteBuffer lossy = webp("VP8 ");
        lossy.position(20).put(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A}).putShort((short) 4000).putShort((short) 3000);
        assertThat(sizeOf(lossy.array(), PhotoType.WEBP)).contains(new PixelSize(4000, 3000));

        ByteBuffer lossless = webp("VP8L");
        lossless.position(20).put((byte) 0x2F).putInt((640 - 1) | (480 - 1) << 14);
        assertThat(sizeOf(lossless.array(), PhotoType.WEBP)).contains(new PixelSize(640, 480));

        ByteBuffer extended = webp("VP8X");
        extended.position(24).put(uint24(16_000 - 1)).put(uint24(12_000 - 1));
        assertThat(sizeOf(extended.array(), PhotoType.WEBP)).contains(new PixelSize(16_000, 12_000));
    }

    @Test
    void aHeaderThatCannotBeReadDeclaresNoSize() throws IOException {
        assertThat(sizeOf(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2}, PhotoType.JPEG)).isEmpty();
        assertThat(sizeOf(Images.heicHeader(), PhotoType.HEIC)).isEmpty();
    }

    private Optional<PixelSize> sizeOf(byte[] image, PhotoType type) throws IOException {
        Path file = Files.write(Files.createTempFile(directory, "image-", ".bin"), image);
        return PixelSize.of(file, type);
    }

    private static ByteBuffer webp(String chunk) {
        ByteBuffer webp = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(56).put("WEBP".getBytes(StandardCharsets.ISO_8859_1))
                .put(chunk.getBytes(StandardCharsets.ISO_8859_1)).putInt(44);
        return webp;
    }

    private static byte[] uint24(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }
}

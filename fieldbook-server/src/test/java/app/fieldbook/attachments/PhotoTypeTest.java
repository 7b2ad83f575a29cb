package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.Images;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PhotoTypeTest {

    @Test
    void realJpegAndPngAreRecognisedByTheirBytes() {
        assertThat(detect(Images.jpeg(4, 4))).contains(PhotoType.JPEG);
        assertThat(detect(Images.png(4, 4))).contains(PhotoType.PNG);
    }

    @Test
    void webpAndHeifFamiliesAreRecognisedByTheirContainers() {
        assertThat(detect(ascii("RIFF\u0010\0\0\0WEBPVP8 "))).contains(PhotoType.WEBP);
        assertThat(detect(Images.heicHeader())).contains(PhotoType.HEIC);
        assertThat(detect(ascii("\0\0\0\u0018ftypmif1\0\0\0\0"))).contains(PhotoType.HEIF);
    }

    @Test
    void otherContentIsNotAPhoto() {
        assertThat(detect(ascii("<svg xmlns='http://www.w3.org/2000/svg'>"))).isEmpty();
        assertThat(detect(ascii("%PDF-1.7 whatever"))).isEmpty();
        assertThat(detect(ascii("RIFF\u0010\0\0\0WAVEfmt "))).isEmpty();
        assertThat(detect(ascii("\0\0\0\u0018ftypisom\0\0\0\0"))).as("an MP4 video").isEmpty();
        assertThat(detect(new byte[] {(byte) 0xFF, (byte) 0xD8})).as("too short for JPEG").isEmpty();
        assertThat(detect(new byte[0])).isEmpty();
    }

    private static Optional<PhotoType> detect(byte[] bytes) {
        byte[] head = Arrays.copyOf(bytes, PhotoType.HEAD_LENGTH);
        return PhotoType.detect(head, Math.min(bytes.length, PhotoType.HEAD_LENGTH));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

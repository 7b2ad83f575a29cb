package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.HeifBoxes;
import app.fieldbook.Images;
import app.fieldbook.MaliciousUploads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container of every accepted type, read from first byte to last without decoding: what passes, what not. */
class PhotoStructureTest {

    @TempDir
    Path directory;

    @Test
    void theSizeOfAJpegIsReadFromItsFrameHeader() throws Exception {
        assertThat(read(Images.jpeg(1600, 1200))).isEqualTo(new PixelSize(1600, 1200));
        assertThat(read(Images.jpegDeclaring(30_000, 20_000))).isEqualTo(new PixelSize(30_000, 20_000));
    }

    @Test
    void theFrameHeaderOfAJpegIsFoundBehindItsApplicationSegments() throws Exception {
        byte[] jpeg = Images.jpeg(40, 30);
        byte[] exif = new byte[60_000];
        exif[0] = (byte) 0xFF;
        exif[1] = (byte) 0xE1;
        exif[2] = (byte) ((exif.length - 2) >> 8);
        exif[3] = (byte) (exif.length - 2);
        exif[4] = (byte) 0xFF;
        exif[5] = (byte) 0xC0;
        assertThat(read(concat(Arrays.copyOf(jpeg, 2), exif, Arrays.copyOfRange(jpeg, 2, jpeg.length))))
                .isEqualTo(new PixelSize(40, 30));
    }

    @Test
    void whatPhoneCamerasPutAfterAJpegIsAcceptedAndNothingElse() throws Exception {
        byte[] jpeg = Images.jpeg(40, 30);
        assertThat(read(concat(jpeg, Images.jpeg(20, 15)))).as("an Ultra HDR gain map").isEqualTo(new PixelSize(40, 30));
        assertThat(read(concat(jpeg, Images.heic()))).as("a motion photo's video").isEqualTo(new PixelSize(40, 30));
        assertThat(read(concat(jpeg, new byte[512]))).as("zero padding").isEqualTo(new PixelSize(40, 30));
        assertMalformed(concat(jpeg, Arrays.copyOf(Images.jpeg(20, 15), 100)));
        assertMalformed(concat(jpeg, new byte[] {0, 0, 1}));
        assertMalformed(concat(jpeg, "<script>".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aJpegNeedsAFrameHeaderBeforeItsScanAndAScanBeforeItsEnd() throws Exception {
        byte[] jpeg = Images.jpeg(40, 30);
        int frame = indexOfMarker(jpeg, 0xC0);
        int scan = indexOfMarker(jpeg, 0xDA);
        int frameLength = (jpeg[frame + 2] & 0xFF) << 8 | (jpeg[frame + 3] & 0xFF);
        assertMalformed(concat(Arrays.copyOf(jpeg, frame), Arrays.copyOfRange(jpeg, frame + 2 + frameLength,
                jpeg.length)));
        assertMalformed(concat(Arrays.copyOf(jpeg, scan), new byte[] {(byte) 0xFF, (byte) 0xD9}));
        byte[] noWidth = jpeg.clone();
        noWidth[frame + 7] = 0;
        noWidth[frame + 8] = 0;
        assertMalformed(noWidth);
    }

    @Test
    void theSizeOfAPngIsReadFromItsHeaderChunk() throws Exception {
        assertThat(read(Images.png(33, 44))).isEqualTo(new PixelSize(33, 44));
        assertThat(read(Images.pngDeclaring(20_000, 20_000))).isEqualTo(new PixelSize(20_000, 20_000));
    }

    @Test
    void aPngStartsWithItsHeaderChunkAndEndsWithIend() throws Exception {
        byte[] png = Images.png(8, 8);
        byte[] signature = Arrays.copyOf(png, 8);
        byte[] header = Arrays.copyOfRange(png, 8, 8 + 25);
        byte[] rest = Arrays.copyOfRange(png, 8 + 25, png.length);
        assertMalformed(concat(signature, Images.pngChunk("tEXt", "a".getBytes(StandardCharsets.ISO_8859_1)),
                header, rest));
        assertMalformed(concat(signature, header, Images.pngChunk("IEND", new byte[0])));
        assertMalformed(concat(signature, header, header, rest));
        assertMalformed(concat(png, Images.pngChunk("tEXt", new byte[0])));
    }

    @Test
    void theSizeOfAWebpIsReadFromItsLossyLosslessOrExtendedHeader() throws Exception {
        assertThat(read(webp(chunk("VP8 ", lossy(4000, 3000))))).isEqualTo(new PixelSize(4000, 3000));
        assertThat(read(webp(chunk("VP8L", lossless(640, 480))))).isEqualTo(new PixelSize(640, 480));
        ByteBuffer extended = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putInt(0);
        extended.put(uint24(16_000 - 1)).put(uint24(12_000 - 1));
        assertThat(read(webp(chunk("VP8X", extended.array()), chunk("VP8L", lossless(16_000, 12_000)))))
                .isEqualTo(new PixelSize(16_000, 12_000));
        assertMalformed(webp(chunk("VP8X", extended.array())));
        assertMalformed(webp(chunk("EXIF", new byte[4]), chunk("VP8L", lossless(64, 48))));
        byte[] lying = webp(chunk("VP8L", lossless(640, 480)));
        assertMalformed(Arrays.copyOf(lying, lying.length + 2));
    }

    @Test
    void theSizeOfAHeicIsReadFromTheIspePropertyInItsMetaBox() throws Exception {
        assertThat(read(Images.heic())).isEqualTo(new PixelSize(64, 48));
        assertThat(read(HeifBoxes.heic(0xFFFF_FFFFL, 2))).isEqualTo(new PixelSize(0xFFFF_FFFFL, 2));
        assertThat(read(HeifBoxes.encoded())).as("an encoder's grid of one tile: the tile is the larger")
                .isEqualTo(new PixelSize(64, 64));
        byte[] properties = HeifBoxes.concat(HeifBoxes.ispe(640, 480), HeifBoxes.box("pixi", new byte[8]),
                HeifBoxes.ispe(8000, 6000), HeifBoxes.ispe(160, 120));
        assertThat(read(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(properties), HeifBoxes.mediaData())))
                .as("the largest image the file holds").isEqualTo(new PixelSize(8000, 6000));
        byte[] lastToTheEnd = HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(HeifBoxes.ispe(4, 3)),
                new byte[] {0, 0, 0, 0, 'm', 'd', 'a', 't', 1, 2, 3});
        assertThat(read(lastToTheEnd)).as("a last box of size 0, to the end of the file")
                .isEqualTo(new PixelSize(4, 3));
    }

    @Test
    void aHeicIsAChainOfBoxesWithOneMetaBoxWhoseBoxesFitInsideEachOther() throws Exception {
        assertMalformed(Images.heicHeader());
        byte[] heic = Images.heic();
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.mediaData())); // no meta box
        assertMalformed(Arrays.copyOf(heic, heic.length - 1));
        assertMalformed(Arrays.copyOf(heic, heic.length - HeifBoxes.mediaData().length - 2)); // cut inside ispe
        byte[] encoded = HeifBoxes.encoded();
        assertMalformed(Arrays.copyOf(encoded, encoded.length - 1));
        byte[] metaPastTheEnd = heic.clone();
        ByteBuffer.wrap(metaPastTheEnd).putInt(HeifBoxes.fileType().length, 0xFFFF_FFFF);
        assertMalformed(metaPastTheEnd);
        assertMalformed(HeifBoxes.heic(0, 48));
        assertMalformed(HeifBoxes.heic(64, 0));
        assertMalformed(HeifBoxes.concat(heic, "<html>".getBytes(StandardCharsets.ISO_8859_1)));
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(), HeifBoxes.mediaData()));
        assertMalformed(HeifBoxes.concat(heic, HeifBoxes.meta(HeifBoxes.ispe(1, 1)))); // a second meta box
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.box("meta", HeifBoxes.box("iprp",
                HeifBoxes.box("ipco", HeifBoxes.ispe(64, 48)))), HeifBoxes.mediaData())); // meta not a full box
        byte[] versionOne = HeifBoxes.ispe(64, 48);
        versionOne[8] = 1;
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(versionOne), HeifBoxes.mediaData()));
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(HeifBoxes.box("ispe", new byte[16])),
                HeifBoxes.mediaData())); // an ispe with four bytes too many
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(HeifBoxes.ispe(64, 48),
                new byte[] {0, 0, 0, 0, 'f', 'r', 'e', 'e'}), HeifBoxes.mediaData())); // size 0 inside a box
        assertMalformed(HeifBoxes.concat(HeifBoxes.fileType(), HeifBoxes.meta(HeifBoxes.ispe(64, 48),
                new byte[] {0, 0, 0, 1, 'f', 'r', 'e', 'e', 0, 0, 0, 0}), HeifBoxes.mediaData())); // a cut 64-bit size
    }

    @Test
    void everyMalformedUploadOfTheCorpusIsFoundMalformed() throws Exception {
        for (MaliciousUploads.Upload upload : MaliciousUploads.corpus()) {
            if (upload.rest().type().equals("malformed-photo")) {
                assertThatThrownBy(() -> read(upload.content())).as(upload.name()).isInstanceOf(MalformedImage.class);
            }
        }
    }

    private PixelSize read(byte[] image) throws IOException, MalformedImage {
        PhotoType type = PhotoType.detect(image, Math.min(image.length, PhotoType.HEAD_LENGTH)).orElseThrow();
        Path file = Files.write(Files.createTempFile(directory, "image-", ".bin"), image);
        return PhotoStructure.read(file, type);
    }

    private void assertMalformed(byte[] image) {
        assertThatThrownBy(() -> read(image)).isInstanceOf(MalformedImage.class);
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 2; i + 3 < jpeg.length; ) {
            if ((jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
            i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
        }
        throw new IllegalStateException("no marker " + marker);
    }

    private static byte[] lossy(int width, int height) {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {0, 0, 0, (byte) 0x9D, 0x01, 0x2A})
                .putShort((short) width).putShort((short) height).array();
    }

    private static byte[] lossless(int width, int height) {
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x2F)
                .putInt((width - 1) | (height - 1) << 14).array();
    }

    private static byte[] chunk(String name, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(8 + data.length + data.length % 2).order(ByteOrder.LITTLE_ENDIAN);
        return chunk.put(name.getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length).put(data).array();
    }

    private static byte[] webp(byte[]... chunks) {
        byte[] body = concat(chunks);
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(4 + body.length)
                .put("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        return concat(header.array(), body);
    }

    private static byte[] uint24(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }
}

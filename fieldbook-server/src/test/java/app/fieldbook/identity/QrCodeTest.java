package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.QrCodes;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The QR code of an authenticator app's key, read back with ZXing's reader as a phone's camera would. */
class QrCodeTest {

    private static final byte[] KEY = HexFormat.of().parseHex("3132333435363738393031323334353637383930");

    @Test
    void theQrCodeOfAnOtpauthAddressReadsBackAsThatAddress() {
        for (String login : List.of("maria", "m@" + "x".repeat(98))) {
            String uri = Totp.uri("Fieldbook", login, KEY);
            assertThat(QrCodes.readSvg(QrCode.dataUri(uri))).isEqualTo(uri);
        }
    }

    @Test
    void aSharpCodeTheFinderPatternDetectorMissesStillReadsBack() {
        // ZXing's detector alone found no code in this one (version 8, mask 2), as in a CI run
        String uri = "otpauth://totp/Fieldbook:worker-48-abcdef?secret=2U7UDI4PKHS44E5MKXINZBYEYH7LXUL2"
                + "&issuer=Fieldbook&algorithm=SHA1&digits=6&period=30";
        assertThat(QrCodes.readSvg(QrCode.dataUri(uri))).isEqualTo(uri);
    }

    @Test
    void theSvgHoldsOnlyTheDrawingInsideItsQuietZone() {
        String uri = Totp.uri("Fieldbook", "maria", KEY);
        String dataUri = QrCode.dataUri(uri);
        assertThat(dataUri).startsWith("data:image/svg+xml;base64,");
        String svg = new String(Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)),
                StandardCharsets.UTF_8);
        assertThat(svg).isEqualTo(QrCode.svg(uri));
        List<String> elements = new ArrayList<>();
        java.util.regex.Matcher tag = java.util.regex.Pattern.compile("<([a-zA-Z]+)").matcher(svg);
        while (tag.find()) {
            elements.add(tag.group(1));
        }
        assertThat(elements).containsExactly("svg", "rect", "path");
        assertThat(svg).doesNotContain("href").doesNotContain("script").doesNotContain(uri).doesNotContain("secret");

        int scale = 3;
        BufferedImage drawn = QrCodes.draw(svg, scale);
        int quiet = QrCode.QUIET_ZONE * scale;
        int dark = 0;
        for (int y = 0; y < drawn.getHeight(); y++) {
            for (int x = 0; x < drawn.getWidth(); x++) {
                boolean inQuietZone = x < quiet || y < quiet || x >= drawn.getWidth() - quiet || y >= drawn.getHeight() - quiet;
                boolean black = (drawn.getRGB(x, y) & 0xffffff) == 0;
                assertThat(inQuietZone && black).as("a dark module at %d,%d in the quiet zone", x, y).isFalse();
                dark += black ? 1 : 0;
            }
        }
        assertThat(dark).as("dark pixels").isGreaterThan(drawn.getWidth() * drawn.getHeight() / 5);
    }

    @Test
    void aTextTooLongForAnyQrCodeIsRefused() {
        assertThatThrownBy(() -> QrCode.svg("x".repeat(3000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3000 characters");
    }
}

package app.fieldbook.identity;

import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A QR code of a text, drawn as SVG: the modules ZXing's encoder computes (error correction level M, byte mode,
 * no ECI, which every authenticator app's scanner reads), as one path of unit squares in a {@code viewBox}
 * with the quiet zone of four modules the standard asks for, black on white. The SVG holds nothing but the
 * path (no text, no script, no external reference), so that it is safe as an image address (ADR 0020). Its
 * width and height are four pixels a module and the web app shows it at that size: every module is whole
 * pixels wide, all alike (a code scaled to another width has modules of two widths, which ZXing's reader, and
 * so some phones' scanners, misread about once in thirty).
 */
final class QrCode {

    /** Modules of white around the code: the quiet zone of ISO/IEC 18004. */
    static final int QUIET_ZONE = 4;

    private QrCode() {
    }

    /** The SVG document of the QR code of {@code text}. */
    static String svg(String text) {
        ByteMatrix modules;
        try {
            modules = Encoder.encode(text, ErrorCorrectionLevel.M).getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("No QR code holds a text of " + text.length() + " characters", e);
        }
        int size = modules.getWidth() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < modules.getHeight(); y++) {
            int x = 0;
            while (x < modules.getWidth()) {
                if (modules.get(x, y) != 1) {
                    x++;
                    continue;
                }
                int run = 1;
                while (x + run < modules.getWidth() && modules.get(x + run, y) == 1) {
                    run++;
                }
                path.append('M').append(x + QUIET_ZONE).append(' ').append(y + QUIET_ZONE)
                        .append('h').append(run).append("v1h-").append(run).append('z');
                x += run;
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" width=\"" + size * 4
                + "\" height=\"" + size * 4 + "\" shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\""
                + size + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }

    /** The SVG of the QR code of {@code text} as a {@code data:} address, for an {@code <img>}. */
    static String dataUri(String text) {
        return "data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(svg(text).getBytes(StandardCharsets.UTF_8));
    }
}

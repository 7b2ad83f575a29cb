package app.fieldbook;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads QR codes back, as a phone's camera would, with ZXing's reader: from an image (a screenshot of the
 * code's element), or from the server's SVG {@code data:} address, whose path of unit squares is drawn here on a
 * bitmap first (the only drawing commands it may hold are absolute moves and relative lines; anything else
 * fails). Both are pure codes (the code and its quiet zone, nothing else), so they are read as such first:
 * ZXing's finder-pattern detector misses about one perfectly sharp code in thirty (seen in CI: version 8,
 * mask 2), which a camera's blur hides; it remains the fallback for an image with more around the code.
 */
public final class QrCodes {

    private static final String SVG_DATA = "data:image/svg+xml;base64,";
    private static final Pattern COMMAND = Pattern.compile("([MhvHVz])\\s*(-?\\d+)?(?:[\\s,]+(-?\\d+))?");

    private QrCodes() {
    }

    /** The text of the QR code in {@code image}; fails the test when there is none. */
    public static String read(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        } catch (ReaderException notPure) {
            // more than the code in the picture: find it
        }
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        } catch (NotFoundException e) {
            throw new AssertionError("No QR code in the image", e);
        } catch (ReaderException e) {
            throw new AssertionError("The QR code in the image cannot be read", e);
        }
    }

    /** The text of the QR code in a PNG or JPEG. */
    public static String read(byte[] picture) {
        try {
            BufferedImage image = javax.imageio.ImageIO.read(new ByteArrayInputStream(picture));
            if (image == null) {
                throw new AssertionError("Not an image");
            }
            return read(image);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The text of the QR code of an SVG {@code data:} address as the server draws it. */
    public static String readSvg(String dataUri) {
        if (!dataUri.startsWith(SVG_DATA)) {
            throw new AssertionError("Not an SVG data address: " + dataUri.substring(0, Math.min(40, dataUri.length())));
        }
        return read(draw(new String(Base64.getDecoder().decode(dataUri.substring(SVG_DATA.length())),
                StandardCharsets.UTF_8), 6));
    }

    /** Draws the SVG's path of unit squares, {@code scale} pixels a unit, black on white. */
    public static BufferedImage draw(String svg, int scale) {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            root = document.getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("Not well-formed SVG: " + svg, e);
        }
        String[] box = root.getAttribute("viewBox").trim().split("\\s+");
        int width = Integer.parseInt(box[2]);
        int height = Integer.parseInt(box[3]);
        BufferedImage image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        graphics.setColor(Color.BLACK);
        var paths = root.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        for (int p = 0; p < paths.getLength(); p++) {
            fill(((Element) paths.item(p)).getAttribute("d"), graphics, scale);
        }
        graphics.dispose();
        return image;
    }

    /** Fills each closed run {@code M x y h w v 1 h -w z} of the path. */
    private static void fill(String d, Graphics2D graphics, int scale) {
        Matcher command = COMMAND.matcher(d);
        int x = 0;
        int y = 0;
        int left = 0;
        int top = 0;
        int right = 0;
        int bottom = 0;
        int end = 0;
        while (command.find()) {
            if (command.start() != end && !d.substring(end, command.start()).isBlank()) {
                throw new AssertionError("Unexpected path data: " + d.substring(end, command.start()));
            }
            end = command.end();
            switch (command.group(1)) {
                case "M" -> {
                    x = Integer.parseInt(command.group(2));
                    y = Integer.parseInt(command.group(3));
                    left = right = x;
                    top = bottom = y;
                }
                case "h" -> x += Integer.parseInt(command.group(2));
                case "v" -> y += Integer.parseInt(command.group(2));
                case "z" -> graphics.fillRect(left * scale, top * scale, (right - left) * scale, (bottom - top) * scale);
                default -> throw new AssertionError("Unexpected path command " + command.group(1));
            }
            left = Math.min(left, x);
            right = Math.max(right, x);
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
        }
        if (end != d.length()) {
            throw new AssertionError("Unexpected path data: " + d.substring(end));
        }
    }
}

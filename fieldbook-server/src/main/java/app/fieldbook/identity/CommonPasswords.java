package app.fieldbook.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The bundled list of common and breached passwords ({@code common-passwords.txt.gz} beside this class; source,
 * licence and selection in docs/adr/0011-common-password-list.md), lower-cased, read once at start. The
 * entries are held as one sorted block of ASCII bytes with the offset of each entry, about 2 MB for the 139,973
 * entries, where a set of strings would take about four times as much.
 */
@Component
class CommonPasswords {

    static final String RESOURCE = "common-passwords.txt.gz";

    private static final Logger log = LoggerFactory.getLogger(CommonPasswords.class);

    private final byte[] entries;
    private final int[] starts;

    CommonPasswords() {
        long began = System.nanoTime();
        String[] sorted = read();
        Arrays.sort(sorted);
        starts = new int[sorted.length + 1];
        int length = 0;
        for (int i = 0; i < sorted.length; i++) {
            starts[i] = length;
            length += sorted[i].length();
        }
        starts[sorted.length] = length;
        entries = new byte[length];
        for (int i = 0; i < sorted.length; i++) {
            byte[] entry = sorted[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(entry, 0, entries, starts[i], entry.length);
        }
        log.info("Read {} common passwords in {} ms", size(), (System.nanoTime() - began) / 1_000_000);
    }

    /** Whether {@code password}, compared without regard to case, is on the list. */
    boolean contains(String password) {
        byte[] wanted = password.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Arrays.compareUnsigned(entries, starts[middle], starts[middle + 1], wanted, 0, wanted.length);
            if (order == 0) {
                return true;
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return false;
    }

    int size() {
        return starts.length - 1;
    }

    private static String[] read() {
        try (InputStream resource = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
            if (resource == null) {
                throw new IllegalStateException("The list of common passwords " + RESOURCE + " is missing.");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(resource),
                    StandardCharsets.US_ASCII));
            List<String> read = new ArrayList<>(140_000);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty()) {
                    read.add(line.toLowerCase(Locale.ROOT));
                }
            }
            return read.toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the list of common passwords failed", e);
        }
    }
}

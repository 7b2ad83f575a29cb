package app.fieldbook;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a person's authenticator app does, for the tests: holds the key the server showed (base32) and
 * tells the code of a time step, computed here on its own (RFC 6238, HMAC-SHA1, 30 s, 6 digits) rather
 * than with the server's class. Each sign-in needs a step not used before, so tests ask for the code of
 * the next unused step ({@link #nextCode()}), which the server accepts up to one step ahead.
 */
public final class AuthenticatorApp {

    private final byte[] key;
    private long lastStep;

    public AuthenticatorApp(String base32Key) {
        this.key = base32(base32Key);
        this.lastStep = currentStep() - 2;
    }

    public static long currentStep() {
        return Instant.now().getEpochSecond() / 30;
    }

    /** The code of a time step. */
    public String code(long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[19] & 0xf;
            int value = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", value % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The code of the current step, which the server accepts unless a code of this step was used already. */
    public String currentCode() {
        lastStep = Math.max(lastStep, currentStep());
        return code(currentStep());
    }

    /**
     * The code of the earliest step after the last one this app gave that the server still accepts: the current
     * one, or the next (one step ahead is accepted). Fails when both were given already; wait for the clock then.
     */
    public String nextCode() {
        long step = Math.max(lastStep + 1, currentStep());
        while (step > currentStep() + 1) {
            sleepUntilNextStep();
        }
        lastStep = step;
        return code(step);
    }

    private static void sleepUntilNextStep() {
        try {
            Thread.sleep(Math.max(100, (currentStep() + 1) * 30_000 - System.currentTimeMillis() + 50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 5 / 8 + 1);
        int buffer = 0;
        int bits = 0;
        for (char c : text.replaceAll("[\\s=-]", "").toUpperCase(Locale.ROOT).toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                bytes.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        byte[] result = new byte[bytes.position()];
        bytes.flip().get(result);
        return result;
    }
}

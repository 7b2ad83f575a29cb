package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One-time codes as RFC 6238 computes them, checked against the RFC's own test vectors (Appendix B). */
class TotpTest {

    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY = ("1234567890".repeat(6) + "1234").getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "at {0} s: {1} (SHA-1), {2} (SHA-256), {3} (SHA-512)")
    @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void theCodesOfRfc6238AppendixB(long seconds, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(seconds));
        assertThat(Totp.code(SHA1_KEY, step, "HmacSHA1", 8)).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_KEY, step, "HmacSHA256", 8)).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_KEY, step, "HmacSHA512", 8)).isEqualTo(sha512);
    }

    @Test
    void theSixDigitCodeIsTheLastSixDigitsOfTheEightDigitOne() {
        long step = Totp.step(Instant.ofEpochSecond(1111111109));
        assertThat(Totp.code(SHA1_KEY, step)).isEqualTo("081804");
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        Instant now = Instant.ofEpochSecond(1234567890);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(SHA1_KEY, Totp.code(SHA1_KEY, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(SHA1_KEY, Totp.code(SHA1_KEY, step), now)).hasValue(step);
        assertThat(Totp.matchingStep(SHA1_KEY, Totp.code(SHA1_KEY, step + 1), now)).hasValue(step + 1);
        assertThat(Totp.matchingStep(SHA1_KEY, Totp.code(SHA1_KEY, step - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_KEY, Totp.code(SHA1_KEY, step + 2), now)).isEmpty();
    }

    @Test
    void anythingButSixDigitsMatchesNothing() {
        Instant now = Instant.ofEpochSecond(59);
        String code = Totp.code(SHA1_KEY, Totp.step(now));
        assertThat(Totp.matchingStep(SHA1_KEY, code + "0", now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_KEY, " " + code, now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_KEY, null, now)).isEmpty();
        assertThat(Totp.matchingStep(SHA1_KEY, "abcdef", now)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void base32AsRfc4648WithoutPadding(String text, String encoded) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(Totp.base32(bytes)).isEqualTo(encoded);
        assertThat(Totp.fromBase32(encoded.toLowerCase())).isEqualTo(bytes);
    }

    @Test
    void aKeyTypedWithSpacesOrDashesReadsTheSameAndOtherCharactersAreRefused() {
        assertThat(Totp.fromBase32("mzxw 6ytb-oi==")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Totp.fromBase32("MZXW1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOtpauthAddressNamesTheIssuerTheAccountAndTheKey() {
        assertThat(Totp.uri("Fieldbook", "maria the manager", "foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("otpauth://totp/Fieldbook:maria%20the%20manager?secret=MZXW6YTBOI&issuer=Fieldbook"
                        + "&algorithm=SHA1&digits=6&period=30");
    }
}

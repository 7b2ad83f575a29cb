package app.fieldbook.sync.pull;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * A device's cursor is untrusted text: {@link PullCursor#parse} either reads it to a cursor that writes back
 * as the same position, or refuses it with the {@link IllegalArgumentException} that the pull answers 400
 * {@code invalid-cursor}; any other exception fails the target. Inputs in {@code PullCursorFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class PullCursorFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void aCursorIsReadOrRefused(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        PullCursor cursor;
        try {
            cursor = PullCursor.parse(text);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessage("cursor is not one this server handed out");
            return;
        }
        assertThat(cursor.position()).isNotNegative();
        assertThat(cursor.reached()).isBetween(0L, cursor.position());
        assertThat(PullCursor.parse(cursor.toString())).isEqualTo(cursor);
    }
}

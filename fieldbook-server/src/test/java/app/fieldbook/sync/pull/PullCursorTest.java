package app.fieldbook.sync.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PullCursorTest {

    private static final UUID SITE = UUID.fromString("0192a1b2-0000-7000-8000-000000000001");

    @Test
    void anEmptyCursorStartsAtTheBeginning() {
        assertThat(PullCursor.parse(null)).isEqualTo(PullCursor.START);
        assertThat(PullCursor.parse(" ")).isEqualTo(PullCursor.START);
        assertThat(PullCursor.START.toString()).isEqualTo("0");
    }

    @Test
    void whatTheServerHandsOutReadsBackTheSame() {
        PullCursor plain = PullCursor.parse("1234");
        PullCursor catchingUp = plain.catchingUp(SITE, 99);
        assertThat(plain.toString()).isEqualTo("1234");
        assertThat(catchingUp.toString()).isEqualTo("1234:" + SITE + ":99");
        assertThat(PullCursor.parse(catchingUp.toString())).isEqualTo(catchingUp);
        assertThat(catchingUp.movedTo(1300)).isEqualTo(new PullCursor(1300, null, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "12:", "12:not-a-uuid:3", "12:0192a1b2-0000-7000-8000-000000000001",
            "12:0192a1b2-0000-7000-8000-000000000001:13", "12:0192a1b2-0000-7000-8000-000000000001:-1",
            "1:2:3:4", "99999999999999999999"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> PullCursor.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor is not one this server handed out");
    }
}

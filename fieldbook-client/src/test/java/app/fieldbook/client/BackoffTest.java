package app.fieldbook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 3, Duration.ofSeconds(30));

    @Test
    void theCeilingDoublesWithEachRetryUpToTheCap() {
        assertThat(List.of(backoff.ceiling(0), backoff.ceiling(1), backoff.ceiling(2), backoff.ceiling(5),
                backoff.ceiling(6), backoff.ceiling(1000))).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(32), Duration.ofSeconds(60),
                Duration.ofSeconds(60));
    }

    @Test
    void theWaitIsSpreadOverTheWholeRangeFromZeroToTheCeiling() {
        SplittableRandom random = new SplittableRandom(42);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waits.add(backoff.delay(3, random));
        }

        assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(8)));
        assertThat(waits).anySatisfy(wait -> assertThat(wait).isLessThan(Duration.ofSeconds(1)));
        assertThat(waits).anySatisfy(wait -> assertThat(wait).isGreaterThan(Duration.ofSeconds(7)));
    }

    @Test
    void aBackoffThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

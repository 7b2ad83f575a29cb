package app.fieldbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppendedIdsTest {

    @Test
    void anIdIsAVersion7UuidThatStartsWithItsMillisecond() {
        long millis = 1_795_000_000_123L;
        UUID id = AppendedIds.of(millis, 5);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7005", millis >>> 16, millis & 0xFFFF));
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsTheirTextDoes() {
        UUID earlier = AppendedIds.of(1_795_000_000_123L, 4095);
        UUID later = AppendedIds.of(1_795_000_000_124L, 0);
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void idsGivenOneAfterAnotherIncreaseAlsoWithinAMillisecondAndPastItsCount() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(AppendedIds.next());
        }
        assertThat(new HashSet<>(ids)).hasSize(100_000);
        assertThat(ids).isSortedAccordingTo(Comparator.comparing(UUID::toString));
        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(ids.getLast().getMostSignificantBits() >>> 16).as("not far ahead of the clock")
                .isLessThan(System.currentTimeMillis() + 1_000);
    }

    @Test
    void idsGivenOnSeveralThreadsAtOnceAreAllDifferent() throws Exception {
        Set<UUID> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int thread = 0; thread < 4; thread++) {
                threads.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        ids.add(AppendedIds.next());
                    }
                });
            }
        }
        assertThat(ids).hasSize(100_000);
    }
}

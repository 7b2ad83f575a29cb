package app.fieldbook.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    private final KeyedLocks<String> locks = new KeyedLocks<>();

    @Test
    void aHeldKeyHoldsUpOnlyItsOwnWork() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> locks.whenFree("a", LONG, () -> {
            holding.countDown();
            awaitQuietly(release);
            return "held";
        }).orElseThrow());
        assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(locks.whenFree("b", Duration.ZERO, () -> "other key")).contains("other key");
        assertThat(locks.whenFree("a", Duration.ZERO, () -> "same key")).isEmpty();
        assertThat(locks.whenFree("a", Duration.ofMillis(50), () -> "same key, after a wait")).isEmpty();

        release.countDown();
        assertThat(holder.get(20, TimeUnit.SECONDS)).isEqualTo("held");
        assertThat(locks.whenFree("a", Duration.ZERO, () -> "free again")).contains("free again");
    }

    @Test
    void workOnTheSameKeyRunsOneAtATime() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> tasks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                tasks.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return locks.whenFree("photo", LONG, () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        pause(Duration.ofMillis(3));
                        return inside.decrementAndGet();
                    }).orElseThrow();
                }, threads));
            }
            start.countDown();
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
        assertThat(most.get()).isOne();
        assertThat(locks.size()).isZero();
    }

    @Test
    void aKeyNobodyHoldsLeavesNothingBehindEvenWhenTheWorkFails() {
        locks.whenFree("a", LONG, () -> "done");
        locks.whenFree("b", Duration.ZERO, () -> "done");
        assertThatThrownBy(() -> locks.whenFree("c", LONG, () -> {
            throw new IOException("failed");
        })).isInstanceOf(IOException.class);
        assertThat(locks.size()).isZero();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

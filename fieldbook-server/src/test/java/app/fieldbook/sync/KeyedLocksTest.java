package app.fieldbook.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

    private final KeyedLocks<String> locks = new KeyedLocks<>();

    @Test
    void aHeldKeyHoldsUpOnlyItsOwnWork() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> locks.withLock("a", () -> {
            holding.countDown();
            awaitQuietly(release);
            return "held";
        }));
        assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(locks.withLock("b", () -> "other key")).isEqualTo("other key");
        assertThat(locks.ifFree("a", () -> "same key")).isEmpty();
        assertThat(locks.ifFree("b", () -> "free")).contains("free");

        release.countDown();
        assertThat(holder.get(20, TimeUnit.SECONDS)).isEqualTo("held");
        assertThat(locks.ifFree("a", () -> "free again")).contains("free again");
    }

    @Test
    void workOnTheSameKeyRunsOneAtATime() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(CompletableFuture.supplyAsync(() -> locks.withLock("photo", () -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Thread.onSpinWait();
                Thread.yield();
                return inside.decrementAndGet();
            })));
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(most.get()).isOne();
        assertThat(locks.size()).isZero();
    }

    @Test
    void aKeyNobodyHoldsLeavesNothingBehindEvenWhenTheWorkFails() {
        locks.withLock("a", () -> "done");
        locks.ifFree("b", () -> "done");
        assertThatThrownBy(() -> locks.withLock("c", () -> {
            throw new IOException("failed");
        })).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> locks.ifFree("d", () -> {
            throw new IOException("failed");
        })).isInstanceOf(IOException.class);
        assertThat(locks.size()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package app.fieldbook.attachments;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock per key, for work on one thing at a time (one photo's upload) that must not hold up work on the
 * others. A key's lock exists only while somebody holds it or waits for it, so the keys seen over time do
 * not pile up.
 */
final class KeyedLocks<K> {

    /** Work done under a key's lock; it answers a value, never null. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Runs the work holding the key's lock, waiting at most {@code wait} for whoever holds it now, and
     * answers its result; empty if the lock did not come free in time (or the wait was interrupted).
     */
    <T, E extends Exception> Optional<T> whenFree(K key, Duration wait, Work<T, E> work) throws E {
        Entry entry = join(key);
        try {
            if (!acquire(entry.lock, wait)) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.run());
            } finally {
                entry.lock.unlock();
            }
        } finally {
            leave(key);
        }
    }

    /** How many keys have a lock now (held or waited for). */
    int size() {
        return entries.size();
    }

    private static boolean acquire(ReentrantLock lock, Duration wait) {
        try {
            return wait.isZero() ? lock.tryLock() : lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Entry join(K key) {
        return entries.compute(key, (k, entry) -> {
            Entry joined = entry == null ? new Entry() : entry;
            joined.users++;
            return joined;
        });
    }

    private void leave(K key) {
        entries.compute(key, (k, entry) -> --entry.users == 0 ? null : entry);
    }
}

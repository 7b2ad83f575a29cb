package app.fieldbook;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for rows the server appends at a high rate (audit events, change-feed rows, conflicts): UUID
 * version 7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds. Each new row lands at the
 * end of its primary key's index instead of on a random page of it. The next 12 bits count the ids of one
 * millisecond, so that the ids this server gives increase in the order they were given, also within a
 * millisecond (RFC 9562's first method): the rows of one transaction keep the order they were written in
 * where they are ordered by id (the change feed's sequencer). A count past 4,095 runs into the next
 * millisecond's ids, as the RFC allows. The last 62 bits are random but not from a secure source: these ids
 * are not secrets, and must not be used where one is needed.
 */
public final class AppendedIds {

    private static final int COUNT_BITS = 12;

    /** The millisecond and the count within it of the last id given, as {@code millis << 12 | count}. */
    private static final AtomicLong LAST = new AtomicLong();

    private AppendedIds() {
    }

    public static UUID next() {
        long stamp = LAST.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() << COUNT_BITS));
        return of(stamp >>> COUNT_BITS, (int) (stamp & ((1 << COUNT_BITS) - 1)));
    }

    /** The id of the {@code count}-th id of a millisecond (0 to 4,095), with its random bits. */
    static UUID of(long unixMillis, int count) {
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | count;
        long low = ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}

package app.fieldbook;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for rows the server appends at a high rate (audit events, change-feed rows, conflicts): UUID
 * version 7 (RFC 9562), whose first 48 bits are the Unix time in milliseconds. Each new row lands at the
 * end of its primary key's index instead of on a random page of it. The other 74 bits are random but
 * not from a secure source: these ids are not secrets, and must not be used where one is needed.
 */
public final class AppendedIds {

    private AppendedIds() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long unixMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}

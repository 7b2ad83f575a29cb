package app.fieldbook.sync.pull;

import java.util.UUID;

/**
 * Where a device stands in the change feed: the position of the last change it pulled and, while it
 * catches up on a site it has just been given, that site and how far it got in the site's changes up to
 * {@code position}. Devices keep it as an opaque string, {@code "<position>"} or
 * {@code "<position>:<site id>:<position in the site>"}.
 */
record PullCursor(long position, UUID catchingUp, long reached) {

    static final PullCursor START = new PullCursor(0, null, 0);

    /** Reads a cursor this server handed out; an empty one starts a full download. */
    static PullCursor parse(String text) {
        if (text == null || text.isBlank()) {
            return START;
        }
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 1) {
                return new PullCursor(position(parts[0]), null, 0);
            }
            if (parts.length == 3) {
                PullCursor cursor = new PullCursor(position(parts[0]), UUID.fromString(parts[1]), position(parts[2]));
                if (cursor.reached() <= cursor.position()) {
                    return cursor;
                }
            }
        } catch (IllegalArgumentException unreadable) {
            // answered below
        }
        throw new IllegalArgumentException("cursor is not one this server handed out");
    }

    /** The cursor after the main feed moved on to {@code next}; a catch-up in progress is not kept. */
    PullCursor movedTo(long next) {
        return new PullCursor(next, null, 0);
    }

    /** The same position, catching up on {@code site}, whose changes up to {@code upTo} were sent. */
    PullCursor catchingUp(UUID site, long upTo) {
        return new PullCursor(position, site, upTo);
    }

    @Override
    public String toString() {
        return catchingUp == null ? Long.toString(position) : position + ":" + catchingUp + ":" + reached;
    }

    private static long position(String text) {
        long position = Long.parseLong(text);
        if (position < 0) {
            throw new IllegalArgumentException("negative position");
        }
        return position;
    }
}

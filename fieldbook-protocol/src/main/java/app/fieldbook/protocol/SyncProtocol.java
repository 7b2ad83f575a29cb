package app.fieldbook.protocol;

/** Constants of the sync protocol (docs/sync-protocol.md). */
public final class SyncProtocol {

    /** The protocol version this code speaks. A server answers older protocol versions it no longer accepts with 426. */
    public static final int VERSION = 1;

    /** The entity names used in operations, changes and conflicts. */
    public static final String REPORT = "DailyReport";
    public static final String PHOTO = "Photo";
    public static final String CONFLICT = "Conflict";

    private SyncProtocol() {
    }

    /**
     * Compares dotted version numbers numerically, part by part ({@code 0.10.0 > 0.9.3}); a missing part
     * counts as zero and anything after the first non-digit of a part is ignored ({@code 1.2.0-beta = 1.2.0}).
     */
    public static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int difference = Long.compare(part(a, i), part(b, i));
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    private static long part(String[] parts, int index) {
        if (index >= parts.length) {
            return 0;
        }
        String digits = parts[index].replaceFirst("^(\\d*).*$", "$1");
        return digits.isEmpty() ? 0 : Long.parseLong(digits.length() > 18 ? digits.substring(0, 18) : digits);
    }
}

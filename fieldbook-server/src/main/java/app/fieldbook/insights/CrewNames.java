package app.fieldbook.insights;

import app.fieldbook.insights.ReportFigures.CrewSum;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The names of trades and companies as the month-end groups them: people type "Electrical", "electrical " and
 * "ELECTRICAL" for one trade, so names are one when they are equal trimmed, with runs of spaces as one, and
 * regardless of case. A name of spaces only names none. A group is shown in the spelling most of its crew rows
 * use (trimmed); on a tie, the first of those spellings in character order.
 */
final class CrewNames {

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private CrewNames() {
    }

    /** The name as it is grouped by; null for none (null or blank). */
    static String key(String name) {
        String spelled = spelling(name);
        return spelled == null ? null : spelled.toLowerCase(Locale.ROOT);
    }

    /** The name trimmed, with runs of spaces as one; null for none (null or blank). */
    static String spelling(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return SPACES.matcher(name.strip()).replaceAll(" ");
    }

    /** The spelling a group of crew sums of one {@link #key} is shown in. */
    static String shown(List<CrewSum> group, Function<CrewSum, String> name) {
        return shown(group, name, CrewSum::rows);
    }

    /** The spelling a group of one {@link #key} is shown in, each member counting {@code rows} crew rows. */
    static <T> String shown(List<T> group, Function<T, String> name, ToLongFunction<T> rowsOf) {
        Map<String, Long> rows = new TreeMap<>();
        for (T member : group) {
            String spelled = spelling(name.apply(member));
            if (spelled != null) {
                rows.merge(spelled, rowsOf.applyAsLong(member), Long::sum);
            }
        }
        return rows.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}

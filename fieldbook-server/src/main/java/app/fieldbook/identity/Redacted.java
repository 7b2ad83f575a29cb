package app.fieldbook.identity;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The text of a record that holds a secret (a password, a token, a key, a code), with the secret's components
 * written as {@code ***}: what a log line gets when a framework logs the record (Spring MVC logs request and
 * answer bodies at DEBUG), so no secret reaches a log. {@code LogsTest} checks the log.
 */
final class Redacted {

    private Redacted() {
    }

    static String of(Record record, String... secrets) {
        Set<String> hidden = Set.of(secrets);
        return Arrays.stream(record.getClass().getRecordComponents())
                .map(component -> component.getName() + "=" + (hidden.contains(component.getName()) ? "***" : value(record, component)))
                .collect(Collectors.joining(", ", record.getClass().getSimpleName() + "[", "]"));
    }

    private static Object value(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }
}

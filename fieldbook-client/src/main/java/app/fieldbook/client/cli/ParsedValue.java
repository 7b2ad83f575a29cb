package app.fieldbook.client.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an option's value, trimmed, with a parser; a value the parser refuses is a usage error saying
 * what was expected. Each kind of value is a subclass that picocli creates.
 */
abstract class ParsedValue<T> implements ITypeConverter<T> {

    private final Function<String, T> parser;
    private final String expected;

    ParsedValue(Function<String, T> parser, String expected) {
        this.parser = parser;
        this.expected = expected;
    }

    @Override
    public final T convert(String value) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException unreadable) {
            throw new TypeConversionException("'" + value + "' is not " + expected);
        }
    }
}

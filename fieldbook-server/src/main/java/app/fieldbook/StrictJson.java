package app.fieldbook;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * What JSON input may hold beyond its types, for every body the server reads (the REST API and sync alike):
 * no text with a NUL character (PostgreSQL cannot store one, and it answered 409 as if the data conflicted),
 * and dates written {@code yyyy-mm-dd} with a year from 1900 to 9999 ({@code +99999-01-01} was stored while
 * {@code 99999-01-01} was refused). Either is answered 400 {@code invalid-request} naming the field.
 */
@Configuration
class StrictJson {

    static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

    @Bean
    JacksonModule strictJsonModule() {
        return new SimpleModule("fieldbook-strict-json")
                .addDeserializer(String.class, new TextWithoutNul())
                .addDeserializer(LocalDate.class, new CalendarDate());
    }

    /** Text as Jackson reads it, refused if it holds a NUL character. */
    private static final class TextWithoutNul extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String text = super.deserialize(parser, context);
            if (text != null && text.indexOf('\0') >= 0) {
                return (String) context.handleWeirdStringValue(String.class, text,
                        "text must not contain a NUL character (\\u0000)");
            }
            return text;
        }
    }

    /** A date written {@code yyyy-mm-dd}, from 1900-01-01 to 9999-12-31. */
    private static final class CalendarDate extends ValueDeserializer<LocalDate> {

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (LocalDate) context.handleUnexpectedToken(LocalDate.class, parser);
            }
            String text = parser.getString();
            try {
                LocalDate date = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
                if (text.length() == 10 && !date.isBefore(EARLIEST)) {
                    return date;
                }
            } catch (DateTimeParseException e) {
                // answered below
            }
            return (LocalDate) context.handleWeirdStringValue(LocalDate.class, text,
                    "a date is written yyyy-mm-dd, from 1900-01-01 to 9999-12-31");
        }
    }
}

package app.fieldbook.client.cli;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportField;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The sections of a report as options; those given replace the section, an empty value clears it. */
final class ContentOptions {

    @Option(names = "--work", paramLabel = "TEXT", description = "Work performed.")
    String work;

    @Option(names = "--weather", paramLabel = "TEXT", description = "Weather conditions, e.g. \"Sunny\".")
    String weather;

    @Option(names = "--temperature", paramLabel = "CELSIUS", converter = Temperature.class,
            description = "Temperature in degrees Celsius, e.g. 18.5; \"\" clears it.")
    BigDecimal temperature;

    @Option(names = "--crew", paramLabel = "TRADE:COMPANY:HEADCOUNT:HOURS", converter = Crew.class,
            description = "A crew row (repeat for more); replaces all rows. COMPANY may be empty; --crew \"\" "
                    + "takes every row out.")
    List<CrewRow> crew;

    /** What {@code --temperature ""} reads as (compared by identity): clear the temperature. */
    private static final BigDecimal NO_TEMPERATURE = new BigDecimal("0.0");
    /** What {@code --crew ""} reads as (compared by identity): no crew rows. */
    private static final CrewRow NO_CREW = new CrewRow("-", null, 0, BigDecimal.ZERO);

    @Option(names = "--delays", paramLabel = "TEXT", description = "Delays.")
    String delays;

    @Option(names = "--safety", paramLabel = "TEXT", description = "Safety incidents.")
    String safety;

    @Option(names = "--materials", paramLabel = "TEXT", description = "Materials delivered or used.")
    String materials;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Notes.")
    String notes;

    /** {@code content} with the given sections replaced. */
    ReportContent over(ReportContent content) {
        Map<ReportField, Object> given = new EnumMap<>(ReportField.class);
        given.put(ReportField.WEATHER_CONDITIONS, weather);
        given.put(ReportField.WEATHER_TEMPERATURE, temperature == NO_TEMPERATURE ? "" : temperature);
        // the rows given replace every row: an empty one adds none
        given.put(ReportField.CREW, crew == null ? null : crew.stream().filter(row -> row != NO_CREW).toList());
        given.put(ReportField.WORK_PERFORMED, work);
        given.put(ReportField.DELAYS, delays);
        given.put(ReportField.SAFETY_INCIDENTS, safety);
        given.put(ReportField.MATERIALS, materials);
        given.put(ReportField.NOTES, notes);
        return ReportField.contentOf(field -> {
            Object value = given.get(field);
            if (value == null) {
                return field.valueIn(content);
            }
            return value instanceof String text && text.isBlank() ? null : value;
        });
    }

    static final class Temperature extends ParsedValue<BigDecimal> {
        Temperature() {
            super(text -> text.isEmpty() ? NO_TEMPERATURE : new BigDecimal(text),
                    "a temperature (a number such as 18.5, or \"\" to clear it)");
        }
    }

    /** Reads {@code trade:company:headcount:hours}, e.g. {@code Concrete:Beton Nord:6:48}. */
    static final class Crew implements ITypeConverter<CrewRow> {
        @Override
        public CrewRow convert(String value) {
            if (value.isBlank()) {
                return NO_CREW;
            }
            String[] parts = value.split(":", -1);
            if (parts.length != 4 || parts[0].isBlank()) {
                throw new TypeConversionException("'" + value + "' is not a crew row (TRADE:COMPANY:HEADCOUNT:HOURS)");
            }
            try {
                int headcount = Integer.parseInt(parts[2].trim());
                BigDecimal hours = new BigDecimal(parts[3].trim());
                if (headcount < 0 || hours.signum() < 0) {
                    throw new TypeConversionException("'" + value + "': headcount and hours cannot be negative");
                }
                return new CrewRow(parts[0].trim(), parts[1].isBlank() ? null : parts[1].trim(), headcount, hours);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value
                        + "' is not a crew row: HEADCOUNT must be a whole number and HOURS a number");
            }
        }
    }
}

package app.fieldbook.client.cli;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.util.List;
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
            description = "Temperature in degrees Celsius, e.g. 18.5.")
    BigDecimal temperature;

    @Option(names = "--crew", paramLabel = "TRADE:COMPANY:HEADCOUNT:HOURS", converter = Crew.class,
            description = "A crew row (repeat for more); replaces all rows. COMPANY may be empty.")
    List<CrewRow> crew;

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
        Weather before = content.weather();
        return new ReportContent(
                new Weather(pick(weather, before.conditions()), temperature != null ? temperature : before.temperatureCelsius()),
                crew != null ? crew : content.crew(),
                pick(work, content.workPerformed()),
                pick(delays, content.delays()),
                pick(safety, content.safetyIncidents()),
                pick(materials, content.materials()),
                pick(notes, content.notes()));
    }

    private static String pick(String given, String before) {
        if (given == null) {
            return before;
        }
        return given.isBlank() ? null : given;
    }

    static final class Temperature implements ITypeConverter<BigDecimal> {
        @Override
        public BigDecimal convert(String value) {
            try {
                return new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a temperature (a number such as 18.5)");
            }
        }
    }

    /** Reads {@code trade:company:headcount:hours}, e.g. {@code Concrete:Beton Nord:6:48}. */
    static final class Crew implements ITypeConverter<CrewRow> {
        @Override
        public CrewRow convert(String value) {
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

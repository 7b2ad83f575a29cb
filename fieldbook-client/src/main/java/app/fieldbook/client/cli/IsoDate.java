package app.fieldbook.client.cli;

import java.time.LocalDate;

/** Reads a day as {@code YYYY-MM-DD}. */
final class IsoDate extends ParsedValue<LocalDate> {

    IsoDate() {
        super(LocalDate::parse, "a date (YYYY-MM-DD)");
    }
}

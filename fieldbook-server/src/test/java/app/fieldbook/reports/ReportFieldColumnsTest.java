package app.fieldbook.reports;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.protocol.ReportField;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The columns of {@code daily_reports}, as the migrations make them, are those of the report's fields
 * and of its record: a field declared without a column, or a column migrated without a field, fails here.
 */
class ReportFieldColumnsTest {

    private static final String URL = "jdbc:h2:mem:report-columns-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";

    /** Each column of {@code daily_reports} with its size (characters of text, digits of numbers). */
    private static final Map<String, Integer> migrated = new HashMap<>();

    @BeforeAll
    static void migrate() throws SQLException {
        Flyway.configure().dataSource(URL, "sa", "").locations("classpath:db/migration").load().migrate();
        try (Connection connection = DriverManager.getConnection(URL, "sa", "");
                ResultSet columns = connection.getMetaData().getColumns(null, null, "daily_reports", null)) {
            while (columns.next()) {
                migrated.put(columns.getString("COLUMN_NAME"), columns.getInt("COLUMN_SIZE"));
            }
        }
    }

    @Test
    void everyColumnOfAReportIsAFieldsOrItsRecords() {
        List<String> declared = new ArrayList<>(DailyReports.RECORD_COLUMNS);
        for (ReportField field : ReportField.values()) {
            field.column().ifPresent(declared::add);
        }
        assertThat(migrated.keySet()).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void onlyTheCrewIsKeptOutsideTheReportsTable() {
        for (ReportField field : ReportField.values()) {
            assertThat(field.column().isEmpty()).as(field.wireName()).isEqualTo(field == ReportField.CREW);
        }
    }

    @Test
    void aTextColumnHoldsAsManyCharactersAsItsFieldAccepts() {
        for (ReportField field : ReportField.values()) {
            if (field.kind() == ReportField.Kind.TEXT) {
                assertThat(migrated.get(field.column().orElseThrow())).as(field.wireName())
                        .isEqualTo(field.maxLength());
            }
        }
    }
}

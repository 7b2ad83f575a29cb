package app.fieldbook.protocol;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fields of a daily report, each declared once: its name in sync operations, conflicts and the audit
 * trail, the kind of its value, who writes it, the column that stores it, and how it is read from a
 * {@link Report}. The server's storage, audit and merge and the client's store and edits derive their
 * lists of fields from here, so a new field is declared here, in {@link ReportContent} (when its author
 * writes it) and in a migration. The constants are in the order the audit trail lists fields.
 */
public enum ReportField {

    SITE_ID("siteId", Kind.ID, WrittenBy.CREATION, "site_id", 0, Report::siteId),
    DATE("date", Kind.DATE, WrittenBy.CREATION, "report_date", 0, Report::date),
    AUTHOR_ID("authorId", Kind.ID, WrittenBy.SERVER, "author_id", 0, Report::authorId),
    STATUS("status", Kind.STATUS, WrittenBy.TRANSITION, "status", 0, Report::status),
    WEATHER_CONDITIONS("weather.conditions", Kind.TEXT, "weather_conditions", 200, "weather conditions",
            content -> content.weather().conditions()),
    WEATHER_TEMPERATURE("weather.temperatureCelsius", Kind.NUMBER, "temperature_celsius", 0, "temperature",
            content -> content.weather().temperatureCelsius()),
    CREW("crew", Kind.CREW, null, 200, "crew", ReportContent::crew),
    WORK_PERFORMED("workPerformed", Kind.TEXT, "work_performed", 20_000, "work performed",
            ReportContent::workPerformed),
    DELAYS("delays", Kind.TEXT, "delays", 20_000, "delays", ReportContent::delays),
    SAFETY_INCIDENTS("safetyIncidents", Kind.TEXT, "safety_incidents", 20_000, "safety incidents",
            ReportContent::safetyIncidents),
    MATERIALS("materials", Kind.TEXT, "materials", 20_000, "materials", ReportContent::materials),
    NOTES("notes", Kind.TEXT, "notes", 20_000, "notes", ReportContent::notes),
    RETURN_COMMENT("returnComment", Kind.TEXT, WrittenBy.TRANSITION, "return_comment", 2000,
            Report::returnComment);

    /**
     * The kind of a field's value. On the wire: {@link #ID} and {@link #DATE} (ISO) and {@link #STATUS} and
     * {@link #TEXT} as strings or null, {@link #NUMBER} as a number or null, {@link #CREW} as the whole list
     * of {@link CrewRow}s. In Java: {@code UUID}, {@code LocalDate}, {@link ReportStatus}, {@code String},
     * {@code BigDecimal}, {@code List<CrewRow>}.
     */
    public enum Kind {
        ID, DATE, STATUS, TEXT, NUMBER, CREW
    }

    /** Who sets a field, which decides which operations may carry it. */
    public enum WrittenBy {
        /** The author, in any edit of a draft or returned report: the report's content. */
        AUTHOR,
        /** The report's life cycle (submit, return, approve, reopen); a device asks for it in an update. */
        TRANSITION,
        /** The creation of the report; fixed afterwards. */
        CREATION,
        /** The server, from who created the report; never carried by an operation. */
        SERVER
    }

    private final String wireName;
    private final Kind kind;
    private final WrittenBy writtenBy;
    private final String column;
    private final int maxLength;
    private final String label;
    private final Function<Report, Object> readReport;
    private final Function<ReportContent, Object> readContent;

    ReportField(String wireName, Kind kind, WrittenBy writtenBy, String column, int maxLength,
            Function<Report, Object> read) {
        this.wireName = wireName;
        this.kind = kind;
        this.writtenBy = writtenBy;
        this.column = column;
        this.maxLength = maxLength;
        this.label = wireName;
        this.readReport = read;
        this.readContent = null;
    }

    ReportField(String wireName, Kind kind, String column, int maxLength, String label,
            Function<ReportContent, Object> read) {
        this.wireName = wireName;
        this.kind = kind;
        this.writtenBy = WrittenBy.AUTHOR;
        this.column = column;
        this.maxLength = maxLength;
        this.label = label;
        this.readReport = report -> read.apply(report.content());
        this.readContent = read;
    }

    /** The field's name in sync operations, conflicts and the audit trail, e.g. {@code weather.conditions}. */
    public String wireName() {
        return wireName;
    }

    public Kind kind() {
        return kind;
    }

    public WrittenBy writtenBy() {
        return writtenBy;
    }

    /** The column of {@code daily_reports} holding the field; empty for the crew, which has its own table. */
    public Optional<String> column() {
        return Optional.ofNullable(column);
    }

    /** The most characters of a text field, or the most rows of the crew; 0 for other kinds. */
    public int maxLength() {
        return maxLength;
    }

    /** What the field is, in words for a person, e.g. {@code safety incidents}. */
    public String label() {
        return label;
    }

    /** Whether the author writes the field, as part of the report's content. */
    public boolean isContent() {
        return writtenBy == WrittenBy.AUTHOR;
    }

    /** Whether a sync operation may carry the field (every field but those the server sets). */
    public boolean isSynced() {
        return writtenBy != WrittenBy.SERVER;
    }

    /** Whether an update may change the field (content and status; not what creation fixed). */
    public boolean isUpdatable() {
        return writtenBy == WrittenBy.AUTHOR || writtenBy == WrittenBy.TRANSITION;
    }

    /** The field's value in {@code report}, of the Java type its {@link Kind} names. */
    public Object valueIn(Report report) {
        return readReport.apply(report);
    }

    /**
     * The field's value in {@code content}, of the Java type its {@link Kind} names.
     *
     * @throws IllegalStateException if the field is not part of the content
     */
    public Object valueIn(ReportContent content) {
        if (!isContent()) {
            throw new IllegalStateException(wireName + " is not part of a report's content");
        }
        return readContent.apply(content);
    }

    /** The field with this wire name, if there is one. */
    public static Optional<ReportField> named(String wireName) {
        return Arrays.stream(values()).filter(field -> field.wireName.equals(wireName)).findFirst();
    }

    /** The fields an author writes, in order. */
    public static List<ReportField> content() {
        return Arrays.stream(values()).filter(ReportField::isContent).toList();
    }

    /** The wire names of the fields an author writes, in order. */
    public static List<String> contentNames() {
        return content().stream().map(ReportField::wireName).toList();
    }

    /**
     * The content holding, for each content field, the value {@code valueOf} gives (of the Java type its
     * {@link Kind} names; null for none).
     */
    @SuppressWarnings("unchecked")
    public static ReportContent contentOf(Function<ReportField, Object> valueOf) {
        return new ReportContent(
                new Weather((String) valueOf.apply(WEATHER_CONDITIONS), (BigDecimal) valueOf.apply(WEATHER_TEMPERATURE)),
                (List<CrewRow>) valueOf.apply(CREW),
                (String) valueOf.apply(WORK_PERFORMED),
                (String) valueOf.apply(DELAYS),
                (String) valueOf.apply(SAFETY_INCIDENTS),
                (String) valueOf.apply(MATERIALS),
                (String) valueOf.apply(NOTES));
    }
}

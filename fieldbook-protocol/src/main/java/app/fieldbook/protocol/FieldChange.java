package app.fieldbook.protocol;

/**
 * One field of an operation: the value the device saw when the edit was made ({@code base}) and the
 * value it wrote. Values are JSON values (see {@link ReportField}).
 */
public record FieldChange(Object base, Object value) {
}

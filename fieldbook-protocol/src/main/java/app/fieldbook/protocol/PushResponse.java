package app.fieldbook.protocol;

import java.util.List;

/** One result per operation, in the order of the request. */
public record PushResponse(List<OperationResult> results) {
}

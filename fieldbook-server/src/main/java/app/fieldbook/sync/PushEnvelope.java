package app.fieldbook.sync;

import app.fieldbook.protocol.DeviceStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A {@link app.fieldbook.protocol.PushRequest} as the server reads it: the envelope is bound and validated
 * as a whole (an invalid envelope refuses the request), the operations are kept as JSON and bound one by
 * one, so that a malformed operation is refused on its own and the rest of the batch is applied.
 */
record PushEnvelope(
        int protocolVersion,
        @NotBlank @Size(max = 40) String clientVersion,
        @NotNull UUID deviceId,
        @Valid DeviceStatus device,
        @NotNull @Size(max = 500) List<JsonNode> operations) {
}

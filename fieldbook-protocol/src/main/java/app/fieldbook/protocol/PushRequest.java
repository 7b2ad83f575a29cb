package app.fieldbook.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** A batch of operations from one device, applied in order, each in its own transaction. */
public record PushRequest(
        int protocolVersion,
        @NotBlank @Size(max = 40) String clientVersion,
        @NotNull UUID deviceId,
        @Valid DeviceStatus device,
        @NotNull @Size(max = 500) List<@NotNull @Valid Operation> operations) {
}

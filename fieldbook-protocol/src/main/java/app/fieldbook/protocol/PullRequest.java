package app.fieldbook.protocol;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Asks for the changes visible to the caller since {@code cursor}.
 *
 * @param cursor the cursor of the previous pull's answer; null or empty for a first download
 * @param knownSiteIds the sites the device holds: every site of {@link PullResponse#sites()} it was sent and
 *     the site of every report it holds. Those no longer visible come back in
 *     {@link PullResponse#dropSiteIds()}, and the history of a visible site not among them is sent before
 *     the feed moves on. Null (left out) if the device does not keep track: it then gets no histories.
 */
public record PullRequest(
        int protocolVersion,
        @NotBlank @Size(max = 40) String clientVersion,
        @NotNull UUID deviceId,
        @Valid DeviceStatus device,
        @Size(max = 100) String cursor,
        @Min(1) @Max(5000) int limit,
        @Size(max = 10_000) List<UUID> knownSiteIds) {

    public PullRequest {
        knownSiteIds = knownSiteIds == null ? null : List.copyOf(knownSiteIds);
    }
}

package app.fieldbook.protocol;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.UUID;

/**
 * Opens (or resumes) the upload of a photo's content; the photo's metadata was pushed as an operation
 * before. The answer says how many bytes the server already has.
 */
public record UploadStart(
        @NotNull UUID photoId,
        @NotNull @Pattern(regexp = "[0-9a-f]{64}") String sha256,
        @Min(1) @Max(1L << 40) long size) {
}

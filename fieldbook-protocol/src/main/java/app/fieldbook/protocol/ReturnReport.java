package app.fieldbook.protocol;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A manager sends a submitted report back to its author, saying why. */
public record ReturnReport(@NotBlank @Size(max = 2000) String comment) {
}

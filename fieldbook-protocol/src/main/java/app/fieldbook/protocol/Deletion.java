package app.fieldbook.protocol;

import java.util.UUID;

/** An entity that no longer exists on the server. */
public record Deletion(String entity, UUID id) {
}

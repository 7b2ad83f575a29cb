package app.fieldbook.protocol;

import java.util.UUID;

/** A person's name, to show who wrote a report or made a change. */
public record PersonReference(UUID id, String name) {
}

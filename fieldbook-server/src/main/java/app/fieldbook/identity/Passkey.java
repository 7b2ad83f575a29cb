package app.fieldbook.identity;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One of a person's passkeys as they see it: its label, when it was registered and last signed in with. */
record Passkey(UUID id, String label, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
}

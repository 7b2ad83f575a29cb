package app.fieldbook.client;

import java.util.UUID;

/** The person this device is signed in as; the changes made on the device are theirs. */
public record Account(UUID id, String login, String name, String role) {
}

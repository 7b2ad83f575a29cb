package app.fieldbook.identity;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A person's account. The password hash never leaves this module. {@code passwordChangeRequired}: an
 * administrator chose the password (a new account, or one they set), so its person must change it before anything
 * else.
 */
record User(
        UUID id,
        String login,
        String name,
        String email,
        Role role,
        String passwordHash,
        boolean active,
        boolean passwordChangeRequired,
        long version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
    @Override
    public String toString() {
        return Redacted.of(this, "passwordHash");
    }


    /** The account with a new password hash, which its person must change or not, as of {@code now}. */
    User withPassword(String hash, boolean changeRequired, OffsetDateTime now) {
        return new User(id, login, name, email, role, hash, active, changeRequired, version + 1, createdAt, now);
    }

    Actor asActor() {
        return new Actor(id, login, name, role);
    }

    /** The audited fields; the password hash is never among them. */
    Map<String, Object> auditedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("login", login);
        fields.put("name", name);
        fields.put("email", email);
        fields.put("role", role.name());
        fields.put("active", active);
        return fields;
    }
}

package app.fieldbook.client.store;

import app.fieldbook.protocol.PersonReference;
import java.util.Optional;
import java.util.UUID;

/** Names of the people whose reports or changes the device shows (reference data). */
public final class People {

    private final LocalStore store;

    People(LocalStore store) {
        this.store = store;
    }

    public void save(PersonReference person) {
        store.inTransaction(() -> store.update(
                "INSERT INTO person (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                person.id(), person.name()));
    }

    public Optional<String> name(UUID id) {
        return store.inTransaction(() -> store.queryOne("SELECT name FROM person WHERE id = ?", row -> row.getString(1),
                id));
    }
}

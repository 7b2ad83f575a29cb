package app.fieldbook.identity;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Looks people up for other modules; never exposes credentials. */
@Service
public class UserDirectory {

    /** A person and the address mail for them goes to (required of every account). */
    public record Addressee(Actor person, String email) {
    }

    private static final int CHUNK = 1000;

    private final Users users;

    UserDirectory(Users users) {
        this.users = users;
    }

    /** The account with this id as an actor, if it exists, active or not. */
    public Optional<Actor> find(UUID id) {
        return users.findById(id).map(User::asActor);
    }

    /** The accounts with these ids that exist, as actors, in the order of {@code ids}; one query per 1,000. */
    public List<Actor> findAll(Collection<UUID> ids) {
        List<UUID> distinct = List.copyOf(new LinkedHashSet<>(ids));
        Map<UUID, Actor> found = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += CHUNK) {
            users.findByIds(distinct.subList(from, Math.min(distinct.size(), from + CHUNK)))
                    .forEach(user -> found.put(user.id(), user.asActor()));
        }
        return distinct.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    /** The active accounts of this role with their addresses, by login: whom mail sent on no one's behalf goes to. */
    public List<Addressee> activeWithRole(Role role) {
        return users.activeWithRole(role).stream().map(user -> new Addressee(user.asActor(), user.email())).toList();
    }

    /** The account with this login as an actor, if it exists. */
    public Optional<Actor> findByLogin(String login) {
        return users.findByLogin(login).map(User::asActor);
    }
}

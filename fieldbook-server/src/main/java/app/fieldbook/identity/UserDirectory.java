package app.fieldbook.identity;

import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Looks people up for other modules; never exposes credentials. */
@Service
public class UserDirectory {

    private final Users users;

    UserDirectory(Users users) {
        this.users = users;
    }

    /** The account with this id as an actor, if it exists, active or not. */
    public Optional<Actor> find(UUID id) {
        return users.findById(id).map(User::asActor);
    }

    /** The account with this login as an actor, if it exists. */
    public Optional<Actor> findByLogin(String login) {
        return users.findByLogin(login).map(User::asActor);
    }
}

package app.fieldbook.identity;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The user accounts, in table {@code users}. */
@Repository
class Users {

    private static final RowMapper<User> ROW = (rs, n) -> new User(
            rs.getObject("id", UUID.class),
            rs.getString("login"),
            rs.getString("name"),
            rs.getString("email"),
            Role.valueOf(rs.getString("role")),
            rs.getString("password_hash"),
            rs.getBoolean("active"),
            rs.getBoolean("password_change_required"),
            rs.getLong("version"),
            rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("updated_at", OffsetDateTime.class));

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<User> findById(UUID id) {
        return jdbc.sql("""
                SELECT * FROM users WHERE id = :id""")
                .param("id", id).query(ROW).optional();
    }

    /** The accounts with these ids that exist, in no particular order. */
    List<User> findByIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM users WHERE id IN (:ids)").param("ids", List.copyOf(ids)).query(ROW).list();
    }

    Optional<User> findByLogin(String login) {
        return jdbc.sql("""
                SELECT * FROM users WHERE login = :login""")
                .param("login", login).query(ROW).optional();
    }

    /** The active accounts of this role, by login. */
    List<User> activeWithRole(Role role) {
        return jdbc.sql("""
                SELECT * FROM users WHERE role = :role AND active = TRUE ORDER BY login""")
                .param("role", role.name()).query(ROW).list();
    }

    boolean anyActiveAdministrator() {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'ADMINISTRATOR' AND active = TRUE")
                .query(Long.class).single() > 0;
    }

    List<User> page(int page, int size) {
        return jdbc.sql("""
                SELECT * FROM users ORDER BY login LIMIT :limit OFFSET :offset""")
                .param("limit", size).param("offset", (long) page * size).query(ROW).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    void insert(User user) {
        jdbc.sql("""
                INSERT INTO users (id, login, name, email, role, password_hash, active, password_change_required,
                                   version, created_at, updated_at)
                VALUES (:id, :login, :name, :email, :role, :passwordHash, :active, :passwordChangeRequired,
                        :version, :createdAt, :updatedAt)
                """)
                .param("id", user.id()).param("login", user.login()).param("name", user.name())
                .param("email", user.email()).param("role", user.role().name())
                .param("passwordHash", user.passwordHash()).param("active", user.active())
                .param("passwordChangeRequired", user.passwordChangeRequired())
                .param("version", user.version()).param("createdAt", user.createdAt())
                .param("updatedAt", user.updatedAt())
                .update();
    }

    /** Writes the user if its stored version is {@code expectedVersion}; false when it changed meanwhile. */
    boolean update(User user, long expectedVersion) {
        return jdbc.sql("""
                UPDATE users SET name = :name, email = :email, role = :role, password_hash = :passwordHash,
                       active = :active, password_change_required = :passwordChangeRequired, version = :version,
                       updated_at = :updatedAt
                 WHERE id = :id AND version = :expectedVersion
                """)
                .param("id", user.id()).param("name", user.name()).param("email", user.email())
                .param("role", user.role().name()).param("passwordHash", user.passwordHash())
                .param("active", user.active()).param("passwordChangeRequired", user.passwordChangeRequired())
                .param("version", user.version())
                .param("updatedAt", user.updatedAt()).param("expectedVersion", expectedVersion)
                .update() == 1;
    }
}

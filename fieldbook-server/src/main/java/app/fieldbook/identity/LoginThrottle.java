package app.fieldbook.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: a login, or a client address, with too many failed sign-ins within the
 * window is refused until the oldest failure leaves the window. Kept in the database so that every node
 * behind a load balancer counts the same failures.
 */
@Component
class LoginThrottle {

    private final JdbcClient jdbc;
    private final IdentitySettings settings;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, IdentitySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** Seconds until this login from this address may try again; zero when it may try now. */
    long secondsUntilAllowed(String login, String address) {
        OffsetDateTime since = OffsetDateTime.now(clock).minus(settings.failureWindow());
        long byLogin = waitFor("login", login, since, settings.failuresPerLogin());
        long byAddress = waitFor("client_address", address, since, settings.failuresPerAddress());
        return Math.max(byLogin, byAddress);
    }

    void recordFailure(String login, String address) {
        jdbc.sql("""
                INSERT INTO login_failures (id, login, client_address, failed_at)
                VALUES (:id, :login, :address, :failedAt)""")
                .param("id", UUID.randomUUID()).param("login", login).param("address", address)
                .param("failedAt", OffsetDateTime.now(clock))
                .update();
    }

    void clearFailures(String login) {
        jdbc.sql("""
                DELETE FROM login_failures WHERE login = :login""")
                .param("login", login).update();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOldFailures() {
        jdbc.sql("""
                DELETE FROM login_failures WHERE failed_at < :before""")
                .param("before", OffsetDateTime.now(clock).minus(settings.failureWindow()).minusDays(1))
                .update();
    }

    private long waitFor(String column, String value, OffsetDateTime since, int allowed) {
        var failures = jdbc.sql("""
                SELECT failed_at FROM login_failures
                 WHERE %s = :value AND failed_at > :since
                 ORDER BY failed_at DESC""".formatted(column))
                .param("value", value).param("since", since)
                .query(OffsetDateTime.class)
                .list();
        if (failures.size() < allowed) {
            return 0;
        }
        OffsetDateTime oldestCounted = failures.get(allowed - 1);
        OffsetDateTime freeAt = oldestCounted.plus(settings.failureWindow());
        return Math.max(1, java.time.Duration.between(OffsetDateTime.now(clock), freeAt).toSeconds());
    }
}

package app.fieldbook.identity;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: a login from one client address, a client address, or a login from all
 * addresses together with too many failed sign-ins within the window is refused until the oldest failure
 * leaves the window. The tight limit is per login <em>and</em> address, so that someone who knows a login
 * cannot keep its person out by failing on purpose from elsewhere; the loose limit per login caps guessing
 * spread over many addresses. An IPv6 address counts as its /64 network, which one host or one customer line
 * usually holds whole (counted one by one, a single host would be countless addresses). Kept in the database
 * so that every node behind a load balancer counts the same failures.
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
    long secondsUntilAllowed(String login, String clientAddress) {
        String address = counted(clientAddress);
        List<Failure> failures = jdbc.sql("""
                SELECT login, client_address, failed_at FROM login_failures
                 WHERE (login = :login OR client_address = :address) AND failed_at > :since
                 ORDER BY failed_at DESC""")
                .param("login", login).param("address", address)
                .param("since", OffsetDateTime.now(clock).minus(settings.failureWindow()))
                .query((rs, n) -> new Failure(rs.getString("login"), rs.getString("client_address"),
                        rs.getObject("failed_at", OffsetDateTime.class)))
                .list();
        long byLoginAndAddress = waitFor(failures.stream()
                .filter(f -> login.equals(f.login()) && Objects.equals(address, f.address())).toList(),
                settings.failuresPerLoginAndAddress());
        long byAddress = waitFor(failures.stream().filter(f -> Objects.equals(address, f.address())).toList(),
                settings.failuresPerAddress());
        long byLogin = waitFor(failures.stream().filter(f -> login.equals(f.login())).toList(),
                settings.failuresPerLogin());
        return Math.max(byLoginAndAddress, Math.max(byAddress, byLogin));
    }

    private record Failure(String login, String address, OffsetDateTime failedAt) {
    }

    void recordFailure(String login, String clientAddress) {
        String address = counted(clientAddress);
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

    /** Deletes the failures older than the window and a day; answers how many. */
    int forgetOldFailures() {
        return jdbc.sql("""
                DELETE FROM login_failures WHERE failed_at < :before""")
                .param("before", OffsetDateTime.now(clock).minus(settings.failureWindow()).minusDays(1))
                .update();
    }

    /** The address as failures are counted by: an IPv6 address as its /64 network, any other as it is. */
    static String counted(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            // a literal (the container's remote address always is one): no name is looked up
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (java.net.UnknownHostException notAnAddress) {
            return address;
        }
    }

    /** Seconds until the failures, newest first, are fewer than {@code allowed} within the window. */
    private long waitFor(List<Failure> failures, int allowed) {
        if (failures.size() < allowed) {
            return 0;
        }
        OffsetDateTime freeAt = failures.get(allowed - 1).failedAt().plus(settings.failureWindow());
        return Math.max(1, java.time.Duration.between(OffsetDateTime.now(clock), freeAt).toSeconds());
    }
}

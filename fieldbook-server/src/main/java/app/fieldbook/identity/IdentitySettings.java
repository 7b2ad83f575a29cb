package app.fieldbook.identity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of sign-in, sessions and tokens, bound from {@code fieldbook.identity}.
 *
 * @param sessionIdleTimeout a web session ends after this long without a request
 * @param sessionLifetime a web session ends this long after sign-in, used or not
 * @param tokenLifetime default lifetime of a bearer token; a shorter one may be asked for
 * @param maxTokenLifetime longest lifetime a bearer token may be given
 * @param secureCookies mark the session cookie Secure even when the request did not arrive over TLS
 *     (set it behind a proxy that terminates TLS)
 * @param failuresPerLoginAndAddress failed sign-ins of one login from one client address within
 *     {@code failureWindow} before that login is throttled from that address
 * @param failuresPerLogin failed sign-ins of one login from all addresses together within {@code failureWindow}
 *     before it is throttled everywhere (a cap on guessing spread over many addresses)
 * @param failuresPerAddress failed sign-ins from one client address within {@code failureWindow} before it is throttled
 * @param failureWindow the window in which failed sign-ins are counted
 * @param firstAdministrator the account created on first start when no administrator exists
 * @param passwordCheckThreads the platform threads that check passwords ({@link PasswordChecks}); 0 for one
 *     per processor
 * @param passwordCheckWait how long a sign-in waits for a password check before it is answered 503
 * @param metricsToken the token a Prometheus server scrapes {@code /actuator/prometheus} with (at least 32
 *     characters; see {@link MetricsScrape}); none by default, and then only administrators read the metrics
 * @param secondFactor the second factor at sign-in (ADR 0015)
 */
@ConfigurationProperties("fieldbook.identity")
record IdentitySettings(
        @DefaultValue("2h") Duration sessionIdleTimeout,
        @DefaultValue("12h") Duration sessionLifetime,
        @DefaultValue("90d") Duration tokenLifetime,
        @DefaultValue("365d") Duration maxTokenLifetime,
        @DefaultValue("false") boolean secureCookies,
        @DefaultValue("5") int failuresPerLoginAndAddress,
        @DefaultValue("100") int failuresPerLogin,
        @DefaultValue("50") int failuresPerAddress,
        @DefaultValue("15m") Duration failureWindow,
        @DefaultValue FirstAdministrator firstAdministrator,
        @DefaultValue("0") int passwordCheckThreads,
        @DefaultValue("PT20S") Duration passwordCheckWait,
        String metricsToken,
        @DefaultValue SecondFactor secondFactor) {
    @Override
    public String toString() {
        return Redacted.of(this, "metricsToken");
    }


    /** Created on start when both are set and no administrator exists yet. */
    record FirstAdministrator(String login, String password, @DefaultValue("Administrator") String name, String email) {
        @Override
        public String toString() {
            return Redacted.of(this, "password");
        }


        boolean isGiven() {
            return login != null && !login.isBlank() && password != null && !password.isBlank();
        }
    }

    /**
     * The second factor ({@link SecondFactors}).
     *
     * @param requiredFor the roles that must have one: a person of these roles without one can only enrol one
     *     (their web session reaches nothing else, and no bearer token is issued to them). Empty for nobody
     * @param challengeLifetime how long the second step of a sign-in may follow its password
     * @param keyFile the file, outside the database, holding the key under which authenticator keys are stored
     *     encrypted; made on the first start when absent (readable by the server's user only). Every node must
     *     use the same key
     * @param issuer the name the authenticator app shows for the key
     */
    record SecondFactor(
            @DefaultValue({"MANAGER", "EXECUTIVE", "ADMINISTRATOR"}) Set<Role> requiredFor,
            @DefaultValue("5m") Duration challengeLifetime,
            @DefaultValue("./data/second-factor.key") Path keyFile,
            @DefaultValue("Fieldbook") String issuer) {
    }
}

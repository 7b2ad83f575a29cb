package app.fieldbook.identity;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of passkeys (WebAuthn), bound from {@code fieldbook.identity.passkeys}. A passkey is bound by the
 * browser to the relying party id, so production sets {@code rpId} and {@code origins} once and never
 * changes them (docs/operations.md); unset, both are taken from each request's host, which suits
 * {@code localhost} and a demo only.
 *
 * @param rpId the relying party id: the domain of the web app ({@code fieldbook.example.com}); blank for
 *     the host of each request
 * @param origins the origins the web app is served from ({@code https://fieldbook.example.com}); empty for
 *     the origin of each request
 * @param rpName the name an authenticator shows for the relying party
 * @param challengeLifetime how long a registration or sign-in challenge may be answered
 */
@ConfigurationProperties("fieldbook.identity.passkeys")
record PasskeySettings(
        String rpId,
        List<String> origins,
        @DefaultValue("Fieldbook") String rpName,
        @DefaultValue("5m") Duration challengeLifetime) {

    PasskeySettings {
        origins = origins == null ? List.of() : List.copyOf(origins);
    }
}

package app.fieldbook.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * What a new password must be, wherever one is set (an administrator creating an account or setting its password,
 * the first administrator from the configuration): at least {@value #MINIMUM_LENGTH} characters, not on the list
 * of {@link CommonPasswords}, and not containing, whatever the case, the account's login, its name or a word of
 * its name (each only when it has at least {@value #SHORTEST_WORD} characters: a password of 12 may well contain
 * "al"). The reason of a refusal names the rule, never the password.
 */
@Component
class PasswordPolicy {

    static final int MINIMUM_LENGTH = 12;
    static final int SHORTEST_WORD = 3;

    private final CommonPasswords commonPasswords;

    PasswordPolicy(CommonPasswords commonPasswords) {
        this.commonPasswords = commonPasswords;
    }

    /** Why {@code password} may not be the password of the account {@code login} named {@code name}, if it may not. */
    Optional<String> refusal(String password, String login, String name) {
        if (password == null || password.codePointCount(0, password.length()) < MINIMUM_LENGTH) {
            return Optional.of("must have at least " + MINIMUM_LENGTH + " characters");
        }
        if (commonPasswords.contains(password)) {
            return Optional.of("is on a list of common or breached passwords; choose one that is harder to guess");
        }
        String lowered = password.toLowerCase(Locale.ROOT);
        if (containsAny(lowered, Stream.ofNullable(login))) {
            return Optional.of("must not contain the login");
        }
        if (containsAny(lowered, Stream.ofNullable(name).flatMap(whole -> Stream.concat(Stream.of(whole),
                Arrays.stream(whole.split("[^\\p{L}\\p{N}]+")))))) {
            return Optional.of("must not contain the person's name");
        }
        return Optional.empty();
    }

    private static boolean containsAny(String password, Stream<String> parts) {
        return parts.map(part -> part.strip().toLowerCase(Locale.ROOT))
                .filter(part -> part.codePointCount(0, part.length()) >= SHORTEST_WORD)
                .anyMatch(password::contains);
    }
}

package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules of a new password, on the bundled list of common passwords, without Spring. */
class PasswordPolicyTest {

    private static final CommonPasswords COMMON_PASSWORDS = new CommonPasswords();

    private final PasswordPolicy policy = new PasswordPolicy(COMMON_PASSWORDS);

    @Test
    void theBundledListHasAtLeastAHundredThousandPasswords() {
        assertThat(COMMON_PASSWORDS.size()).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void theListIsSearchedWithoutRegardToCase() {
        assertThat(COMMON_PASSWORDS.contains("password1234")).isTrue();
        assertThat(COMMON_PASSWORDS.contains("PassWord1234")).isTrue();
        assertThat(COMMON_PASSWORDS.contains("123456")).isTrue();
        assertThat(COMMON_PASSWORDS.contains("granite-kettle-orbit")).isFalse();
        assertThat(COMMON_PASSWORDS.contains("")).isFalse();
        assertThat(COMMON_PASSWORDS.contains("zzzzzzzzzzzzzzzzzzzzzzzzz")).isFalse();
        assertThat(COMMON_PASSWORDS.contains("päßwörd1234")).isFalse();
    }

    @Test
    void aPasswordShorterThanTwelveCharactersIsRefused() {
        assertThat(policy.refusal("eleven chrs", "walter", "Walter Worker"))
                .contains("must have at least 12 characters");
        assertThat(policy.refusal("😀😀😀😀😀😀", "walter", "Walter Worker"))
                .as("six emoji are twelve UTF-16 units but six characters")
                .contains("must have at least 12 characters");
    }

    @Test
    void aCommonOrBreachedPasswordIsRefusedWhateverItsCase() {
        assertThat(policy.refusal("password1234", "walter", "Walter Worker"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("list of common or breached passwords"));
        assertThat(policy.refusal("QwertyUiop123", "walter", "Walter Worker"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("list of common or breached passwords"));
    }

    @Test
    void aPasswordEqualToOrContainingTheLoginIsRefused() {
        assertThat(policy.refusal("walter.worker", "walter.worker", "Walt W")).contains("must not contain the login");
        assertThat(policy.refusal("my-WALTER.WORKER-2026", "walter.worker", "Walt W"))
                .contains("must not contain the login");
    }

    @Test
    void aPasswordEqualToOrContainingThePersonsNameOrAWordOfItIsRefused() {
        assertThat(policy.refusal("Maria Santos", "m.santos", "Maria Santos"))
                .contains("must not contain the person's name");
        assertThat(policy.refusal("ilovemariasantos", "ms", "Maria Santos"))
                .contains("must not contain the person's name");
        assertThat(policy.refusal("blue-santos-lantern", "ms", "Maria Santos"))
                .contains("must not contain the person's name");
    }

    @Test
    void aLongUncommonPasswordUnrelatedToTheAccountIsAccepted() {
        assertThat(policy.refusal("granite-kettle-orbit", "walter", "Walter Worker")).isEmpty();
        assertThat(policy.refusal("correct horse battery", "al", "Al Bo"))
                .as("a login or word of a name shorter than three characters is not searched for").isEmpty();
    }

    @Test
    void theReasonNeverRepeatsThePassword() {
        for (String password : new String[] {"short", "password1234", "walter-walter-walter", "maria-santos-2026"}) {
            assertThat(policy.refusal(password, "walter", "Maria Santos"))
                    .hasValueSatisfying(reason -> assertThat(reason).doesNotContain(password));
        }
    }
}

package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Production has no default accounts. On start, when no active administrator exists and
 * {@code fieldbook.identity.first-administrator.login} and {@code .password} are given (for example as
 * environment variables {@code FIELDBOOK_IDENTITY_FIRSTADMINISTRATOR_LOGIN} and {@code _PASSWORD}),
 * that administrator is created. Once one exists, the settings are ignored. A password that the
 * {@link PasswordPolicy} refuses stops the start with the rule it breaks. Unlike a password an administrator
 * chooses for someone, this one need not be changed at the first sign-in: the operator chose it for themself.
 * Several nodes started at once on an empty database each try; one creates the account and the others start
 * without it.
 */
@Component
class FirstAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

    private final Users users;
    private final UserAdministration administration;
    private final PasswordPolicy policy;
    private final IdentitySettings settings;

    FirstAdministrator(Users users, UserAdministration administration, PasswordPolicy policy,
            IdentitySettings settings) {
        this.users = users;
        this.administration = administration;
        this.policy = policy;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyActiveAdministrator()) {
            return;
        }
        IdentitySettings.FirstAdministrator first = settings.firstAdministrator();
        if (!first.isGiven()) {
            log.warn("No administrator exists. Set fieldbook.identity.first-administrator.login and .password "
                    + "(environment FIELDBOOK_IDENTITY_FIRSTADMINISTRATOR_LOGIN and _PASSWORD) and restart to create one.");
            return;
        }
        policy.refusal(first.password(), first.login(), first.name()).ifPresent(reason -> {
            throw new IllegalStateException("The first administrator's password (fieldbook.identity.first-administrator"
                    + ".password) is not accepted: it " + reason + ".");
        });
        String email = first.email() == null || first.email().isBlank() ? first.login() + "@localhost" : first.email();
        try {
            administration.create(new UserAdministration.NewAccount(null, first.login(), first.name(), email,
                    Role.ADMINISTRATOR, first.password()), null);
        } catch (RejectedRequest | DataIntegrityViolationException raced) {
            // nodes started together on an empty database (a Deployment's replicas) all find no administrator;
            // one creates it, and the others find its login taken
            if (users.anyActiveAdministrator()) {
                log.info("The first administrator {} was created by another node meanwhile", first.login());
                return;
            }
            throw raced;
        }
        log.info("Created the first administrator {}", first.login());
    }
}

package app.fieldbook.identity;

import static org.assertj.core.api.Assertions.assertThat;

import app.fieldbook.ModuleTest;
import app.fieldbook.Rows;
import app.fieldbook.identity.UserEvent.PasswordChanged;
import app.fieldbook.identity.UserEvent.UserCreated;
import app.fieldbook.identity.UserEvent.UserDisabled;
import app.fieldbook.identity.UserEvent.UserEdited;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.PublishedEvents;

/** The identity module on its own: each change of an account publishes the event that says what happened. */
@ModuleTest
class IdentityModuleTest {

    @Autowired
    UserAdministration administration;

    @Autowired
    JdbcClient jdbc;

    @Test
    void creatingChangingDisablingAndSettingAPasswordEachPublishTheirOwnEvent(PublishedEvents events) {
        Actor admin = new Rows(jdbc).person(Role.ADMINISTRATOR);
        String login = "person-" + UUID.randomUUID();
        User user = administration.create(new UserAdministration.NewAccount(null, login, "Pat", login + "@example.org",
                Role.WORKER, "correct horse battery"), admin);
        administration.change(user.id(), new UserAdministration.AccountChange(1, "Pat Smith", login + "@example.org",
                Role.WORKER, true), admin);
        administration.change(user.id(), new UserAdministration.AccountChange(2, "Pat Smith", login + "@example.org",
                Role.WORKER, false), admin);
        administration.setPassword(user.id(), "another horse battery", admin);

        assertThat(events.ofType(UserCreated.class).matchingValue(UserCreated::userId, user.id())).singleElement()
                .satisfies(created -> {
                    assertThat(created.actor()).isEqualTo(admin);
                    assertThat(created.after()).containsEntry("login", login).doesNotContainKey("password");
                });
        assertThat(events.ofType(UserEdited.class).matchingValue(UserEdited::userId, user.id())).singleElement()
                .satisfies(edited -> assertThat(edited.after()).containsEntry("name", "Pat Smith"));
        assertThat(events.ofType(UserDisabled.class).matchingValue(UserDisabled::userId, user.id())).singleElement()
                .satisfies(disabled -> assertThat(disabled.after()).containsEntry("active", false));
        assertThat(events.ofType(PasswordChanged.class).matchingValue(PasswordChanged::userId, user.id()))
                .singleElement().satisfies(changed -> assertThat(changed.actor()).isEqualTo(admin));
    }
}

package app.fieldbook.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataScopeTest {

    @Test
    void workersAndManagersAreLimitedByTheSiteAccessView() {
        for (Role role : new Role[] {Role.WORKER, Role.MANAGER}) {
            Actor actor = new Actor(UUID.randomUUID(), "a", "A", role);
            DataScope scope = DataScope.of(actor);
            assertThat(scope.seesEverySite()).isFalse();
            assertThat(scope.sitePredicate("r.site_id")).contains("site_access").contains("r.site_id");
            assertThat(scope.parameters()).containsValue(actor.id());
        }
    }

    @Test
    void executivesAndAdministratorsSeeEverySite() {
        for (Role role : new Role[] {Role.EXECUTIVE, Role.ADMINISTRATOR}) {
            DataScope scope = DataScope.of(new Actor(UUID.randomUUID(), "a", "A", role));
            assertThat(scope.seesEverySite()).isTrue();
            assertThat(scope.sitePredicate("site_id")).isEqualTo("1 = 1");
            assertThat(scope.parameters()).isEmpty();
        }
    }

    @Test
    void onlyAPlainColumnReferenceIsAccepted() {
        DataScope scope = DataScope.of(new Actor(UUID.randomUUID(), "a", "A", Role.WORKER));
        assertThatThrownBy(() -> scope.sitePredicate("site_id) OR (1=1")).isInstanceOf(IllegalArgumentException.class);
    }
}

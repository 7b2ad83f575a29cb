package app.fieldbook.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import app.fieldbook.protocol.ReportStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScopedQueryTest {

    private static Actor person(Role role) {
        return new Actor(UUID.randomUUID(), "someone", "Someone", role);
    }

    @Test
    void workersAndManagersSeeOnlyTheSitesOfTheSiteAccessView() {
        for (Role role : new Role[] {Role.WORKER, Role.MANAGER}) {
            Actor actor = person(role);
            ScopedQuery query = ScopedQuery.of(actor, "r.site_id");
            assertThat(query.where()).isEqualTo(DataScope.of(actor).sitePredicate("r.site_id"))
                    .contains("site_access").contains(":scopeUserId");
            assertThat(query.parameters()).isEqualTo(Map.of("scopeUserId", actor.id()));
        }
    }

    @Test
    void executivesAndAdministratorsSeeEverySite() {
        for (Role role : new Role[] {Role.EXECUTIVE, Role.ADMINISTRATOR}) {
            ScopedQuery query = ScopedQuery.of(person(role), "r.site_id");
            assertThat(query.where()).isEqualTo("1 = 1");
            assertThat(query.parameters()).isEmpty();
        }
    }

    @Test
    void filtersAreAddedAfterTheScopeWithAndEachBindingItsNamedParameter() {
        Actor worker = person(Role.WORKER);
        UUID site = UUID.randomUUID();
        LocalDate from = LocalDate.of(2026, 3, 1);
        ScopedQuery query = ScopedQuery.of(worker, "r.site_id")
                .filter("r.site_id = :siteId", site)
                .filter("r.report_date >= :from", from)
                .filter("r.status = :status", ReportStatus.SUBMITTED);
        assertThat(query.where()).startsWith(DataScope.of(worker).sitePredicate("r.site_id"))
                .endsWith("""
                        AND r.site_id = :siteId
                           AND r.report_date >= :from
                           AND r.status = :status""");
        assertThat(query.parameters()).isEqualTo(Map.of("scopeUserId", worker.id(), "siteId", site, "from", from,
                "status", "SUBMITTED"));
    }

    @Test
    void oneSiteIsCheckedOnceAgainstTheScopeAndThenFiltered() {
        Actor manager = person(Role.MANAGER);
        UUID site = UUID.randomUUID();
        ScopedQuery query = ScopedQuery.ofSite(manager, "r.site_id", site).filter("r.status = :status",
                ReportStatus.SUBMITTED);
        assertThat(query.where()).isEqualTo("""
                EXISTS (SELECT 1 FROM site_access sa WHERE sa.user_id = :scopeUserId AND sa.site_id = :siteId) \
                AND r.site_id = :siteId
                   AND r.status = :status""");
        assertThat(query.parameters()).isEqualTo(Map.of("scopeUserId", manager.id(), "siteId", site,
                "status", "SUBMITTED"));
        assertThat(ScopedQuery.ofSite(person(Role.EXECUTIVE), "r.site_id", site).where())
                .isEqualTo("r.site_id = :siteId");
        assertThat(ScopedQuery.ofSite(manager, "r.site_id", null).where())
                .isEqualTo(ScopedQuery.of(manager, "r.site_id").where());
        assertThatThrownBy(() -> ScopedQuery.ofSite(manager, "r.site_id; DROP TABLE sites", site))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneSiteAsARangeIsCheckedOnceAgainstTheScopeAndNamedAsTheRangeOfItself() {
        Actor manager = person(Role.MANAGER);
        UUID site = UUID.randomUUID();

        ScopedQuery query = ScopedQuery.ofSiteAsRange(manager, "r.site_id", site);
        assertThat(query.where()).isEqualTo("""
                EXISTS (SELECT 1 FROM site_access sa WHERE sa.user_id = :scopeUserId AND sa.site_id = :siteId) \
                AND r.site_id >= :siteId AND r.site_id <= :siteId""");
        assertThat(query.parameters()).isEqualTo(Map.of("scopeUserId", manager.id(), "siteId", site));
        assertThat(ScopedQuery.ofSiteAsRange(person(Role.EXECUTIVE), "r.site_id", site).where())
                .isEqualTo("r.site_id >= :siteId AND r.site_id <= :siteId");
        assertThatThrownBy(() -> ScopedQuery.ofSiteAsRange(manager, "r.site_id", null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ScopedQuery.ofSiteAsRange(manager, "r.site_id; DROP TABLE sites", site))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFilterWithoutAValueIsLeftOut() {
        ScopedQuery query = ScopedQuery.of(person(Role.EXECUTIVE), "e.site_id")
                .filter("e.entity_type = :entityType", null)
                .filter("e.actor_id = :actorId", null);
        assertThat(query.where()).isEqualTo("1 = 1");
        assertThat(query.parameters()).isEmpty();
    }

    @Test
    void aQueryIsNotChangedByWhatIsBuiltOnIt() {
        ScopedQuery common = ScopedQuery.of(person(Role.EXECUTIVE), "c.site_id");
        ScopedQuery open = common.where("c.state = 'OPEN'");
        ScopedQuery one = common.where("c.id = :id", UUID.randomUUID());
        assertThat(common.where()).isEqualTo("1 = 1");
        assertThat(open.where()).isEqualTo("1 = 1\n   AND c.state = 'OPEN'");
        assertThat(open.parameters()).isEmpty();
        assertThat(one.parameters()).containsOnlyKeys("id");
    }

    @Test
    void theStatementPutsTheConditionsBetweenTheSelectAndTheRest() {
        ScopedQuery query = ScopedQuery.of(person(Role.ADMINISTRATOR), "s.id").where("s.id IN (:ids)", List.of());
        assertThat(query.sql("""
                SELECT * FROM sites s""", """
                 ORDER BY s.code
                 LIMIT :limit""")).isEqualTo("""
                SELECT * FROM sites s
                 WHERE 1 = 1
                   AND s.id IN (:ids)
                ORDER BY s.code
                LIMIT :limit""");
        assertThat(query.sql("SELECT COUNT(*) FROM sites s", "")).isEqualTo("""
                SELECT COUNT(*) FROM sites s
                 WHERE 1 = 1
                   AND s.id IN (:ids)""");
    }

    @Test
    void aValueNeverBecomesSqlText() {
        String hostile = "x' OR '1' = '1'; DROP TABLE sites; --";
        ScopedQuery query = ScopedQuery.of(person(Role.MANAGER), "e.site_id")
                .filter("e.entity_type = :entityType", hostile)
                .filter("e.entity_id = :entityId", ":scopeUserId");
        assertThat(query.where()).doesNotContain(hostile).doesNotContain("DROP")
                .endsWith("AND e.entity_type = :entityType\n   AND e.entity_id = :entityId");
        assertThat(query.parameters()).containsEntry("entityType", hostile).containsEntry("entityId", ":scopeUserId");
    }

    @Test
    void theSiteColumnMustBeAPlainColumnReference() {
        assertThatThrownBy(() -> ScopedQuery.of(person(Role.WORKER), "r.site_id) OR (1 = 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScopedQuery.of(person(Role.EXECUTIVE), "1 = 1 OR r.site_id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConditionWithAValueHoldsExactlyOneParameterNotBoundYet() {
        ScopedQuery query = ScopedQuery.of(person(Role.WORKER), "r.site_id");
        assertThatThrownBy(() -> query.where("r.status = 'DRAFT'", "DRAFT"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query.where("r.report_date BETWEEN :from AND :to", LocalDate.of(2026, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query.where("r.author_id = :scopeUserId", UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query.where("r.id = :id", UUID.randomUUID()).where("r.id <> :id", UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query.where("r.id = :id", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConditionWithoutAValueHoldsNoParameter() {
        ScopedQuery query = ScopedQuery.of(person(Role.WORKER), "r.site_id");
        assertThatThrownBy(() -> query.where("r.author_id = :authorId")).isInstanceOf(IllegalArgumentException.class);
        assertThat(query.where("r.created_at < TIMESTAMP '2026-03-01 10:30:00'").parameters())
                .containsOnlyKeys("scopeUserId");
    }
}

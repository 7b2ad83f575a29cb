package app.fieldbook.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import app.fieldbook.Fixtures;
import app.fieldbook.Fixtures.Person;
import app.fieldbook.FullStackTest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.Role;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The builder's statements run on the database (H2, and PostgreSQL in the {@code postgres} run). */
@FullStackTest
class ScopedQueryDatabaseTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    UUID north;
    UUID south;
    Fixtures world;

    @BeforeEach
    void world() {
        world = new Fixtures(port);
        north = UUID.fromString(world.site());
        south = UUID.fromString(world.site());
    }

    private static Actor actor(Person person, Role role) {
        return new Actor(UUID.fromString(person.id()), person.login(), person.login(), role);
    }

    /** The ids among this test's two sites that the query answers. */
    private List<UUID> sitesOf(ScopedQuery query) {
        return query.where("s.id IN (:ids)", List.of(north, south))
                .statement(jdbc, """
                        SELECT s.id FROM sites s""", """
                         ORDER BY s.code""")
                .query(UUID.class).list();
    }

    @Test
    void eachRoleSeesTheSitesOfItsScope() {
        Actor worker = actor(world.worker(north.toString()), Role.WORKER);
        Actor manager = actor(world.manager(world.portfolio(south.toString())), Role.MANAGER);
        Actor executive = actor(world.executive(), Role.EXECUTIVE);
        Actor administrator = actor(world.administrator(), Role.ADMINISTRATOR);
        Actor unassigned = actor(world.worker(), Role.WORKER);

        assertThat(sitesOf(ScopedQuery.of(worker, "s.id"))).containsExactly(north);
        assertThat(sitesOf(ScopedQuery.of(manager, "s.id"))).containsExactly(south);
        assertThat(sitesOf(ScopedQuery.of(executive, "s.id"))).containsExactly(north, south);
        assertThat(sitesOf(ScopedQuery.of(administrator, "s.id"))).containsExactly(north, south);
        assertThat(sitesOf(ScopedQuery.of(unassigned, "s.id"))).isEmpty();
    }

    @Test
    void filtersNarrowTheScopeAndAMissingOneIsLeftOut() {
        Actor worker = actor(world.worker(north.toString(), south.toString()), Role.WORKER);
        String southCode = jdbc.sql("""
                SELECT code FROM sites WHERE id = :id""").param("id", south).query(String.class).single();

        assertThat(sitesOf(ScopedQuery.of(worker, "s.id").filter("s.code = :code", southCode)))
                .containsExactly(south);
        assertThat(sitesOf(ScopedQuery.of(worker, "s.id").filter("s.code = :code", southCode)
                .filter("s.id = :site", north))).isEmpty();
        assertThat(sitesOf(ScopedQuery.of(worker, "s.id").filter("s.code = :code", null)))
                .containsExactly(north, south);
    }

    @Test
    void oneSiteIsAnsweredOnlyToThoseWhoMaySeeIt() {
        Actor worker = actor(world.worker(north.toString()), Role.WORKER);
        Actor manager = actor(world.manager(world.portfolio(south.toString())), Role.MANAGER);
        Actor executive = actor(world.executive(), Role.EXECUTIVE);

        assertThat(sitesOf(ScopedQuery.ofSite(worker, "s.id", north))).containsExactly(north);
        assertThat(sitesOf(ScopedQuery.ofSite(worker, "s.id", south))).as("a site outside the scope").isEmpty();
        assertThat(sitesOf(ScopedQuery.ofSite(manager, "s.id", south))).containsExactly(south);
        assertThat(sitesOf(ScopedQuery.ofSite(manager, "s.id", north))).as("a site outside the portfolio").isEmpty();
        assertThat(sitesOf(ScopedQuery.ofSite(executive, "s.id", north))).containsExactly(north);
        assertThat(sitesOf(ScopedQuery.ofSite(worker, "s.id", null))).as("no site given: the scope")
                .containsExactly(north);
    }

    @Test
    void oneSiteAsARangeIsTheSameSiteToTheSamePeople() {
        Actor worker = actor(world.worker(north.toString()), Role.WORKER);
        Actor manager = actor(world.manager(world.portfolio(south.toString())), Role.MANAGER);
        Actor executive = actor(world.executive(), Role.EXECUTIVE);

        for (Actor person : List.of(worker, manager, executive)) {
            for (UUID site : List.of(north, south)) {
                assertThat(sitesOf(ScopedQuery.ofSiteAsRange(person, "s.id", site)))
                        .as("%s asking for %s", person.role(), site)
                        .isEqualTo(sitesOf(ScopedQuery.ofSite(person, "s.id", site)));
            }
        }
        assertThat(sitesOf(ScopedQuery.ofSiteAsRange(executive, "s.id", south))).containsExactly(south);
    }

    @Test
    void aHostileFilterValueIsOnlyComparedNeverRun() {
        Actor executive = actor(world.executive(), Role.EXECUTIVE);
        for (String hostile : List.of("x' OR '1' = '1", "x'); DELETE FROM sites; --", ":scopeUserId")) {
            assertThat(sitesOf(ScopedQuery.of(executive, "s.id").filter("s.code = :code", hostile))).isEmpty();
        }
        assertThat(sitesOf(ScopedQuery.of(executive, "s.id"))).containsExactly(north, south);
    }

    @Test
    void sitesSeenScopeLaterReadsToTheSitesTheirReadLetThrough() {
        Actor worker = actor(world.worker(north.toString()), Role.WORKER);
        Actor manager = actor(world.manager(world.portfolio(south.toString())), Role.MANAGER);
        Actor executive = actor(world.executive(), Role.EXECUTIVE);
        Actor unassigned = actor(world.worker(), Role.WORKER);
        String southCode = jdbc.sql("""
                SELECT code FROM sites WHERE id = :id""").param("id", south).query(String.class).single();

        for (ScopedQuery read : List.of(ScopedQuery.of(worker, "s.id"), ScopedQuery.of(manager, "s.id"),
                ScopedQuery.of(executive, "s.id"), ScopedQuery.of(unassigned, "s.id"),
                ScopedQuery.ofSite(manager, "s.id", north), ScopedQuery.ofSite(executive, "s.id", south),
                ScopedQuery.of(executive, "s.id").filter("s.code = :code", southCode))) {
            SitesSeen<UUID> seen = sitesSeen(read);
            assertThat(seen.rows().stream().filter(List.of(north, south)::contains)).as(read.where())
                    .containsExactlyInAnyOrderElementsOf(sitesOf(read));
            assertThat(sitesOf(seen.scope("s.id"))).as(read.where()).isEqualTo(sitesOf(read));
        }
    }

    @Test
    void sitesSeenAreBoundAsOneArrayWhereTheScopeIsAView() {
        Actor manager = actor(world.manager(world.portfolio(south.toString())), Role.MANAGER);
        Actor executive = actor(world.executive(), Role.EXECUTIVE);
        Actor unassigned = actor(world.worker(), Role.WORKER);
        ScopedQuery managers = sitesSeen(ScopedQuery.of(manager, "s.id")).scope("r.site_id");

        assertThat(managers.where()).isEqualTo("r.site_id = ANY (:sitesSeen)");
        assertThat(managers.parameters().get("sitesSeen")).isEqualTo(new UUID[] {south});
        assertThat(sitesSeen(ScopedQuery.of(executive, "s.id")).scope("r.site_id").where()).isEqualTo("1 = 1");
        assertThat(sitesSeen(ScopedQuery.of(executive, "s.id").filter("s.id = :one", north)).scope("r.site_id")
                .parameters().get("sitesSeen")).as("narrowed, every site no more").isEqualTo(new UUID[] {north});
        assertThat(sitesSeen(ScopedQuery.of(unassigned, "s.id")).scope("r.site_id").where()).isEqualTo("1 = 0");
        assertThatIllegalArgumentException().isThrownBy(() -> sitesSeen(ScopedQuery.of(manager, "s.id"))
                .scope("r.site_id) OR (1 = 1"));
    }

    @Test
    void sitesAreReadFromTheSitesTableAloneByTheirId() {
        Actor executive = actor(world.executive(), Role.EXECUTIVE);
        RowMapper<UUID> id = (rs, n) -> rs.getObject("id", UUID.class);

        assertThatIllegalStateException().isThrownBy(() -> ScopedQuery.of(executive, "r.site_id").readSites(jdbc, """
                SELECT s.id FROM sites s""", "", id));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopedQuery.of(executive, "s.id").readSites(jdbc, """
                SELECT r.site_id AS id FROM sites s JOIN daily_reports r ON r.site_id <> s.id""", "", id));
        assertThatIllegalArgumentException().isThrownBy(() -> ScopedQuery.of(executive, "s.id").readSites(jdbc, """
                SELECT s.id FROM sites s""", "ORDER BY s.code LIMIT 1", id));
        assertThat(ScopedQuery.of(executive, "s.id").readSites(jdbc, """
                SELECT s.id FROM sites s""", " ORDER BY s.code DESC, s.id", id).rows()).contains(north, south);
    }

    private SitesSeen<UUID> sitesSeen(ScopedQuery read) {
        return read.readSites(jdbc, """
                SELECT s.id FROM sites s""", "", (rs, n) -> rs.getObject("id", UUID.class));
    }
}

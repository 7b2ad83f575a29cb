package app.fieldbook.sites;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Field workers' sites and managers' portfolios, in {@code site_assignments} and {@code portfolio_assignments}. */
@Repository
class Assignments {

    private final JdbcClient jdbc;

    Assignments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<UUID> sitesOf(UUID userId) {
        return jdbc.sql("""
                SELECT site_id FROM site_assignments WHERE user_id = :userId ORDER BY site_id""")
                .param("userId", userId).query(UUID.class).list();
    }

    List<UUID> portfoliosOf(UUID userId) {
        return jdbc.sql("""
                SELECT portfolio_id FROM portfolio_assignments WHERE user_id = :userId ORDER BY portfolio_id""")
                .param("userId", userId).query(UUID.class).list();
    }

    void replaceSites(UUID userId, List<UUID> siteIds) {
        jdbc.sql("""
                DELETE FROM site_assignments WHERE user_id = :userId""")
                .param("userId", userId).update();
        for (UUID siteId : siteIds) {
            jdbc.sql("""
                    INSERT INTO site_assignments (user_id, site_id) VALUES (:userId, :siteId)""")
                    .param("userId", userId).param("siteId", siteId).update();
        }
    }

    void replacePortfolios(UUID userId, List<UUID> portfolioIds) {
        jdbc.sql("""
                DELETE FROM portfolio_assignments WHERE user_id = :userId""")
                .param("userId", userId).update();
        for (UUID portfolioId : portfolioIds) {
            jdbc.sql("""
                    INSERT INTO portfolio_assignments (user_id, portfolio_id) VALUES (:userId, :portfolioId)""")
                    .param("userId", userId).param("portfolioId", portfolioId).update();
        }
    }
}

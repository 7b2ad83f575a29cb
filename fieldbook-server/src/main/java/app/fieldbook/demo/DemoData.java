package app.fieldbook.demo;

import app.fieldbook.identity.UserDirectory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the demo data once (when the demo worker does not exist yet), through the same HTTP API a
 * person would use, signed in as the demo administrator (created as the first administrator by the demo
 * profile) and then as the demo workers and the manager: reports in every status (draft, submitted, returned with a
 * comment, approved), photos and an open conflict. Each demo person, made by the administrator with a first
 * password, changes it at once to the demo password, as a person must before anything else; so the demo logins
 * sign in with the printed password and are not asked to change it. Then prints where to open Fieldbook and how to
 * sign in.
 */
@Component
@Profile("demo")
class DemoData {

    static final String PASSWORD = "fieldbook-demo";
    /** The password the administrator gives each demo person, which they change to {@link #PASSWORD}. */
    private static final String FIRST_PASSWORD = "fieldbook-demo-first";
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final JsonMapper json;
    private final UserDirectory users;
    private final String secondFactorRequiredFor;

    DemoData(JsonMapper json, UserDirectory users,
            @Value("${fieldbook.identity.second-factor.required-for:MANAGER,EXECUTIVE,ADMINISTRATOR}")
            String secondFactorRequiredFor) {
        this.json = json;
        this.users = users;
        this.secondFactorRequiredFor = secondFactorRequiredFor;
    }

    @EventListener
    void load(ApplicationReadyEvent ready) throws Exception {
        int port = ((WebServerApplicationContext) ready.getApplicationContext()).getWebServer().getPort();
        if (users.findByLogin("walter").isEmpty()) {
            try {
                create(DemoApi.signIn(json, port, "admin", PASSWORD), port);
                log.info("Demo data created");
            } catch (IllegalStateException e) {
                log.warn("No demo data: this database has no demo administrator 'admin' ({})", e.getMessage());
                return;
            }
        }
        log.info("""

                ================================================================
                 Fieldbook is running with demo data.
                 The app, on a phone or a desktop: http://localhost:{}/
                 API documentation:                http://localhost:{}/swagger-ui.html
                 Demo logins, all with the password '{}':
                   admin   administrator          exec    executive
                   maria   manager, North         walter  field worker, N-01 and N-02
                   wendy   field worker, S-01
                 {}
                ================================================================
                """, port, port, PASSWORD, secondFactorRequiredFor.isBlank()
                ? "Second factor: NOT required in the demo (application-demo.yml); by default managers,\n"
                        + " executives and administrators must enrol one (Security) before anything else."
                : "Second factor: required for " + secondFactorRequiredFor + "; they enrol one (Security)\n"
                        + " at their first sign-in.");
    }

    private void create(DemoApi admin, int port) throws Exception {
        String north1 = admin.create("/api/v1/sites", site("N-01", "Harbour Bridge Retrofit", "Europe/Berlin",
                "Hafenstrasse 1, Hamburg", 53.54, 9.98));
        String north2 = admin.create("/api/v1/sites", site("N-02", "North Warehouse", "Europe/Berlin",
                "Lagerweg 7, Bremen", 53.08, 8.80));
        String south1 = admin.create("/api/v1/sites", site("S-01", "Valley Clinic Extension", "Europe/Vienna",
                "Talstrasse 12, Graz", null, null));
        String north = admin.create("/api/v1/portfolios", Map.of("name", "North", "siteIds", List.of(north1, north2)));
        admin.create("/api/v1/portfolios", Map.of("name", "South", "siteIds", List.of(south1)));
        person(admin, port, "exec", "Erin Executive", "EXECUTIVE");
        String maria = person(admin, port, "maria", "Maria Manager", "MANAGER");
        String walter = person(admin, port, "walter", "Walter Worker", "WORKER");
        String wendy = person(admin, port, "wendy", "Wendy Worker", "WORKER");
        admin.put("/api/v1/users/" + maria + "/portfolios", Map.of("portfolioIds", List.of(north)));
        admin.put("/api/v1/users/" + walter + "/sites", Map.of("siteIds", List.of(north1, north2)));
        admin.put("/api/v1/users/" + wendy + "/sites", Map.of("siteIds", List.of(south1)));

        DemoApi walterApi = DemoApi.signIn(json, port, "walter", PASSWORD);
        LocalDate today = LocalDate.now();
        Map<Integer, String> walters = new LinkedHashMap<>();
        for (int daysAgo = 5; daysAgo >= 1; daysAgo--) {
            String report = walterApi.create("/api/v1/reports", report(north1, today.minusDays(daysAgo), daysAgo));
            walters.put(daysAgo, report);
            if (daysAgo == 3) {
                walterApi.attachPhoto(report, picture(new Color(0x8a9aa8), new Color(0x5b6770)), "Deck section 3 after pouring");
                walterApi.attachPhoto(report, picture(new Color(0xd9a441), new Color(0x6b4f1d)), "Formwork for section 4");
            }
            if (daysAgo == 4) {
                walterApi.attachPhoto(report, picture(new Color(0x7fa37a), new Color(0x3d5a3a)), "Electrical conduits, east side");
            }
            if (daysAgo > 1) {
                walterApi.post("/api/v1/reports/" + report + "/submit");
            }
        }
        DemoApi mariaApi = DemoApi.signIn(json, port, "maria", PASSWORD);
        mariaApi.post("/api/v1/reports/" + walters.get(5) + "/approve");
        mariaApi.post("/api/v1/reports/" + walters.get(4) + "/return", Map.of("comment",
                "Hours of the electricians are missing for the afternoon shift. Please add them and submit again."));
        walterApi.create("/api/v1/reports", report(north2, today.minusDays(2), 2));
        openConflict(walterApi, walters.get(1), north1, today.minusDays(1));
        DemoApi wendyApi = DemoApi.signIn(json, port, "wendy", PASSWORD);
        String report = wendyApi.create("/api/v1/reports", report(south1, today.minusDays(1), 1));
        wendyApi.post("/api/v1/reports/" + report + "/submit");
    }

    /**
     * An open conflict for the conflicts inbox: walter's laptop changed the notes of yesterday's draft
     * while his phone, offline, wrote other notes; the phone's change then arrives through sync.
     */
    private static void openConflict(DemoApi walter, String reportId, String siteId, LocalDate date)
            throws Exception {
        long version = walter.get("/api/v1/reports/" + reportId).path("version").asLong();
        @SuppressWarnings("unchecked")
        Map<String, Object> content = new LinkedHashMap<>((Map<String, Object>) report(siteId, date, 1).get("content"));
        content.put("notes", "Crane inspection postponed to Friday.");
        walter.put("/api/v1/reports/" + reportId, Map.of("version", version, "content", content));
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("base", null);
        notes.put("value", "Crane inspection passed; certificate in the site office.");
        walter.post("/api/v1/sync/push", Map.of(
                "protocolVersion", 1, "clientVersion", "0.1.0", "deviceId", UUID.randomUUID().toString(),
                "device", Map.of("outboxDepth", 1, "pendingPhotos", 0, "appVersion", "0.1.0"),
                "operations", List.of(Map.of("operationId", UUID.randomUUID().toString(), "entity", "DailyReport",
                        "entityId", reportId, "kind", "UPDATE", "baseVersion", version,
                        "changes", Map.of("notes", notes), "madeAt", OffsetDateTime.now().minusHours(2).toString()))));
    }

    /** A simple made-up site photo: a sky, the ground and a concrete block, as JPEG. */
    private static byte[] picture(Color ground, Color block) throws IOException {
        BufferedImage image = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color(0xbcd4e6));
        graphics.fillRect(0, 0, 1600, 700);
        graphics.setColor(ground);
        graphics.fillRect(0, 700, 1600, 500);
        graphics.setColor(block);
        graphics.fillRect(350, 420, 900, 420);
        graphics.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", jpeg);
        return jpeg.toByteArray();
    }

    private static Map<String, Object> site(String code, String name, String timezone, String address, Double latitude,
            Double longitude) {
        Map<String, Object> site = new LinkedHashMap<>();
        site.put("code", code);
        site.put("name", name);
        site.put("timezone", timezone);
        site.put("address", address);
        site.put("latitude", latitude);
        site.put("longitude", longitude);
        return site;
    }

    /** A demo person made by the administrator, who then changes the first password to the demo password. */
    private String person(DemoApi admin, int port, String login, String name, String role) throws Exception {
        String id = admin.create("/api/v1/users", Map.of("login", login, "name", name,
                "email", login + "@demo.fieldbook.app", "role", role, "password", FIRST_PASSWORD));
        DemoApi first = DemoApi.signIn(json, port, login, FIRST_PASSWORD);
        first.put("/api/v1/auth/password", Map.of("currentPassword", FIRST_PASSWORD, "newPassword", PASSWORD));
        first.signOut();
        return id;
    }

    private static Map<String, Object> report(String siteId, LocalDate date, int day) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("weather", Map.of("conditions", day % 2 == 0 ? "Overcast, light rain" : "Sunny",
                "temperatureCelsius", BigDecimal.valueOf(8 + day)));
        content.put("crew", List.of(
                Map.of("trade", "Concrete", "company", "Beton Nord GmbH", "headcount", 6, "hours", 48),
                Map.of("trade", "Electrical", "company", "Volt & Co", "headcount", 2, "hours", 15.5)));
        content.put("workPerformed", "Poured deck section " + day + "; formwork for the next section.");
        content.put("delays", day == 2 ? "Pump truck arrived 90 minutes late." : null);
        content.put("materials", "32 m3 C30/37 concrete; 1 mobile crane");
        return Map.of("siteId", siteId, "date", date.toString(), "content", content);
    }
}

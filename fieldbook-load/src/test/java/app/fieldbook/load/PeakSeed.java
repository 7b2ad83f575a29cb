package app.fieldbook.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes years of daily reports of the {@link PeakWorld} straight into PostgreSQL with COPY, as the server stores
 * them: {@code daily_reports} (every column the server writes, with the version, times and deciders its
 * transitions would have left), {@code report_crew} (with the report's date, as the write path writes it) and the
 * positioned change feed ({@code sync_feed}, one row per report, positions taken from {@code sync_sequencer} under
 * its row lock as the server's sequencer takes them), so that a pull finds them. The insights module keeps no
 * summary table (it reads reports, crews and photos), so there is nothing else to keep up to date. The history
 * has no audit events: the audit trail records what people did through the server, and nobody did this; no read
 * needs them.
 *
 * <p>Reports fill working days (Monday to Friday) going back from yesterday, {@code authorsPerSite} a site a
 * day. The last day's reports are drafts (photos are attached to those through the API: real JPEGs, each
 * distinct, whose thumbnails the server makes), the four days before are submitted (one in twenty returned),
 * everything older is approved by the site's manager (a site in no portfolio has its reports left submitted). Then the seeder asks the server for the month-end of the
 * first manager's portfolio and the report list of a site, and checks them against what it wrote.
 */
final class PeakSeed {

    private static final int CHUNK = 20_000;
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final String[] TRADES = {"Concrete", "Carpentry", "Electrical", "Plumbing", "Masonry",
        "Steel erection", "Scaffolding", "Earthworks"};
    private static final String[] COMPANIES = {"Beton Nord GmbH", "Holzbau Weber", "Elektro Schmidt KG",
        "Sanitaer Braun", "Maurerei Keller", "Stahlbau Ost AG", "Geruestbau Fischer", null};
    private static final String[] WEATHER = {"Sunny", "Overcast", "Light rain", "Windy", "Fog", "Snow showers"};
    private static final String[] WORK = {
        "Poured deck section 4 and stripped the formwork on level 2. Rebar set for the east stair core.",
        "Blockwork on the north elevation up to course 14. Scaffold inspection passed, tag renewed.",
        "First-fix electrics in units 3 to 6; ducts for the ventilation risers delivered and stored.",
        "Excavation of trench B to 1.8 m, shoring placed; groundwater pumped, no settlement observed.",
        "Steel columns of grid lines C to F erected and bolted; survey of the column bases within 3 mm.",
    };
    private static final String[] DELAYS = {"Concrete truck 40 minutes late; pour started 09:10.",
        "Crane out of service for two hours (wind above 50 km/h).", "Waiting for the structural engineer's approval of the rebar."};
    private static final String[] INCIDENTS = {"Worker slipped on wet formwork, bruised knee, first aid given.",
        "Unsecured load on the hoist noticed and stopped; toolbox talk held."};
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");

    private final LoadSettings settings;
    private final PeakSettings peak;
    private final PeakWorld world;
    private final SplittableRandom random = new SplittableRandom(20261203L);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * What was written of the checked month (last month, if the reports cover all of it): filed reports and their
     * hours for the first portfolio, and the reports of its first site.
     */
    private final YearMonth checkedMonth;
    private long checkedFiled;
    private BigDecimal checkedHours = BigDecimal.ZERO;
    private long checkedSiteReports;
    /** The drafts of the last day, by author login. */
    private final Map<String, List<UUID>> drafts = new HashMap<>();

    PeakSeed(LoadSettings settings, PeakSettings peak, PeakWorld world) {
        this.settings = settings;
        this.peak = peak;
        this.world = world;
        List<LocalDate> days = workingDays();
        YearMonth previous = YearMonth.from(days.getLast()).minusMonths(1);
        // last month if the reports cover all of it, otherwise the month of the last day
        this.checkedMonth = days.getFirst().isAfter(previous.atDay(1)) ? YearMonth.from(days.getLast()) : previous;
    }

    /** The working days the reports span, oldest first, ending with the last working day before today. */
    List<LocalDate> workingDays() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate day = LocalDate.now(ZONE).minusDays(1);
        while (days.size() < peak.workingDays()) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(day);
            }
            day = day.minusDays(1);
        }
        return days.reversed();
    }

    /** Seeds unless the world's sites already have reports, and answers the summary. */
    String run() throws SQLException, IOException, InterruptedException {
        StringBuilder summary = new StringBuilder("Peaks' database (PeakSeedSimulation)\n");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + settings.database(),
                "fieldbook", "fieldbook")) {
            long existing = count(db, "SELECT count(*) FROM daily_reports r JOIN sites s ON s.id = r.site_id "
                    + "WHERE s.code LIKE 'PEAK-%'");
            if (existing > 0) {
                summary.append("  already seeded: ").append(existing).append(" reports on the peak sites\n");
                return summary.toString();
            }
            long started = System.nanoTime();
            long[] written = copy(db);
            double seconds = (System.nanoTime() - started) / 1e9;
            summary.append(String.format(Locale.ROOT,
                    "  COPY                    %,d reports, %,d crew rows, %,d feed rows over %d working days "
                            + "(%s to %s) in %.1f s: %,.0f reports/s%n",
                    written[0], written[1], written[2], peak.workingDays(), workingDays().getFirst(),
                    workingDays().getLast(), seconds, written[0] / seconds));
            summary.append("  sites, people           ").append(peak.sites()).append(" sites, ")
                    .append(world.workers().size()).append(" workers, ").append(world.managers().size())
                    .append(" managers with portfolios of ").append(peak.portfolioSites()).append(" sites (through the API)\n");
            long photosStarted = System.nanoTime();
            int photos = uploadPhotos();
            long waited = awaitThumbnails(db);
            summary.append(String.format(Locale.ROOT,
                    "  photos                  %,d distinct JPEGs (1024 x 768) uploaded through the API to the last day's "
                            + "drafts in %.1f s; thumbnails made %d s later%n",
                    photos, (System.nanoTime() - photosStarted) / 1e9 - waited, waited));
            summary.append("  check                   ").append(check()).append('\n');
            summary.append("  VACUUM (ANALYZE)        ").append(vacuum(db)).append('\n');
            summary.append("  database size           ").append(text(db,
                    "SELECT pg_size_pretty(pg_database_size(current_database()))")).append('\n');
        }
        return summary.toString();
    }

    /**
     * Vacuums and analyzes the tables the seed wrote, as a database that has run for years has been: its
     * visibility map lets a count over a site's reports read the index alone (left to autovacuum, which may not
     * come before the peaks run, the same count reads thousands of heap pages). A vacuum cannot mark the pages
     * of rows that a transaction still open may not see, so it runs again, a few times at most, until nearly
     * every page of the reports is all-visible. Answers the share of all-visible pages per table.
     */
    private String vacuum(Connection db) throws SQLException, InterruptedException {
        List<String> tables = List.of("daily_reports", "report_crew", "sync_feed");
        long started = System.nanoTime();
        String visible = "";
        for (int attempt = 1; attempt <= 5; attempt++) {
            try (Statement vacuum = db.createStatement()) {
                for (String table : tables) {
                    vacuum.execute("VACUUM (ANALYZE) " + table);
                }
            }
            double least = 1;
            StringBuilder shares = new StringBuilder();
            for (String table : tables) {
                double share = Double.parseDouble(text(db, "SELECT CASE WHEN relpages = 0 THEN 1 ELSE "
                        + "relallvisible::float / relpages END FROM pg_class WHERE relname = '" + table + "'"));
                least = Math.min(least, share);
                shares.append(shares.isEmpty() ? "" : ", ").append(table).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f %%", share * 100));
            }
            visible = shares + String.format(Locale.ROOT, " of pages all-visible after %d run%s, %.1f s", attempt,
                    attempt == 1 ? "" : "s", (System.nanoTime() - started) / 1e9);
            if (least >= 0.99) {
                break;
            }
            Thread.sleep(2_000);
        }
        return visible;
    }

    /** Writes reports, crews and the feed in one transaction; answers the rows written of each. */
    private long[] copy(Connection db) throws SQLException, IOException {
        db.setAutoCommit(false);
        CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
        long position;
        try (Statement lock = db.createStatement();
                ResultSet row = lock.executeQuery("SELECT last_position FROM sync_sequencer WHERE id = 1 FOR UPDATE")) {
            row.next();
            position = row.getLong(1);
        }
        List<LocalDate> days = workingDays();
        int skip = peak.workingDays() * peak.sites() * peak.authorsPerSite() - peak.reports();
        long[] written = new long[3];
        StringBuilder reports = new StringBuilder(CHUNK * 400);
        StringBuilder crews = new StringBuilder(CHUNK * 200);
        StringBuilder feed = new StringBuilder(CHUNK * 120);
        int inChunk = 0;
        for (int d = 0; d < days.size(); d++) {
            LocalDate day = days.get(d);
            int age = days.size() - 1 - d;
            for (int s = 0; s < peak.sites(); s++) {
                PeakWorld.Person manager = world.managerOf(s);
                for (PeakWorld.Person author : world.authorsOf(s, peak)) {
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                            (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
                    OffsetDateTime updated = report(reports, crews, id, day, age, s, author, manager);
                    feed.append(++position).append("\tDailyReport\t").append(id).append('\t')
                            .append(world.sites().get(s).id()).append("\tf\t").append(TIMESTAMP.format(updated)).append('\n');
                    written[0]++;
                    if (++inChunk == CHUNK) {
                        written[1] += flush(copy, reports, crews, feed);
                        inChunk = 0;
                    }
                }
            }
        }
        written[1] += flush(copy, reports, crews, feed);
        written[2] = written[0];
        try (PreparedStatement sequencer = db.prepareStatement("UPDATE sync_sequencer SET last_position = ? WHERE id = 1")) {
            sequencer.setLong(1, position);
            sequencer.executeUpdate();
        }
        db.commit();
        db.setAutoCommit(true);
        return written;
    }

    private static long flush(CopyManager copy, StringBuilder reports, StringBuilder crews, StringBuilder feed)
            throws SQLException, IOException {
        copy.copyIn("COPY daily_reports (id, site_id, report_date, author_id, status, weather_conditions, "
                + "temperature_celsius, work_performed, delays, safety_incidents, materials, notes, return_comment, "
                + "submitted_at, decided_at, decided_by, version, created_at, updated_at, updated_by) FROM STDIN",
                new StringReader(reports.toString()));
        long crewRows = copy.copyIn("COPY report_crew (report_id, report_date, position, trade, company, headcount, hours) "
                + "FROM STDIN", new StringReader(crews.toString()));
        copy.copyIn("COPY sync_feed (position, entity, entity_id, site_id, deleted, recorded_at) FROM STDIN",
                new StringReader(feed.toString()));
        reports.setLength(0);
        crews.setLength(0);
        feed.setLength(0);
        return crewRows;
    }

    /** Appends one report and its crew as COPY text rows; answers when it was last changed. */
    private OffsetDateTime report(StringBuilder reports, StringBuilder crews, UUID id, LocalDate day, int age, int site,
            PeakWorld.Person author, PeakWorld.Person manager) {
        String status;
        if (age == 0) {
            status = "DRAFT";
        } else if (age < 5) {
            status = manager != null && random.nextInt(20) == 0 ? "RETURNED" : "SUBMITTED";
        } else {
            status = manager == null ? "SUBMITTED" : "APPROVED";
        }
        OffsetDateTime created = day.atTime(7, 0).atZone(ZONE).toOffsetDateTime().plusMinutes(random.nextInt(90));
        OffsetDateTime submitted = status.equals("DRAFT") ? null : day.atTime(16, 0).atZone(ZONE).toOffsetDateTime()
                .plusMinutes(random.nextInt(120));
        boolean decided = status.equals("APPROVED") || status.equals("RETURNED");
        OffsetDateTime decidedAt = decided ? day.plusDays(1).atTime(8, 0).atZone(ZONE).toOffsetDateTime()
                .plusMinutes(random.nextInt(180)) : null;
        UUID decidedBy = decided ? manager.id() : null;
        OffsetDateTime updated = decided ? decidedAt : submitted == null ? created : submitted;
        UUID updatedBy = decided ? manager.id() : author.id();
        long version = switch (status) {
            case "DRAFT" -> 1;
            case "SUBMITTED" -> 2;
            default -> 3;
        };
        String delays = random.nextInt(8) == 0 ? DELAYS[random.nextInt(DELAYS.length)]
                : random.nextBoolean() ? "None." : null;
        String incidents = random.nextInt(60) == 0 ? INCIDENTS[random.nextInt(INCIDENTS.length)] : "None.";
        reports.append(id).append('\t').append(world.sites().get(site).id()).append('\t').append(day).append('\t')
                .append(author.id()).append('\t').append(status).append('\t')
                .append(WEATHER[random.nextInt(WEATHER.length)]).append('\t')
                .append(random.nextInt(35) - 5).append('.').append(random.nextInt(10)).append('\t')
                .append(WORK[random.nextInt(WORK.length)]).append('\t')
                .append(nullable(delays)).append('\t').append(nullable(incidents)).append('\t')
                .append(10 + random.nextInt(20)).append(" m3 C30/37 concrete, ").append(1 + random.nextInt(4))
                .append(" t rebar\t")
                .append(random.nextInt(4) == 0 ? "Site visit by the client's representative." : "\\N").append('\t')
                .append(status.equals("RETURNED") ? "Please add the crane hours." : "\\N").append('\t')
                .append(timestamp(submitted)).append('\t').append(timestamp(decidedAt)).append('\t')
                .append(decidedBy == null ? "\\N" : decidedBy).append('\t').append(version).append('\t')
                .append(timestamp(created)).append('\t').append(timestamp(updated)).append('\t').append(updatedBy)
                .append('\n');
        boolean filed = status.equals("SUBMITTED") || status.equals("APPROVED");
        boolean checked = YearMonth.from(day).equals(checkedMonth);
        int rows = 1 + random.nextInt(3);
        int firstTrade = random.nextInt(TRADES.length);
        for (int position = 0; position < rows; position++) {
            int trade = (firstTrade + position) % TRADES.length;
            int headcount = 1 + random.nextInt(8);
            BigDecimal hours = BigDecimal.valueOf(headcount * (15L + random.nextInt(4)), 1).multiply(BigDecimal.valueOf(5))
                    .setScale(2, java.math.RoundingMode.UNNECESSARY);
            crews.append(id).append('\t').append(day).append('\t').append(position).append('\t').append(TRADES[trade])
                    .append('\t').append(nullable(COMPANIES[trade])).append('\t').append(headcount).append('\t')
                    .append(hours.toPlainString()).append('\n');
            if (checked && filed && world.managers().getFirst().sites().contains(site)) {
                checkedHours = checkedHours.add(hours);
            }
        }
        if (checked) {
            if (filed && world.managers().getFirst().sites().contains(site)) {
                checkedFiled++;
            }
            if (site == world.managers().getFirst().sites().getFirst()) {
                checkedSiteReports++;
            }
        }
        if (status.equals("DRAFT")) {
            drafts.computeIfAbsent(author.login(), login -> new ArrayList<>()).add(id);
        }
        return updated;
    }

    private static String nullable(String text) {
        return text == null ? "\\N" : text;
    }

    private static String timestamp(OffsetDateTime time) {
        return time == null ? "\\N" : TIMESTAMP.format(time);
    }

    /** Uploads {@code photos} distinct JPEGs to the drafts, round robin over their authors, on two threads. */
    private int uploadPhotos() throws IOException, InterruptedException {
        List<Map.Entry<String, UUID>> targets = new ArrayList<>();
        drafts.forEach((login, ids) -> ids.forEach(id -> targets.add(Map.entry(login, id))));
        if (targets.isEmpty() || peak.photos() == 0) {
            return 0;
        }
        Map<String, String> tokens = new HashMap<>();
        for (String login : drafts.keySet()) {
            tokens.put(login, signIn(login));
        }
        List<Future<?>> uploads = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < peak.photos(); i++) {
                Map.Entry<String, UUID> target = targets.get(i % targets.size());
                int sequence = i;
                uploads.add(threads.submit(() -> upload(tokens.get(target.getKey()), target.getValue(), sequence)));
            }
            for (Future<?> upload : uploads) {
                try {
                    upload.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a photo upload failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
        return peak.photos();
    }

    private Void upload(String token, UUID reportId, int sequence) throws IOException, InterruptedException {
        byte[] jpeg = jpeg(new SplittableRandom(7919L * sequence + 1));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/api/v1/reports/"
                        + reportId + "/photos?caption=Peak%20photo%20" + sequence))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("photo upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return null;
    }

    /** A site-like picture: sky, ground and a few random beams and blocks, with noise; about 150 KB. */
    static byte[] jpeg(SplittableRandom random) {
        BufferedImage image = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(120 + random.nextInt(80), 160 + random.nextInt(60), 200 + random.nextInt(55)));
        g.fillRect(0, 0, 1024, 400);
        g.setColor(new Color(90 + random.nextInt(60), 70 + random.nextInt(50), 40 + random.nextInt(40)));
        g.fillRect(0, 400, 1024, 368);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.setStroke(new BasicStroke(2 + random.nextInt(10)));
            if (random.nextBoolean()) {
                g.drawLine(random.nextInt(1024), random.nextInt(768), random.nextInt(1024), random.nextInt(768));
            } else {
                g.fillRect(random.nextInt(1000), random.nextInt(740), 10 + random.nextInt(200), 10 + random.nextInt(150));
            }
        }
        g.dispose();
        for (int y = 0; y < 768; y += 2) {
            for (int x = 0; x < 1024; x += 2) {
                int rgb = image.getRGB(x, y);
                int noise = random.nextInt(24) - 12;
                int r = Math.clamp(((rgb >> 16) & 0xFF) + noise, 0, 255);
                int gr = Math.clamp(((rgb >> 8) & 0xFF) + noise, 0, 255);
                int b = Math.clamp((rgb & 0xFF) + noise, 0, 255);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(200_000);
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Waits (5 minutes at most) until the server has made every photo's thumbnail; answers the seconds waited. */
    private static long awaitThumbnails(Connection db) throws SQLException, InterruptedException {
        long started = System.nanoTime();
        for (int i = 0; i < 300 && count(db, "SELECT count(*) FROM photos WHERE thumbnail_due") > 0; i++) {
            Thread.sleep(1000);
        }
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    /** The server's month-end of the first portfolio and report list of its first site, against what was written. */
    private String check() throws IOException, InterruptedException {
        PeakWorld.Person manager = world.managers().getFirst();
        String token = signIn(manager.login());
        JsonNode monthEnd = get("/api/v1/insights/month-end?month=" + checkedMonth + "&portfolioId="
                + manager.portfolioId(), token);
        long filed = monthEnd.path("totals").path("reportsFiled").path("value").asLong();
        BigDecimal hours = new BigDecimal(monthEnd.path("totals").path("hours").path("value").asString());
        LocalDate from = checkedMonth.atDay(1);
        JsonNode list = get("/api/v1/reports?siteId=" + world.sites().get(manager.sites().getFirst()).id() + "&from="
                + from + "&to=" + checkedMonth.atEndOfMonth() + "&size=1", token);
        long listed = list.path("total").asLong();
        if (filed != checkedFiled || hours.compareTo(checkedHours) != 0 || listed != checkedSiteReports) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the server does not read the seeded data as written: month-end %s of %s: %d filed reports and "
                            + "%s hours, written %d and %s; report list of its first site: %d, written %d",
                    checkedMonth, manager.login(), filed, hours, checkedFiled, checkedHours, listed, checkedSiteReports));
        }
        return String.format(Locale.ROOT, "the server's month-end %s of %s (%d filed reports, %s hours) and report list "
                + "of %s (%d reports) match what was written", checkedMonth, manager.login(), filed,
                hours.stripTrailingZeros().toPlainString(), world.sites().get(manager.sites().getFirst()).code(), listed);
    }

    private String signIn(String login) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/api/v1/auth/tokens"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("login", login,
                        "password", world.password(), "label", "peak seed", "lifetimeDays", 1))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("sign-in of " + login + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json.readTree(answer.body()).path("token").asString();
    }

    private JsonNode get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json.readTree(answer.body());
    }

    private static long count(Connection db, String sql) throws SQLException {
        return Long.parseLong(text(db, sql));
    }

    private static String text(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}

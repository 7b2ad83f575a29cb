package app.fieldbook.client;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.PersonReference;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.Weather;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** Small builders for tests: devices talking to a {@link LoopbackServer}, sites, report content. */
public final class TestDevices {

    public static final SiteReference NORTH = new SiteReference(
            UUID.fromString("00000000-0000-0000-0000-00000000000a"), "NORTH", "North Tower", "Europe/Berlin");
    public static final SiteReference HARBOUR = new SiteReference(
            UUID.fromString("00000000-0000-0000-0000-00000000000b"), "HARBOUR", "Harbour Depot", "Europe/Berlin");

    /** Always the longest wait backoff allows: postponed changes never come due by chance. */
    public static final RandomGenerator LONGEST_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private TestDevices() {
    }

    public static FieldbookClient.Builder device(Path directory, LoopbackServer server, TestClock clock) {
        return FieldbookClient.builder(directory.resolve("client.db"))
                .server(server.uri())
                .clock(clock)
                .sleeper(clock)
                .random(LONGEST_JITTER)
                .requestTimeout(java.time.Duration.ofSeconds(10));
    }

    /** A device signed in as {@link LoopbackServer#LOGIN} that knows the sites NORTH and HARBOUR. */
    public static FieldbookClient signedIn(FieldbookClient.Builder builder, LoopbackServer server) {
        FieldbookClient client = builder.open();
        client.signIn(LoopbackServer.LOGIN, LoopbackServer.PASSWORD.toCharArray());
        server.page(sitesPage());
        client.sync();
        return client;
    }

    public static PullResponse sitesPage() {
        return new PullResponse("c-sites", false, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(NORTH, HARBOUR), List.of(new PersonReference(LoopbackServer.USER_ID, "Walter Worker")));
    }

    public static ReportContent content(String work) {
        return new ReportContent(new Weather("Sunny", new BigDecimal("18.5")),
                List.of(new CrewRow("Concrete", "Beton Nord GmbH", 6, new BigDecimal("48"))),
                work, null, null, "Rebar 2t", null);
    }
}

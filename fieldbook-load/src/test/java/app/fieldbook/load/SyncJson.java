package app.fieldbook.load;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The JSON of push and pull requests (docs/sync-protocol.md, records in {@code fieldbook-protocol}),
 * written directly into a string: building thousands of operations a second through an object mapper
 * would spend the CPU the server needs, on the same two cores.
 */
final class SyncJson {

    static final int PROTOCOL_VERSION = 1;
    static final String CLIENT_VERSION = "0.1.0";
    private static final String DEVICE_STATUS =
            "{\"outboxDepth\":0,\"pendingPhotos\":0,\"appVersion\":\"" + CLIENT_VERSION + "\"}";
    private static final String[] WORK = {
        "Poured deck section 4 and stripped the formwork on level 2. Rebar set for the east stair core.",
        "Blockwork on the north elevation up to course 14. Scaffold inspection passed, tag renewed.",
        "First-fix electrics in units 3 to 6; ducts for the ventilation risers delivered and stored.",
        "Excavation of trench B to 1.8 m, shoring placed; groundwater pumped, no settlement observed.",
    };
    private static final String[] WEATHER = {"Sunny", "Overcast", "Light rain", "Windy"};

    private SyncJson() {
    }

    /** A push of the given operations, each already written as JSON. */
    static String push(UUID deviceId, List<String> operations) {
        StringBuilder body = new StringBuilder(256 + operations.size() * 700);
        body.append("{\"protocolVersion\":").append(PROTOCOL_VERSION)
                .append(",\"clientVersion\":\"").append(CLIENT_VERSION)
                .append("\",\"deviceId\":\"").append(deviceId)
                .append("\",\"device\":").append(DEVICE_STATUS)
                .append(",\"operations\":[");
        for (int i = 0; i < operations.size(); i++) {
            body.append(i == 0 ? "" : ",").append(operations.get(i));
        }
        return body.append("]}").toString();
    }

    /**
     * A pull template for Gatling: {@code #{deviceId}}, {@code #{cursor}} and {@code #{knownSites}} (a JSON
     * array of the site ids the device holds, as a client sends them) come from the virtual user's session.
     */
    static String pullTemplate(int limit) {
        return "{\"protocolVersion\":" + PROTOCOL_VERSION + ",\"clientVersion\":\"" + CLIENT_VERSION
                + "\",\"deviceId\":\"#{deviceId}\",\"device\":" + DEVICE_STATUS
                + ",\"cursor\":\"#{cursor}\",\"limit\":" + limit + ",\"knownSiteIds\":#{knownSites}}";
    }

    /** The creation of a draft report with weather, a crew of two trades, work done and materials. */
    static String create(UUID operationId, UUID reportId, UUID siteId, LocalDate date, int variant) {
        int hours = 8 * (2 + variant % 5);
        return "{\"operationId\":\"" + operationId + "\",\"entity\":\"DailyReport\",\"entityId\":\"" + reportId
                + "\",\"kind\":\"CREATE\",\"baseVersion\":0,\"changes\":{"
                + "\"siteId\":{\"base\":null,\"value\":\"" + siteId + "\"},"
                + "\"date\":{\"base\":null,\"value\":\"" + date + "\"},"
                + "\"weather.conditions\":{\"base\":null,\"value\":\"" + WEATHER[variant % WEATHER.length] + "\"},"
                + "\"weather.temperatureCelsius\":{\"base\":null,\"value\":" + (variant % 30 - 5) + ".5},"
                + "\"crew\":{\"base\":null,\"value\":[{\"trade\":\"Concrete\",\"company\":\"Beton Nord GmbH\","
                + "\"headcount\":" + (2 + variant % 5) + ",\"hours\":" + hours + "},"
                + "{\"trade\":\"Carpentry\",\"company\":\"Holzbau Weber\",\"headcount\":2,\"hours\":16}]},"
                + "\"workPerformed\":{\"base\":null,\"value\":\"" + WORK[variant % WORK.length] + "\"},"
                + "\"materials\":{\"base\":null,\"value\":\"" + (10 + variant % 20) + " m3 C30/37 concrete, 2 t rebar\"}"
                + "},\"madeAt\":\"" + Instant.now() + "\"}";
    }

    /** The creation of a draft report with every section filled: {@link #create}'s, delays, safety and notes. */
    static String createComplete(UUID operationId, UUID reportId, UUID siteId, LocalDate date, int variant) {
        String create = create(operationId, reportId, siteId, date, variant);
        int changesEnd = create.lastIndexOf("},\"madeAt\"");
        return create.substring(0, changesEnd)
                + ",\"delays\":{\"base\":null,\"value\":\"Concrete truck 40 minutes late; pour started 09:10.\"},"
                + "\"safetyIncidents\":{\"base\":null,\"value\":\"None. Toolbox talk on working at height.\"},"
                + "\"notes\":{\"base\":null,\"value\":\"Photos of the east edge and the stair core attached.\"}"
                + create.substring(changesEnd);
    }

    /** The announcement of a photo of a report: its SHA-256 and size, before its content is uploaded. */
    static String announcePhoto(UUID operationId, UUID photoId, UUID reportId, String sha256, long size, int index) {
        return "{\"operationId\":\"" + operationId + "\",\"entity\":\"Photo\",\"entityId\":\"" + photoId
                + "\",\"kind\":\"CREATE\",\"baseVersion\":0,\"changes\":{"
                + "\"reportId\":{\"base\":null,\"value\":\"" + reportId + "\"},"
                + "\"sha256\":{\"base\":null,\"value\":\"" + sha256 + "\"},"
                + "\"size\":{\"base\":null,\"value\":" + size + "},"
                + "\"caption\":{\"base\":null,\"value\":\"Photo " + (index + 1) + " of the day\"},"
                + "\"takenAt\":{\"base\":null,\"value\":\"" + Instant.now() + "\"},"
                + "\"latitude\":{\"base\":null,\"value\":53.55},"
                + "\"longitude\":{\"base\":null,\"value\":9.99}"
                + "},\"madeAt\":\"" + Instant.now() + "\"}";
    }

    /** The submission of a draft report the device created at {@code baseVersion}. */
    static String submit(UUID operationId, UUID reportId, long baseVersion) {
        return "{\"operationId\":\"" + operationId + "\",\"entity\":\"DailyReport\",\"entityId\":\"" + reportId
                + "\",\"kind\":\"UPDATE\",\"baseVersion\":" + baseVersion + ",\"changes\":{"
                + "\"status\":{\"base\":\"DRAFT\",\"value\":\"SUBMITTED\"}"
                + "},\"madeAt\":\"" + Instant.now() + "\"}";
    }

    /** An edit of the notes of a report the device knows at {@code baseVersion} with {@code baseNotes}. */
    static String editNotes(UUID operationId, UUID reportId, long baseVersion, String baseNotes, String notes) {
        return "{\"operationId\":\"" + operationId + "\",\"entity\":\"DailyReport\",\"entityId\":\"" + reportId
                + "\",\"kind\":\"UPDATE\",\"baseVersion\":" + baseVersion + ",\"changes\":{"
                + "\"notes\":{\"base\":" + text(baseNotes) + ",\"value\":" + text(notes) + "}"
                + "},\"madeAt\":\"" + Instant.now() + "\"}";
    }

    /** A JSON string or null; the load test only writes plain ASCII text, but quotes and backslashes are escaped. */
    private static String text(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

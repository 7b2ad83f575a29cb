package app.fieldbook.load;

import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.DeviceStatus;
import app.fieldbook.protocol.FieldChange;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PushRequest;
import app.fieldbook.protocol.ReportField;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SyncProtocol;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The push and pull requests of the simulations, made of the protocol's own records
 * ({@code fieldbook-protocol}, docs/sync-protocol.md) and written as JSON by one mapper, as the Java
 * client sends them.
 */
final class SyncRequests {

    static final String CLIENT_VERSION = "0.1.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DeviceStatus DEVICE_STATUS = new DeviceStatus(0, null, 0, CLIENT_VERSION);
    private static final String[] WORK = {
        "Poured deck section 4 and stripped the formwork on level 2. Rebar set for the east stair core.",
        "Blockwork on the north elevation up to course 14. Scaffold inspection passed, tag renewed.",
        "First-fix electrics in units 3 to 6; ducts for the ventilation risers delivered and stored.",
        "Excavation of trench B to 1.8 m, shoring placed; groundwater pumped, no settlement observed.",
    };
    private static final String[] WEATHER = {"Sunny", "Overcast", "Light rain", "Windy"};

    private SyncRequests() {
    }

    /** A push of the given operations, as JSON. */
    static String push(UUID deviceId, List<Operation> operations) {
        return JSON.writeValueAsString(new PushRequest(SyncProtocol.VERSION, CLIENT_VERSION, deviceId, DEVICE_STATUS,
                operations));
    }

    /**
     * A pull template for Gatling, the protocol's pull request with placeholders: {@code #{deviceId}},
     * {@code #{cursor}} and {@code #{knownSites}} (a JSON array of the site ids the device holds, as a client
     * sends them) come from the virtual user's session.
     */
    static String pullTemplate(int limit) {
        UUID deviceMark = new UUID(0, 0);
        String template = JSON.writeValueAsString(new PullRequest(SyncProtocol.VERSION, CLIENT_VERSION, deviceMark,
                DEVICE_STATUS, "#{cursor}", limit, List.of(deviceMark)));
        return template.replace("[\"" + deviceMark + "\"]", "#{knownSites}").replace(deviceMark.toString(), "#{deviceId}");
    }

    /** The creation of a draft report with weather, a crew of two trades, work done and materials. */
    static Operation create(UUID operationId, UUID reportId, UUID siteId, LocalDate date, int variant) {
        return new Operation(operationId, SyncProtocol.REPORT, reportId, OperationKind.CREATE, 0,
                content(siteId, date, variant), now());
    }

    /** The creation of a draft report with every section filled: {@link #create}'s, delays, safety and notes. */
    static Operation createComplete(UUID operationId, UUID reportId, UUID siteId, LocalDate date, int variant) {
        Map<String, FieldChange> changes = content(siteId, date, variant);
        changes.put(ReportField.DELAYS.wireName(), created("Concrete truck 40 minutes late; pour started 09:10."));
        changes.put(ReportField.SAFETY_INCIDENTS.wireName(), created("None. Toolbox talk on working at height."));
        changes.put(ReportField.NOTES.wireName(), created("Photos of the east edge and the stair core attached."));
        return new Operation(operationId, SyncProtocol.REPORT, reportId, OperationKind.CREATE, 0, changes, now());
    }

    /**
     * {@link #createComplete}'s report created already submitted: one operation, applied in one transaction (the
     * protocol takes a create whose status is submitted).
     */
    static Operation createSubmitted(UUID operationId, UUID reportId, UUID siteId, LocalDate date, int variant) {
        Operation create = createComplete(operationId, reportId, siteId, date, variant);
        Map<String, FieldChange> changes = new LinkedHashMap<>(create.changes());
        changes.put(ReportField.STATUS.wireName(), created(ReportStatus.SUBMITTED));
        return new Operation(operationId, SyncProtocol.REPORT, reportId, OperationKind.CREATE, 0, changes,
                create.madeAt());
    }

    /** The announcement of a photo of a report: its SHA-256 and size, before its content is uploaded. */
    static Operation announcePhoto(UUID operationId, UUID photoId, UUID reportId, String sha256, long size, int index) {
        Map<String, FieldChange> changes = new LinkedHashMap<>();
        changes.put("reportId", created(reportId));
        changes.put("sha256", created(sha256));
        changes.put("size", created(size));
        changes.put("caption", created("Photo " + (index + 1) + " of the day"));
        changes.put("takenAt", created(now()));
        changes.put("latitude", created(new BigDecimal("53.55")));
        changes.put("longitude", created(new BigDecimal("9.99")));
        return new Operation(operationId, SyncProtocol.PHOTO, photoId, OperationKind.CREATE, 0, changes, now());
    }

    /** The submission of a draft report the device created at {@code baseVersion}. */
    static Operation submit(UUID operationId, UUID reportId, long baseVersion) {
        return new Operation(operationId, SyncProtocol.REPORT, reportId, OperationKind.UPDATE, baseVersion,
                Map.of(ReportField.STATUS.wireName(), new FieldChange(ReportStatus.DRAFT, ReportStatus.SUBMITTED)), now());
    }

    /** An edit of the notes of a report the device knows at {@code baseVersion} with {@code baseNotes}. */
    static Operation editNotes(UUID operationId, UUID reportId, long baseVersion, String baseNotes, String notes) {
        return new Operation(operationId, SyncProtocol.REPORT, reportId, OperationKind.UPDATE, baseVersion,
                Map.of(ReportField.NOTES.wireName(), new FieldChange(baseNotes, notes)), now());
    }

    private static Map<String, FieldChange> content(UUID siteId, LocalDate date, int variant) {
        int headcount = 2 + variant % 5;
        Map<String, FieldChange> changes = new LinkedHashMap<>();
        changes.put(ReportField.SITE_ID.wireName(), created(siteId));
        changes.put(ReportField.DATE.wireName(), created(date));
        changes.put(ReportField.WEATHER_CONDITIONS.wireName(), created(WEATHER[variant % WEATHER.length]));
        changes.put(ReportField.WEATHER_TEMPERATURE.wireName(), created(new BigDecimal((variant % 30 - 5) + ".5")));
        changes.put(ReportField.CREW.wireName(), created(List.of(
                new CrewRow("Concrete", "Beton Nord GmbH", headcount, BigDecimal.valueOf(8L * headcount)),
                new CrewRow("Carpentry", "Holzbau Weber", 2, BigDecimal.valueOf(16)))));
        changes.put(ReportField.WORK_PERFORMED.wireName(), created(WORK[variant % WORK.length]));
        changes.put(ReportField.MATERIALS.wireName(), created((10 + variant % 20) + " m3 C30/37 concrete, 2 t rebar"));
        return changes;
    }

    private static FieldChange created(Object value) {
        return new FieldChange(null, value);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}

package app.fieldbook.sync;

import app.fieldbook.RejectedRequest;
import app.fieldbook.attachments.PhotoUploads;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.ConflictResolution;
import app.fieldbook.protocol.LostOnDevice;
import app.fieldbook.protocol.PullRequest;
import app.fieldbook.protocol.PullResponse;
import app.fieldbook.protocol.PushResponse;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import app.fieldbook.sync.conflicts.ResolvingConflicts;
import app.fieldbook.sync.pull.PullingChanges;
import app.fieldbook.sync.push.PushingOperations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The sync protocol (docs/sync-protocol.md): push, pull, and conflicts. */
@RestController
@RequestMapping("/api/v1/sync")
@PreAuthorize("hasAnyRole('WORKER', 'MANAGER', 'EXECUTIVE')")
class SyncController {

    /** The header of upload requests that names the device sending them (the {@code deviceId} of its pushes). */
    static final String DEVICE_ID = "Fieldbook-Device-Id";

    private final PushingOperations pushing;
    private final PullingChanges pulling;
    private final ResolvingConflicts resolving;
    private final Devices devices;
    private final SyncSettings settings;
    private final PhotoUploads uploads;
    private final DetectingDataLoss dataLoss;

    SyncController(PushingOperations pushing, PullingChanges pulling, ResolvingConflicts resolving, Devices devices,
            SyncSettings settings, PhotoUploads uploads, DetectingDataLoss dataLoss) {
        this.uploads = uploads;
        this.dataLoss = dataLoss;
        this.pushing = pushing;
        this.pulling = pulling;
        this.resolving = resolving;
        this.devices = devices;
        this.settings = settings;
    }

    @PostMapping("/push")
    PushResponse push(@Valid @RequestBody PushEnvelope request, @AuthenticationPrincipal Actor actor) {
        admit(request.protocolVersion(), request.clientVersion());
        devices.report(request.deviceId(), actor.id(), request.protocolVersion(), request.clientVersion(),
                request.device(), true);
        PushResponse answer = new PushResponse(pushing.push(request.deviceId(), request.operations(), actor));
        devices.answered(request.deviceId(), answer.results().size());
        return answer;
    }

    @PostMapping("/pull")
    PullResponse pull(@Valid @RequestBody PullRequest request, @AuthenticationPrincipal Actor actor) {
        admit(request.protocolVersion(), request.clientVersion());
        Optional<LostOnDevice> lost = dataLoss.check(request, actor);
        devices.report(request.deviceId(), actor.id(), request.protocolVersion(), request.clientVersion(),
                request.device(), false);
        try {
            PullResponse answer = pulling.pull(request, actor);
            return lost.map(answer::withLostOnDevice).orElse(answer);
        } catch (IllegalArgumentException badCursor) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
                    badCursor.getMessage() + ". Start again with an empty cursor.");
        }
    }

    @GetMapping("/conflicts")
    List<Conflict> conflicts(@AuthenticationPrincipal Actor actor) {
        return resolving.open(actor);
    }

    @PostMapping("/conflicts/{id}/resolution")
    Conflict resolve(@PathVariable UUID id, @Valid @RequestBody ConflictResolution resolution,
            @AuthenticationPrincipal Actor actor) {
        try {
            return resolving.resolve(id, resolution, actor);
        } catch (IllegalArgumentException invalid) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid value", invalid.getMessage());
        }
    }

    /** Opens or resumes an upload; only the device that announced the photo (its {@code Fieldbook-Device-Id}) may. */
    @PostMapping("/uploads")
    UploadState startUpload(@Valid @RequestBody UploadStart start,
            @RequestHeader(name = DEVICE_ID, required = false) UUID deviceId, @AuthenticationPrincipal Actor actor)
            throws IOException {
        return uploads.start(start, deviceId, actor);
    }

    @GetMapping("/uploads/{photoId}")
    UploadState upload(@PathVariable UUID photoId, @AuthenticationPrincipal Actor actor) throws IOException {
        return uploads.state(photoId, actor);
    }

    /**
     * Appends the body to the upload, which must be at {@code Upload-Offset}; 409 with the right offset
     * otherwise. Only the device that announced the photo (its {@code Fieldbook-Device-Id}) may.
     */
    @PatchMapping(path = "/uploads/{photoId}", consumes = "application/offset+octet-stream")
    UploadState appendUpload(@PathVariable UUID photoId, @RequestHeader("Upload-Offset") long offset,
            @RequestHeader(name = DEVICE_ID, required = false) UUID deviceId, HttpServletRequest request,
            @AuthenticationPrincipal Actor actor) throws IOException {
        return uploads.append(photoId, deviceId, offset, request.getContentLengthLong(), request.getInputStream(),
                actor);
    }

    /** Refuses clients older than the server accepts with 426, telling them to update. */
    private void admit(int protocolVersion, String clientVersion) {
        boolean oldProtocol = protocolVersion < settings.minimumProtocolVersion();
        boolean oldClient = SyncProtocol.compareVersions(clientVersion, settings.minimumClientVersion()) < 0;
        if (oldProtocol || oldClient) {
            throw new RejectedRequest(HttpStatus.UPGRADE_REQUIRED, "client-too-old", "Please update the app",
                    "This version of the app (" + clientVersion + ", protocol " + protocolVersion
                            + ") is too old for this server. Update to " + settings.minimumClientVersion() + " or later.",
                    Map.of("minimumClientVersion", settings.minimumClientVersion(),
                            "minimumProtocolVersion", settings.minimumProtocolVersion()));
        }
        if (protocolVersion > SyncProtocol.VERSION) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "protocol-unknown", "Unknown protocol version",
                    "This server speaks sync protocol " + SyncProtocol.VERSION + ", not " + protocolVersion + ".");
        }
    }
}

package app.fieldbook.attachments;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.identity.RecordsRead;
import app.fieldbook.protocol.Photo;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.InputStreamResource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Photos of daily reports: upload (the photo as the request body, or multipart from a form), list, download and thumbnail, removal. */
@RestController
@PreAuthorize("hasAnyRole('WORKER', 'MANAGER', 'EXECUTIVE')")
class PhotoController {

    private final AttachingPhotos attaching;
    private final ApplicationEventPublisher events;

    PhotoController(AttachingPhotos attaching, ApplicationEventPublisher events) {
        this.attaching = attaching;
        this.events = events;
    }

    /** The browser form's upload: the photo is the multipart part {@code file}. */
    @PostMapping(path = "/api/v1/reports/{reportId}/photos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('WORKER')")
    ResponseEntity<Photo> upload(@PathVariable UUID reportId,
            @RequestPart("file") MultipartFile file,
            @RequestParam(required = false) UUID id,
            @RequestParam(required = false) @Size(max = 500) String caption,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime takenAt,
            @RequestParam(required = false) @DecimalMin("-90.0") @DecimalMax("90.0") Double latitude,
            @RequestParam(required = false) @DecimalMin("-180.0") @DecimalMax("180.0") Double longitude,
            @AuthenticationPrincipal Actor actor) throws IOException {
        return attach(reportId, new AttachingPhotos.Details(id, caption, takenAt, latitude, longitude), file.getSize(),
                file.getInputStream(), actor);
    }

    /**
     * The app's upload: the request body is the photo itself, streamed once to the store (no multipart
     * parsing, no copy in the container's temporary directory); what is said about it goes in the query.
     * The claimed content type is not trusted: the content is inspected (its leading bytes, its whole container).
     */
    @PostMapping(path = "/api/v1/reports/{reportId}/photos", consumes = {MediaType.IMAGE_JPEG_VALUE,
            MediaType.IMAGE_PNG_VALUE, "image/webp", "image/heic", "image/heif", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @PreAuthorize("hasRole('WORKER')")
    ResponseEntity<Photo> uploadBody(@PathVariable UUID reportId,
            @RequestParam(required = false) UUID id,
            @RequestParam(required = false) @Size(max = 500) String caption,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime takenAt,
            @RequestParam(required = false) @DecimalMin("-90.0") @DecimalMax("90.0") Double latitude,
            @RequestParam(required = false) @DecimalMin("-180.0") @DecimalMax("180.0") Double longitude,
            @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long length,
            InputStream body,
            @AuthenticationPrincipal Actor actor) throws IOException {
        return attach(reportId, new AttachingPhotos.Details(id, caption, takenAt, latitude, longitude),
                length == null ? -1 : length, body, actor);
    }

    private ResponseEntity<Photo> attach(UUID reportId, AttachingPhotos.Details details, long declaredSize,
            InputStream content, Actor actor) throws IOException {
        if ((details.latitude() == null) != (details.longitude() == null)) {
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "latitude and longitude go together.");
        }
        if (declaredSize > attaching.settingsMaxBytes()) {
            throw attaching.tooLarge();
        }
        var attached = attaching.attach(reportId, details, content, actor);
        Photo photo = attached.photo().toWire();
        return attached.created()
                ? ResponseEntity.created(URI.create("/api/v1/photos/" + photo.id())).body(photo)
                : ResponseEntity.ok(photo);
    }

    @GetMapping("/api/v1/reports/{reportId}/photos")
    List<Photo> ofReport(@PathVariable UUID reportId, @AuthenticationPrincipal Actor actor) {
        return attaching.ofReport(reportId, actor).stream().map(ReportPhoto::toWire).toList();
    }

    @GetMapping("/api/v1/photos/{id}")
    Photo get(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return attaching.readable(id, actor).toWire();
    }

    @GetMapping("/api/v1/photos/{id}/content")
    ResponseEntity<InputStreamResource> content(@PathVariable UUID id, @AuthenticationPrincipal Actor actor)
            throws IOException {
        AttachingPhotos.Readable readable = attaching.readableOnSite(id, actor);
        ReportPhoto photo = readable.photo();
        InputStream content = attaching.content(photo);
        read(actor, RecordsRead.Access.DOWNLOADED, readable);
        return image(content, MediaType.parseMediaType(photo.type().mediaType), photo.sizeBytes(),
                photo.id() + "." + photo.type().extension, photo.sha256());
    }

    @GetMapping("/api/v1/photos/{id}/thumbnail")
    ResponseEntity<InputStreamResource> thumbnail(@PathVariable UUID id, @AuthenticationPrincipal Actor actor)
            throws IOException {
        AttachingPhotos.Readable readable = attaching.readableOnSite(id, actor);
        ReportPhoto photo = readable.photo();
        if (photo.thumbnailDue()) {
            throw thumbnailPending();
        }
        InputStream thumbnail = attaching.thumbnail(photo).orElseThrow(() -> new RejectedRequest(HttpStatus.NOT_FOUND,
                "no-thumbnail", "No thumbnail", photo.pending() ? "The photo's content has not arrived yet."
                        : "No thumbnail can be made of this " + photo.type().mediaType + " photo."));
        read(actor, RecordsRead.Access.PREVIEWED, readable);
        return image(thumbnail, MediaType.IMAGE_JPEG, -1, photo.id() + "-thumbnail.jpg", photo.sha256() + "-thumb");
    }

    /**
     * What a change of a photo's details says: its caption (empty or absent clears it; its length is checked once
     * stripped, as on every path), and the version changed.
     */
    record PhotoChange(String caption, @NotNull Long version) {
    }

    /** Writes a photo's caption; the photo's content and the rest of its details stay. */
    @PutMapping("/api/v1/photos/{id}/caption")
    @PreAuthorize("hasRole('WORKER')")
    Photo recaption(@PathVariable UUID id, @Valid @RequestBody PhotoChange body, @AuthenticationPrincipal Actor actor) {
        return attaching.recaption(id, body.caption(), body.version(), actor).toWire();
    }

    @DeleteMapping("/api/v1/photos/{id}")
    @PreAuthorize("hasRole('WORKER')")
    ResponseEntity<Void> remove(@PathVariable UUID id, @RequestParam long version, @AuthenticationPrincipal Actor actor) {
        attaching.remove(id, version, actor);
        return ResponseEntity.noContent().build();
    }

    /** Tells the read-access log who was given which photo, once it is about to be sent. */
    private void read(Actor actor, RecordsRead.Access access, AttachingPhotos.Readable readable) {
        events.publishEvent(new RecordsRead(actor, access, "Photo",
                List.of(new RecordsRead.Item(readable.photo().id(), readable.siteId()))));
    }

    /** 404 with Retry-After: the thumbnail will exist shortly; a page shows a placeholder until then. */
    private static RejectedRequest thumbnailPending() {
        RejectedRequest pending = new RejectedRequest(HttpStatus.NOT_FOUND, "thumbnail-pending", "Thumbnail not made yet",
                "The thumbnail of this photo is being made; ask again in a few seconds.");
        pending.getHeaders().set(HttpHeaders.RETRY_AFTER, "2");
        return pending;
    }

    private static ResponseEntity<InputStreamResource> image(InputStream content, MediaType type, long length,
            String filename, String etag) {
        var response = ResponseEntity.ok()
                .contentType(type)
                .eTag("\"" + etag + "\"")
                .cacheControl(CacheControl.noCache().cachePrivate())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(filename).build().toString());
        if (length >= 0) {
            response.contentLength(length);
        }
        return response.body(new InputStreamResource(content));
    }
}

package app.fieldbook.attachments;

import app.fieldbook.RejectedRequest;
import app.fieldbook.identity.Actor;
import app.fieldbook.attachments.PhotoEvent.PhotoAttached;
import app.fieldbook.attachments.PhotoEvent.PhotoRecaptioned;
import app.fieldbook.attachments.PhotoEvent.PhotoRemoved;
import app.fieldbook.attachments.PhotoEvent.PhotoStored;
import app.fieldbook.reports.ReportEvent.ReportDeleted;
import app.fieldbook.reports.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Attaching photos to reports and reading them back. An upload is streamed once to a staging file in the
 * store's directory while its SHA-256 and size are computed (around the page cache where the file system allows
 * it, {@link UncachedFiles}), inspected ({@link #inspect}: its type by its
 * leading bytes, its container from first byte to last, the pixel size it declares), stored (one fsync,
 * then a rename), and only then recorded in one transaction with its audit event; the answer is sent after
 * that commit. A refused upload is deleted and never becomes visible in the store. Nothing decodes the
 * image on this path: its thumbnail is made afterwards by {@link MakingThumbnails}. Reading a photo is
 * allowed exactly when reading its report is.
 */
@Service
class AttachingPhotos {

    /** What the uploader says about a photo. */
    record Details(UUID id, String caption, OffsetDateTime takenAt, Double latitude, Double longitude) {
    }

    /** Outcome of an upload; {@code created} is false when the same upload was replayed. */
    record Attached(ReportPhoto photo, boolean created) {
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ReportPhotos photos;
    private final PhotoStore store;
    private final MakingThumbnails makingThumbnails;
    private final Reports reports;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final AttachmentSettings settings;
    private final UploadAdmission admission;
    private final Clock clock;

    AttachingPhotos(ReportPhotos photos, PhotoStore store, MakingThumbnails makingThumbnails, Reports reports,
            ApplicationEventPublisher events, TransactionTemplate transactions, AttachmentSettings settings,
            UploadAdmission admission, Clock clock) {
        this.photos = photos;
        this.store = store;
        this.makingThumbnails = makingThumbnails;
        this.reports = reports;
        this.events = events;
        this.transactions = transactions;
        this.settings = settings;
        this.admission = admission;
        this.clock = clock;
    }

    Attached attach(UUID reportId, Details details, InputStream content, Actor actor) throws IOException {
        requireEditable(reportId, actor);
        Kept kept = admission.admitted(() -> keep(content));
        Attached attached = transactions.execute(status -> record(reportId, details, actor, kept.sha256(), kept.type(),
                kept.size(), kept.thumbnail()));
        if (attached.created() && kept.thumbnail().due()) {
            makingThumbnails.nudge();
        }
        return attached;
    }

    /** An upload's content, checked and in the store. */
    private record Kept(String sha256, PhotoType type, long size, Thumbnail thumbnail) {
    }

    /**
     * Reads an upload's content, {@linkplain #inspect inspects} it and puts it in the store: the work of an upload
     * that needs no database, done in the upload's own turn.
     */
    private Kept keep(InputStream content) throws IOException {
        Staged staged = stage(content);
        boolean stored = false;
        try {
            PhotoType type = inspect(staged.file());
            // the store takes the file (moves or discards it)
            store.put(staged.sha256(), staged.file());
            stored = true;
            return new Kept(staged.sha256(), type, staged.size(), thumbnailOf(staged.sha256(), type));
        } finally {
            if (!stored) {
                Files.deleteIfExists(staged.file());
            }
        }
    }

    /**
     * Records a photo a device announced, before its content arrives: pending, with the SHA-256 and
     * size the content must have, and the device that will send it. Announcing the same photo again
     * changes nothing. A SHA-256 that is not 64 lower-case hexadecimal digits, or a size below one byte,
     * is refused (422 {@code invalid-photo}): no content could ever match it.
     */
    ReportPhoto announce(UUID photoId, UUID reportId, Details details, String sha256, long size, UUID deviceId,
            Actor actor) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw invalidPhoto("sha256 must be 64 lower-case hexadecimal digits, not '" + sha256 + "'");
        }
        if (size < 1) {
            throw invalidPhoto("size must be at least 1 byte, not " + size);
        }
        requireCaptionFits(details.caption());
        Reports.Reference report = requireEditable(reportId, actor);
        Optional<ReportPhoto> existing = photos.findById(photoId);
        if (existing.isPresent()) {
            if (existing.get().reportId().equals(reportId) && existing.get().sha256().equals(sha256)) {
                return existing.get();
            }
            throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                    "A different photo already has the id " + photoId + ".");
        }
        if (size > settings.maxPhotoSize().toBytes()) {
            throw tooLarge();
        }
        ReportPhoto photo = new ReportPhoto(photoId, reportId, sha256, null, size, details.caption(), details.takenAt(),
                details.latitude(), details.longitude(), false, false, actor.id(), deviceId,
                ReportPhoto.ANNOUNCED_VERSION, OffsetDateTime.now(clock), true, null);
        photos.insert(photo);
        events.publishEvent(new PhotoAttached(actor, photo.id(), reportId, report.siteId(), photo.auditedFields()));
        return photo;
    }

    /**
     * Takes the content of a pending photo: checks its SHA-256 against the announced one, {@linkplain #inspect
     * inspects} it, stores it (moving the file into the store, not copying it, when both are on one file
     * system), and marks the photo stored, in one transaction with its audit event. Once stored, the file is
     * gone from {@code content}; content that is refused is deleted (the photo stays pending, and the device
     * must send it again from the start).
     */
    ReportPhoto receive(UUID photoId, Path content, Actor actor) throws IOException {
        ReportPhoto photo = readable(photoId, actor);
        if (!photo.pending()) {
            return photo;
        }
        if (!actor.id().equals(photo.uploadedBy())) {
            throw notUploader("Only the person who announced a photo sends its content.");
        }
        String sha256 = sha256Of(content);
        PhotoType type;
        try {
            if (!sha256.equals(photo.sha256())) {
                throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "hash-mismatch", "Content does not match",
                        "The uploaded content does not have the announced SHA-256; upload it again from the start.");
            }
            type = inspect(content);
        } catch (RejectedRequest refused) {
            Files.deleteIfExists(content);
            throw refused;
        }
        store.put(sha256, content);
        Thumbnail thumbnail = thumbnailOf(sha256, type);
        ReportPhoto received = transactions.execute(status -> {
            Reports.Reference report = reports.readable(photo.reportId(), actor);
            photos.markStored(photoId, type, thumbnail.made(), thumbnail.due());
            ReportPhoto stored = photos.findById(photoId).orElseThrow();
            events.publishEvent(new PhotoStored(actor, photoId, photo.reportId(), report.siteId(),
                    photo.auditedFields(), stored.auditedFields()));
            return stored;
        });
        if (thumbnail.due()) {
            makingThumbnails.nudge();
        }
        return received;
    }

    List<ReportPhoto> visible(Collection<UUID> ids, Actor actor) {
        List<ReportPhoto> found = photos.findByIds(ids);
        Set<UUID> readable = reports.readableIds(found.stream().map(ReportPhoto::reportId)
                .collect(Collectors.toSet()), actor);
        return found.stream().filter(photo -> readable.contains(photo.reportId())).toList();
    }

    List<ReportPhoto> ofReport(UUID reportId, Actor actor) {
        reports.readable(reportId, actor);
        return photos.ofReport(reportId);
    }

    boolean awaitsContent(UUID photoId) {
        return photos.findById(photoId).map(ReportPhoto::pending).orElse(false);
    }

    int awaitingContentFrom(UUID deviceId) {
        return photos.countPendingAnnouncedBy(deviceId);
    }

    /**
     * The photo if this person on this device may send its content: the user who announced it, from the
     * device that announced it (any device of theirs for a photo announced before devices were recorded).
     *
     * @throws RejectedRequest 404 outside the person's scope, 403 {@code not-uploader} for anyone else
     */
    ReportPhoto uploadable(UUID photoId, UUID deviceId, Actor actor) {
        ReportPhoto photo = readable(photoId, actor);
        if (!actor.id().equals(photo.uploadedBy())) {
            throw notUploader("Only the person who announced a photo sends its content.");
        }
        if (photo.announcedByDevice() != null && !photo.announcedByDevice().equals(deviceId)) {
            throw notUploader(deviceId == null
                    ? "Say which device sends the content, in the Fieldbook-Device-Id header."
                    : "Only the device that announced a photo sends its content; this is another device.");
        }
        return photo;
    }

    /** The photo if the person may read its report; 404 otherwise. */
    ReportPhoto readable(UUID photoId, Actor actor) {
        return readableOnSite(photoId, actor).photo();
    }

    /** A photo the person may read, and the site of its report. */
    record Readable(ReportPhoto photo, UUID siteId) {
    }

    /** The photo if the person may read its report, with the report's site; 404 otherwise. */
    Readable readableOnSite(UUID photoId, Actor actor) {
        ReportPhoto photo = photos.findById(photoId).orElseThrow(() -> RejectedRequest.notFound("Photo", photoId));
        return new Readable(photo, reports.readable(photo.reportId(), actor).siteId());
    }

    InputStream content(ReportPhoto photo) throws IOException {
        if (photo.pending()) {
            throw new RejectedRequest(HttpStatus.NOT_FOUND, "photo-pending", "Photo still uploading",
                    "The device that took this photo has not finished uploading it.");
        }
        return store.open(photo.sha256());
    }

    Optional<InputStream> thumbnail(ReportPhoto photo) throws IOException {
        if (!photo.hasThumbnail()) {
            return Optional.empty();
        }
        return Optional.of(store.open(ReportPhoto.thumbnailKey(photo.sha256())));
    }

    /**
     * Writes the caption of a photo of the author's editable report (a blank one clears it), if {@code version} is
     * one the change may be based on ({@link ReportPhoto#changeableFrom}); the same caption again changes nothing.
     * Pending or stored, the photo keeps its content.
     *
     * @throws RejectedRequest 422 {@code invalid-photo} for a caption over {@value ReportPhoto#MAX_CAPTION}
     *     characters, 404 outside the person's scope, 403 unless they wrote the report, 409 unless it is editable,
     *     409 {@code stale-version} for a version the photo has moved on from
     */
    ReportPhoto recaption(UUID photoId, String caption, long version, Actor actor) {
        String written = caption == null || caption.isBlank() ? null : caption.strip();
        requireCaptionFits(written);
        return transactions.execute(status -> {
            // a second read when the photo changed between the first and the write: its content's arrival, which
            // the version may still be based on, can come in between
            for (int attempt = 1; ; attempt++) {
                ReportPhoto photo = readable(photoId, actor);
                Reports.Reference report = requireEditable(photo.reportId(), actor);
                if (!photo.changeableFrom(version)) {
                    throw RejectedRequest.staleVersion("Photo", version, photo.version());
                }
                if (Objects.equals(written, photo.caption())) {
                    return photo;
                }
                if (photos.recaption(photoId, written, photo.version())) {
                    ReportPhoto recaptioned = photo.recaptioned(written);
                    events.publishEvent(new PhotoRecaptioned(actor, photoId, photo.reportId(), report.siteId(),
                            photo.auditedFields(), recaptioned.auditedFields()));
                    return recaptioned;
                }
                if (attempt == 2) {
                    throw RejectedRequest.staleVersion("Photo", version, photo.version() + 1);
                }
            }
        });
    }

    void remove(UUID photoId, long version, Actor actor) {
        transactions.executeWithoutResult(status -> {
            ReportPhoto photo = readable(photoId, actor);
            Reports.Reference report = requireEditable(photo.reportId(), actor);
            if (!photo.changeableFrom(version)) {
                throw RejectedRequest.staleVersion("Photo", version, photo.version());
            }
            if (!photos.delete(photoId, photo.version())) {
                throw RejectedRequest.staleVersion("Photo", version, photo.version() + 1);
            }
            events.publishEvent(new PhotoRemoved(actor, photoId, photo.reportId(), report.siteId(),
                    photo.auditedFields()));
        });
    }

    /**
     * Removes the photos of a report that is being deleted, in the same transaction, before the report's row
     * goes and before anything else hears of the deletion.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void removeInSameTransactionWhenReportDeleted(ReportDeleted deleted) {
        for (ReportPhoto photo : photos.ofReport(deleted.reportId())) {
            events.publishEvent(new PhotoRemoved(deleted.actor(), photo.id(), photo.reportId(), deleted.siteId(),
                    photo.auditedFields()));
        }
        photos.deleteOfReport(deleted.reportId());
    }

    private Attached record(UUID reportId, Details details, Actor actor, String sha256, PhotoType type, long size,
            Thumbnail thumbnail) {
        requireCaptionFits(details.caption());
        Reports.Reference report = requireEditable(reportId, actor);
        if (details.id() != null) {
            Optional<ReportPhoto> existing = photos.findById(details.id());
            if (existing.isPresent()) {
                if (existing.get().reportId().equals(reportId) && existing.get().sha256().equals(sha256)) {
                    return new Attached(existing.get(), false);
                }
                throw new RejectedRequest(HttpStatus.CONFLICT, "id-taken", "Id taken",
                        "A different photo already has the id " + details.id() + ".");
            }
        }
        ReportPhoto photo = new ReportPhoto(details.id() == null ? UUID.randomUUID() : details.id(), reportId, sha256,
                type, size, details.caption(), details.takenAt(), details.latitude(), details.longitude(),
                thumbnail.made(), thumbnail.due(), actor.id(), null, 1, OffsetDateTime.now(clock), false, null);
        photos.insert(photo);
        events.publishEvent(new PhotoAttached(actor, photo.id(), reportId, report.siteId(), photo.auditedFields()));
        return new Attached(photo, true);
    }

    private Reports.Reference requireEditable(UUID reportId, Actor actor) {
        Reports.Reference report = reports.readable(reportId, actor);
        if (!actor.id().equals(report.authorId())) {
            throw new RejectedRequest(HttpStatus.FORBIDDEN, "not-author", "Only the author may change photos",
                    "Only the author of a daily report may attach, caption or remove its photos.");
        }
        if (!report.editableByCaller()) {
            throw new RejectedRequest(HttpStatus.CONFLICT, "report-status", "Report is not editable",
                    "Photos can be attached, captioned or removed on a draft or returned report only.");
        }
        return report;
    }

    /** An upload's bytes in a staging file of the store's file system, with their SHA-256 and size. */
    private record Staged(Path file, String sha256, long size) {
    }

    /**
     * Streams the upload once into a staging file in the store's directory while hashing it, refusing it
     * past the size limit. The store then syncs the file and renames it into place: one write, one fsync.
     */
    private Staged stage(InputStream content) throws IOException {
        Path incoming = settings.incoming();
        if (!Files.isDirectory(incoming)) {
            Files.createDirectories(incoming);
        }
        Path staged = Files.createTempFile(incoming, "upload-", ".part");
        long limit = settings.maxPhotoSize().toBytes();
        MessageDigest digest = sha256();
        long total;
        try (InputStream in = content;
                OutputStream out = new DigestOutputStream(UncachedFiles.writer(staged, 0), digest)) {
            total = GatheredCopy.copyAtMost(in, out, limit, () -> { });
            if (total > limit) {
                throw tooLarge();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
        if (total == 0) {
            Files.deleteIfExists(staged);
            throw new RejectedRequest(HttpStatus.BAD_REQUEST, "empty-photo", "Empty photo", "The uploaded file is empty.");
        }
        return new Staged(staged, HexFormat.of().formatHex(digest.digest()), total);
    }

    /**
     * The one inspection of an upload before it is stored, reading the file but decoding nothing: its type
     * by its leading bytes (415 {@code unsupported-photo-type}), its container from first byte to last
     * ({@link PhotoStructure}; 422 {@code malformed-photo}: truncated, garbage after a valid header, a
     * polyglot), and the pixels it declares (422 {@code too-many-pixels}, so that nothing ever decodes an
     * image too large for it).
     */
    private PhotoType inspect(Path staged) throws IOException {
        byte[] head = new byte[PhotoType.HEAD_LENGTH];
        int length;
        try (InputStream in = UncachedFiles.reader(staged)) {
            length = in.readNBytes(head, 0, head.length);
        }
        PhotoType type = PhotoType.detect(head, length).orElseThrow(() -> new RejectedRequest(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-photo-type", "Not a supported photo",
                "The file's content is not a JPEG, PNG, WebP or HEIC/HEIF image."));
        PixelSize size;
        try {
            size = PhotoStructure.read(staged, type);
        } catch (MalformedImage malformed) {
            throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "malformed-photo", "Not a well-formed photo",
                    "The file starts like a " + type.mediaType + " image but is not one: " + malformed.getMessage()
                            + ".");
        }
        if (size.pixels() > settings.maxPixels()) {
            throw new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "too-many-pixels", "Image too large",
                    "The image declares " + size.width() + " x " + size.height() + " pixels; a photo may "
                            + "have at most " + settings.maxPixels() + " pixels.",
                    Map.of("width", size.width(), "height", size.height(), "maxPixels", settings.maxPixels()));
        }
        return type;
    }

    /** Where a photo's thumbnail stands when it is recorded: made already (same content), due, or never. */
    private record Thumbnail(boolean made, boolean due) {
    }

    private Thumbnail thumbnailOf(String sha256, PhotoType type) throws IOException {
        if (!Thumbnails.canDecode(type)) {
            return new Thumbnail(false, false);
        }
        boolean made = store.contains(ReportPhoto.thumbnailKey(sha256));
        return new Thumbnail(made, !made);
    }

    private static void requireCaptionFits(String caption) {
        if (caption != null && caption.length() > ReportPhoto.MAX_CAPTION) {
            throw invalidPhoto("A caption may have at most " + ReportPhoto.MAX_CAPTION + " characters; this one has "
                    + caption.length() + ".");
        }
    }

    private static RejectedRequest notUploader(String detail) {
        return new RejectedRequest(HttpStatus.FORBIDDEN, "not-uploader", "Not your upload", detail);
    }

    private static RejectedRequest invalidPhoto(String detail) {
        return new RejectedRequest(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-photo", "Invalid photo", detail);
    }

    long settingsMaxBytes() {
        return settings.maxPhotoSize().toBytes();
    }

    RejectedRequest tooLarge() {
        return new RejectedRequest(HttpStatus.CONTENT_TOO_LARGE, "photo-too-large", "Photo too large",
                "A photo may have at most " + settings.maxPhotoSize().toMegabytes() + " MB.",
                Map.of("maxBytes", settings.maxPhotoSize().toBytes()));
    }

    private static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new java.security.DigestInputStream(UncachedFiles.reader(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

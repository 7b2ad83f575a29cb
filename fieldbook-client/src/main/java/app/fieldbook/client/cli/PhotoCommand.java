package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.PhotoDetails;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.protocol.Photo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "photo", description = "Attach photos to reports and see their uploads.",
        synopsisSubcommandLabel = "COMMAND", subcommands = {PhotoCommand.Add.class, PhotoCommand.Caption.class, PhotoCommand.Remove.class,
                PhotoCommand.ListUploads.class, PhotoCommand.Discard.class})
final class PhotoCommand extends CommandGroup {

    @Command(name = "add", description = "Attach a photo to a draft or returned report; it uploads with the next sync.")
    static final class Add extends ClientCommand {

        @Parameters(index = "0", paramLabel = "REPORT_ID", description = "The report's id (or its first characters).")
        private String reportId;

        @Parameters(index = "1", paramLabel = "FILE", description = "The photo (JPEG, PNG, WebP, HEIC).")
        private Path file;

        @Option(names = "--caption", paramLabel = "TEXT")
        private String caption;

        @Option(names = "--taken-at", paramLabel = "TIME", converter = OffsetTime.class,
                description = "When it was taken, e.g. 2025-06-02T14:30:00+02:00 (default: the file's time).")
        private OffsetDateTime takenAt;

        @Option(names = "--latitude", paramLabel = "DEGREES")
        private Double latitude;

        @Option(names = "--longitude", paramLabel = "DEGREES")
        private Double longitude;

        @Override
        void checkArguments() {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(invocation.commandLine(), "No such file: " + file);
            }
            if ((latitude == null) != (longitude == null)) {
                throw new ParameterException(invocation.commandLine(), "Give both --latitude and --longitude, or neither");
            }
        }

        @Override
        int run(FieldbookClient client) throws IOException {
            OffsetDateTime taken = takenAt != null ? takenAt
                    : Files.getLastModifiedTime(file).toInstant().atZone(ZoneId.systemDefault()).toOffsetDateTime();
            UUID report = ReportCommand.reportId(invocation.commandLine(), client, reportId);
            PhotoUpload upload = client.attachPhoto(report, file, new PhotoDetails(caption, taken, latitude, longitude));
            ShortIds ids = ShortIds.known(client);
            invocation.out().println("Attached photo " + ids.of(upload.photoId()) + " ("
                    + upload.size() + " bytes) to report " + ids.of(report) + "; it uploads with the next sync.");
            return 0;
        }
    }

    /** The photo on the device that {@code typed} (an id or its first characters) names; a usage error otherwise. */
    static UUID photoId(Invocation invocation, FieldbookClient client, String typed) {
        return ShortIds.resolve(invocation.commandLine(), typed, client.photos().stream().map(Photo::id).toList(),
                "photo");
    }

    @Command(name = "caption", description = "Write, change or clear (an empty TEXT) the caption of a photo of a draft "
            + "or returned report; it goes to the server with the next sync.")
    static final class Caption extends ClientCommand {

        @Parameters(index = "0", paramLabel = "PHOTO_ID", description = "The photo's id (or its first characters).")
        private String photoId;

        @Parameters(index = "1", paramLabel = "TEXT", description = "The caption; \"\" clears it.")
        private String caption;

        @Override
        int run(FieldbookClient client) {
            UUID id = photoId(invocation, client, photoId);
            Photo photo = client.captionPhoto(id, caption);
            String shown = ShortIds.known(client).of(id);
            invocation.out().println(photo.caption() == null ? "Cleared the caption of photo " + shown + "."
                    : "Captioned photo " + shown + " \"" + photo.caption() + "\"; it goes with the next sync.");
            return 0;
        }
    }

    @Command(name = "remove", description = "Take a photo off a draft or returned report; one the server has leaves it "
            + "with the next sync.")
    static final class Remove extends ClientCommand {

        @Parameters(index = "0", paramLabel = "PHOTO_ID", description = "The photo's id (or its first characters).")
        private String photoId;

        @Override
        int run(FieldbookClient client) {
            UUID id = photoId(invocation, client, photoId);
            String shown = ShortIds.known(client).of(id);
            client.removePhoto(id);
            invocation.out().println("Removed photo " + shown + ".");
            return 0;
        }
    }

    @Command(name = "list", description = "List the photos on this device (attached here, or pulled with their "
            + "reports): caption, report, and where the photo is.")
    static final class ListUploads extends ClientCommand {

        @Override
        int run(FieldbookClient client) {
            PrintWriter out = invocation.out();
            Map<UUID, PhotoUpload> uploads = client.photoUploads().stream()
                    .collect(Collectors.toMap(PhotoUpload::photoId, upload -> upload, (one, other) -> one));
            List<Photo> photos = client.photos();
            Set<UUID> shown = photos.stream().map(Photo::id).collect(Collectors.toSet());
            List<PhotoUpload> refusedOnly = uploads.values().stream()
                    .filter(upload -> upload.state() == PhotoUpload.State.FAILED && !shown.contains(upload.photoId()))
                    .toList();
            if (photos.isEmpty() && refusedOnly.isEmpty()) {
                out.println("No photos on this device.");
                return 0;
            }
            ShortIds ids = ShortIds.known(client);
            for (Photo photo : photos) {
                out.println(ids.of(photo.id()) + "  report " + ids.of(photo.reportId()) + "  "
                        + (photo.caption() == null ? "(no caption)" : photo.caption()) + "  "
                        + where(uploads.get(photo.id())));
            }
            for (PhotoUpload upload : refusedOnly) {
                out.println(ids.of(upload.photoId()) + "  report " + ids.of(upload.reportId()) + "  "
                        + where(upload));
            }
            return 0;
        }

        /** Where a photo is: on the server, on this device to be uploaded (how far), or refused (why). */
        private static String where(PhotoUpload upload) {
            if (upload == null) {
                return "on the server";
            }
            return switch (upload.state()) {
                case UPLOADED -> "on the server";
                case WAITING -> "on this device, " + upload.uploaded() + "/" + upload.size()
                        + " bytes uploaded; the rest goes with the next sync";
                case FAILED -> "REFUSED: " + upload.error() + " (discard the device's copy with 'fieldbook photo "
                        + "discard')";
            };
        }
    }

    @Command(name = "discard", description = "Delete this device's copy of a photo the server refused.")
    static final class Discard extends ClientCommand {

        @Parameters(index = "0", paramLabel = "PHOTO_ID", description = "The photo's id (or its first characters).")
        private String photoId;

        @Override
        int run(FieldbookClient client) {
            List<UUID> refused = client.photoUploads().stream()
                    .filter(upload -> upload.state() == PhotoUpload.State.FAILED).map(PhotoUpload::photoId).toList();
            UUID id = ShortIds.resolve(invocation.commandLine(), photoId, refused, "refused photo");
            String shown = ShortIds.known(client).of(id);
            client.discardFailedPhoto(id);
            invocation.out().println("Discarded the copy of photo " + shown + ".");
            return 0;
        }
    }

    static final class OffsetTime extends ParsedValue<OffsetDateTime> {
        OffsetTime() {
            super(OffsetDateTime::parse, "a time with offset (2025-06-02T14:30:00+02:00)");
        }
    }
}

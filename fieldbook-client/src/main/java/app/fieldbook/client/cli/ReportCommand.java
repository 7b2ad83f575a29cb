package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LocalReport;
import app.fieldbook.client.NotSignedIn;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.protocol.CrewRow;
import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.ReportContent;
import app.fieldbook.protocol.ReportStatus;
import app.fieldbook.protocol.SiteReference;
import app.fieldbook.protocol.Weather;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "report", description = "Write, edit, submit and list daily reports (works offline).",
        synopsisSubcommandLabel = "COMMAND", subcommands = {ReportCommand.New.class, ReportCommand.Edit.class, ReportCommand.Submit.class,
                ReportCommand.Delete.class, ReportCommand.ListReports.class, ReportCommand.Show.class})
final class ReportCommand extends CommandGroup {

    static UUID reportId(CommandLine commandLine, FieldbookClient client, String typed) {
        return ShortIds.resolve(commandLine, typed, client.reports().stream().map(LocalReport::id).toList(), "report");
    }

    static String describe(LocalReport report, FieldbookClient client) {
        ShortIds ids = ShortIds.known(client);
        String site = client.sites().stream().filter(known -> known.id().equals(report.siteId()))
                .map(SiteReference::code).findFirst().orElse(ids.of(report.siteId()));
        return ids.of(report.id()) + "  " + report.date() + "  " + site + "  " + report.status()
                + (report.synced() ? "" : "  (" + report.waitingChanges() + " change(s) waiting)");
    }

    @Command(name = "new", description = "Start a draft report for a site and day.")
    static final class New extends ClientCommand {

        @Option(names = "--site", required = true, paramLabel = "SITE",
                description = "The site's code or id (or its first characters).")
        private String site;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = IsoDate.class,
                description = "The day the report is for (today at the site when not given).")
        private LocalDate date;

        @Mixin
        private ContentOptions content;

        @Override
        int run(FieldbookClient client) {
            if (client.account().isEmpty()) {
                throw new NotSignedIn("Not signed in on this device.");
            }
            UUID siteId = siteId(client);
            LocalDate day = date != null ? date : client.sites().stream().filter(known -> known.id().equals(siteId))
                    .findFirst().map(client::todayAt).orElseGet(LocalDate::now);
            LocalReport created = client.createReport(siteId, day, content.over(ReportContent.empty()));
            invocation.out().println("Created draft " + describe(created, client)
                    + "\nFull id: " + created.id());
            return 0;
        }

        private UUID siteId(FieldbookClient client) {
            return client.site(site).map(SiteReference::id).orElseGet(() -> {
                List<SiteReference> known = client.sites();
                if (known.isEmpty()) {
                    try {
                        return UUID.fromString(site);
                    } catch (IllegalArgumentException notAnId) {
                        throw new ParameterException(invocation.commandLine(), "Unknown site '" + site
                                + "': this device knows no sites yet; run 'fieldbook sync' first");
                    }
                }
                List<UUID> ids = known.stream().map(SiteReference::id).toList();
                if (site.length() >= ShortIds.MINIMUM && !ShortIds.matching(site, ids).isEmpty()) {
                    return ShortIds.resolve(invocation.commandLine(), site, ids, "site");
                }
                throw new ParameterException(invocation.commandLine(), "Unknown site '" + site + "'; known sites: "
                        + known.stream().map(SiteReference::code).collect(Collectors.joining(", ")));
            });
        }
    }

    @Command(name = "edit", description = "Change sections of a draft or returned report.")
    static final class Edit extends ClientCommand {

        @Mixin
        private ReportId report;

        @Mixin
        private ContentOptions content;

        @Override
        int run(FieldbookClient client) {
            UUID reportId = report.in(client);
            LocalReport current = client.report(reportId).orElseThrow();
            LocalReport edited = client.editReport(reportId, content.over(current.content()));
            invocation.out().println((edited.waitingChanges() > current.waitingChanges()
                    ? "Saved " : "Nothing changed in ") + describe(edited, client));
            return 0;
        }
    }

    @Command(name = "submit", description = "Submit a draft or returned report to the site's manager.")
    static final class Submit extends ClientCommand {

        @Mixin
        private ReportId report;

        @Override
        int run(FieldbookClient client) {
            LocalReport submitted = client.submitReport(report.in(client));
            invocation.out().println("Submitted " + describe(submitted, client)
                    + "; it reaches the server with the next sync.");
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a draft report.")
    static final class Delete extends ClientCommand {

        @Mixin
        private ReportId report;

        @Override
        int run(FieldbookClient client) {
            UUID reportId = report.in(client);
            String shown = ShortIds.known(client).of(reportId);
            client.deleteDraft(reportId);
            invocation.out().println("Deleted draft " + shown + ".");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one report as this device has it: every section, the comment a "
            + "manager returned it with, its photos.")
    static final class Show extends ClientCommand {

        @Mixin
        private ReportId report;

        @Override
        int run(FieldbookClient client) {
            PrintWriter out = invocation.out();
            LocalReport shown = client.report(report.in(client)).orElseThrow();
            ShortIds ids = ShortIds.known(client);
            String site = client.sites().stream().filter(known -> known.id().equals(shown.siteId()))
                    .map(known -> known.code() + " " + known.name()).findFirst().orElse(ids.of(shown.siteId()));
            out.println("Report " + ids.of(shown.id()) + "  " + shown.date() + "  " + site);
            out.println("Status: " + shown.status() + (shown.synced() ? ", synced"
                    : ", " + shown.waitingChanges() + " change(s) waiting for the next sync"));
            if (shown.returnComment() != null && !shown.returnComment().isBlank()) {
                out.println((shown.status() == ReportStatus.RETURNED ? "Returned with: " : "Was returned with: ")
                        + shown.returnComment());
            }
            ReportContent content = shown.content();
            Weather weather = content.weather();
            String conditions = weather == null || weather.conditions() == null ? "" : weather.conditions();
            String temperature = weather == null || weather.temperatureCelsius() == null ? ""
                    : weather.temperatureCelsius().stripTrailingZeros().toPlainString() + " °C";
            section(out, "Weather", String.join(", ", List.of(conditions, temperature).stream()
                    .filter(part -> !part.isEmpty()).toList()));
            List<CrewRow> crew = content.crew() == null ? List.of() : content.crew();
            out.println("Crew:" + (crew.isEmpty() ? " —" : ""));
            for (CrewRow row : crew) {
                out.println("  " + row.trade() + (row.company() == null ? "" : " (" + row.company() + ")") + ": "
                        + row.headcount() + (row.headcount() == 1 ? " person, " : " people, ")
                        + row.hours().stripTrailingZeros().toPlainString() + " h");
            }
            section(out, "Work performed", content.workPerformed());
            section(out, "Delays", content.delays());
            section(out, "Safety incidents", content.safetyIncidents());
            section(out, "Materials", content.materials());
            section(out, "Notes", content.notes());
            Map<UUID, PhotoUpload> uploads = client.photoUploads().stream()
                    .collect(Collectors.toMap(PhotoUpload::photoId, upload -> upload, (one, other) -> one));
            List<Photo> photos = client.photos().stream().filter(photo -> photo.reportId().equals(shown.id())).toList();
            out.println("Photos:" + (photos.isEmpty() ? " —" : ""));
            for (Photo photo : photos) {
                PhotoUpload upload = uploads.get(photo.id());
                String state = upload == null ? "on the server" : switch (upload.state()) {
                    case WAITING -> "on this device, uploaded with the next sync";
                    case UPLOADED -> "on the server";
                    case FAILED -> "refused: " + upload.error();
                };
                out.println("  " + ids.of(photo.id()) + "  " + (photo.caption() == null ? "(no caption)" : photo.caption())
                        + "  " + state);
            }
            return 0;
        }

        private static void section(PrintWriter out, String title, String text) {
            if (text == null || text.isBlank()) {
                out.println(title + ": —");
            } else if (text.contains("\n")) {
                out.println(title + ":");
                text.lines().forEach(line -> out.println("  " + line));
            } else {
                out.println(title + ": " + text);
            }
        }
    }

    @Command(name = "list", description = "List the reports on this device, newest day first.")
    static final class ListReports extends ClientCommand {

        @Override
        int run(FieldbookClient client) {
            PrintWriter out = invocation.out();
            List<LocalReport> reports = client.reports();
            if (reports.isEmpty()) {
                out.println("No reports on this device.");
                return 0;
            }
            Map<UUID, String> codes = client.sites().stream()
                    .collect(Collectors.toMap(SiteReference::id, SiteReference::code));
            ShortIds ids = ShortIds.known(client);
            int width = reports.stream().mapToInt(local -> ids.of(local.id()).length()).max().orElse(0);
            String row = "%-" + width + "s  %-10s  %-10s  %-9s  %s%n";
            out.printf(row, "ID", "DATE", "SITE", "STATUS", "SYNC");
            for (LocalReport local : reports) {
                out.printf(row, ids.of(local.id()), local.date(),
                        codes.getOrDefault(local.siteId(), ids.of(local.siteId())), local.status(),
                        local.synced() ? "synced" : local.waitingChanges() + " change(s) waiting"
                                + (local.serverCopy() == null ? "" : ", newer server copy"));
            }
            return 0;
        }
    }
}

package app.fieldbook.digests;

import app.fieldbook.digests.WaitingReports.WaitingReport;
import app.fieldbook.identity.UserDirectory.Addressee;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.mail.SimpleMailMessage;

/**
 * One manager's review digest of one day: the reports waiting for their review, grouped by site in the order
 * given, each with its day, author, how long it has waited and its link in the web app ({@code #/reports/{id}}).
 *
 * @param manager whom it goes to
 * @param day the day it is sent for, in the digests' time zone
 * @param sites the sites with waiting reports, each with its reports; none is empty
 */
record ReviewDigest(Addressee manager, LocalDate day, List<Site> sites) {

    /** A site's reports waiting for review. */
    record Site(String code, String name, List<Entry> reports) {
    }

    /** A report waiting for review, as the digest lists it. */
    record Entry(UUID reportId, LocalDate date, String author, Instant submittedAt) {
    }

    ReviewDigest {
        sites = List.copyOf(sites);
    }

    /**
     * The digest of these waiting reports, grouped by site in the order the reports come in; authors named by
     * {@code authors} (an author missing there is named by their id).
     */
    static ReviewDigest of(Addressee manager, LocalDate day, List<WaitingReport> waiting, Map<UUID, String> authors) {
        Map<UUID, Site> sites = new LinkedHashMap<>();
        for (WaitingReport report : waiting) {
            sites.computeIfAbsent(report.siteId(), id -> new Site(report.siteCode(), report.siteName(),
                    new ArrayList<>())).reports().add(new Entry(report.id(), report.date(),
                    authors.getOrDefault(report.authorId(), report.authorId().toString()),
                    report.submittedAt().toInstant()));
        }
        return new ReviewDigest(manager, day, sites.values().stream()
                .map(site -> new Site(site.code(), site.name(), List.copyOf(site.reports()))).toList());
    }

    /** How many reports it lists. */
    int reports() {
        return sites.stream().mapToInt(site -> site.reports().size()).sum();
    }

    /**
     * The mail, in plain text.
     *
     * @param from the sender's address
     * @param baseUrl the web app's address, without a trailing slash
     * @param now the time the waits are counted to
     */
    SimpleMailMessage message(String from, String baseUrl, Instant now) {
        int count = reports();
        StringBuilder text = new StringBuilder()
                .append("Good morning, ").append(manager.person().name()).append(".\n\n")
                .append(count == 1 ? "1 daily report is" : count + " daily reports are")
                .append(" waiting for your review");
        text.append(sites.size() == 1 ? "." : ", on " + sites.size() + " sites.").append("\n");
        for (Site site : sites) {
            text.append("\n").append(site.name()).append(" (").append(site.code()).append(")\n");
            for (Entry report : site.reports()) {
                text.append("  - ").append(report.date()).append(", ").append(report.author())
                        .append(", waiting ").append(waited(Duration.between(report.submittedAt(), now))).append("\n")
                        .append("    ").append(baseUrl).append("/#/reports/").append(report.reportId()).append("\n");
            }
        }
        text.append("\nAll reports waiting for review: ").append(baseUrl).append("/#/review\n")
                .append("\nFieldbook sends this mail each morning that reports wait for you.\n");
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(manager.email());
        message.setSubject("Fieldbook: " + (count == 1 ? "1 report" : count + " reports")
                + " waiting for your review (" + day + ")");
        message.setText(text.toString());
        return message;
    }

    /** How long a report has waited, in words: under an hour, hours up to two days, then days. */
    static String waited(Duration waited) {
        if (waited.compareTo(Duration.ofHours(1)) < 0) {
            return "less than an hour";
        }
        if (waited.compareTo(Duration.ofHours(48)) < 0) {
            long hours = waited.toHours();
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        return waited.toDays() + " days";
    }
}

package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.LocalReport;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.RejectedChange;
import app.fieldbook.client.WaitingChange;
import app.fieldbook.protocol.Conflict;
import app.fieldbook.protocol.SiteReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Ids as people type them, as git shows commits: in lists the shortest prefix of at least {@value #MINIMUM}
 * hex digits that no other id the device knows starts with, and on the command line any unique prefix.
 * Time-ordered ids (UUIDv7) made within the same minute share their first eight digits and more, so a
 * fixed length would print the same text for several of them.
 *
 * <p>Prefixes are unique among every id of the device (reports, photos, conflicts, sites, waiting and
 * refused changes), so a printed prefix stays unique among the fewer candidates a command accepts.
 * Dashes do not count: {@code 0190a1b2-7c} and {@code 0190a1b27c} are the same prefix.
 */
final class ShortIds {

    static final int MINIMUM = 8;

    private final NavigableSet<String> known;

    private ShortIds(Collection<UUID> ids) {
        this.known = ids.stream().map(ShortIds::digits).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Prefixes unique among {@code ids}. */
    static ShortIds among(Collection<UUID> ids) {
        return new ShortIds(ids);
    }

    /** Prefixes unique among every id the device knows. */
    static ShortIds known(FieldbookClient client) {
        List<UUID> ids = new ArrayList<>();
        client.reports().stream().map(LocalReport::id).forEach(ids::add);
        client.reports().stream().map(LocalReport::siteId).forEach(ids::add);
        client.sites().stream().map(SiteReference::id).forEach(ids::add);
        for (PhotoUpload upload : client.photoUploads()) {
            ids.add(upload.photoId());
            ids.add(upload.reportId());
        }
        for (Conflict conflict : client.conflicts()) {
            ids.add(conflict.id());
            ids.add(conflict.entityId());
        }
        for (RejectedChange rejected : client.rejectedChanges()) {
            ids.add(rejected.operationId());
            ids.add(rejected.entityId());
        }
        for (WaitingChange waiting : client.waitingChanges()) {
            ids.add(waiting.operationId());
            ids.add(waiting.entityId());
        }
        return new ShortIds(ids);
    }

    /** The shortest prefix of {@code id}, at least {@value #MINIMUM} digits, that no other known id shares. */
    String of(UUID id) {
        String digits = digits(id);
        int length = MINIMUM;
        String lower = known.lower(digits);
        String higher = known.higher(digits);
        length = Math.max(length, lower == null ? 0 : sharedLength(digits, lower) + 1);
        length = Math.max(length, higher == null ? 0 : sharedLength(digits, higher) + 1);
        return withDashes(id, Math.min(length, digits.length()));
    }

    /**
     * The one id of {@code candidates} starting with {@code typed} (dashes ignored).
     *
     * @throws ParameterException none or several match; several are listed with their unique prefixes
     */
    static UUID resolve(CommandLine commandLine, String typed, Collection<UUID> candidates, String noun) {
        List<UUID> matches = matching(typed, candidates);
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new ParameterException(commandLine, "No " + noun + " '" + typed + "' on this device");
        }
        ShortIds among = new ShortIds(candidates);
        throw new ParameterException(commandLine, "'" + typed + "' matches " + matches.size() + " " + noun + "s ("
                + matches.stream().map(among::of).collect(Collectors.joining(", ")) + "); type more of the id");
    }

    /** The ids of {@code candidates} starting with {@code typed} (dashes ignored), in order. */
    static List<UUID> matching(String typed, Collection<UUID> candidates) {
        String prefix = typed.trim().toLowerCase(Locale.ROOT).replace("-", "");
        return prefix.isEmpty() ? List.of()
                : candidates.stream().filter(id -> digits(id).startsWith(prefix)).distinct().sorted().toList();
    }

    private static String digits(UUID id) {
        return id.toString().replace("-", "");
    }

    private static int sharedLength(String one, String other) {
        int length = 0;
        while (length < one.length() && length < other.length() && one.charAt(length) == other.charAt(length)) {
            length++;
        }
        return length;
    }

    /** The first {@code digits} hex digits of {@code id} as the id is written, with its dashes. */
    private static String withDashes(UUID id, int digits) {
        String text = id.toString();
        int end = 0;
        for (int counted = 0; counted < digits; end++) {
            if (text.charAt(end) != '-') {
                counted++;
            }
        }
        return text.substring(0, end);
    }
}

package app.fieldbook.client.cli;

import app.fieldbook.client.FieldbookClient;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.WaitingChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What still waits on the device for the server, told as people need it: how many changes and photos,
 * grouped by why they wait, and when a sync tries them again.
 */
final class Backlog {

    private final List<WaitingChange> changes;
    private final List<PhotoUpload> photos;

    private Backlog(List<WaitingChange> changes, List<PhotoUpload> photos) {
        this.changes = changes;
        this.photos = photos;
    }

    static Backlog of(FieldbookClient client) {
        return new Backlog(client.waitingChanges(), client.photoUploads().stream()
                .filter(upload -> upload.state() == PhotoUpload.State.WAITING).toList());
    }

    boolean isEmpty() {
        return changes.isEmpty() && photos.isEmpty();
    }

    /** For example {@code 2 change(s) and 1 photo(s)}. */
    String count() {
        List<String> parts = new ArrayList<>();
        if (!changes.isEmpty()) {
            parts.add(changes.size() + " change(s)");
        }
        if (!photos.isEmpty()) {
            parts.add(photos.size() + " photo(s)");
        }
        return String.join(" and ", parts);
    }

    /** One line per reason the changes wait: {@code 2 change(s): <why>. Next try: <when>.} */
    List<String> changeReasons() {
        return reasons(changes, "change(s)", WaitingChange::lastError, WaitingChange::nextAttemptAt, "Not sent yet.");
    }

    /** One line per reason the photos wait, like {@link #changeReasons()}. */
    List<String> photoReasons() {
        return reasons(photos, "photo(s)", PhotoUpload::error, PhotoUpload::nextAttemptAt, "Not uploaded yet.");
    }

    private static <T> List<String> reasons(List<T> waiting, String noun, Function<T, String> error,
            Function<T, Instant> nextAttemptAt, String untried) {
        Map<String, List<T>> byReason = new LinkedHashMap<>();
        for (T item : waiting) {
            byReason.computeIfAbsent(Objects.requireNonNullElse(error.apply(item), untried), reason -> new ArrayList<>())
                    .add(item);
        }
        List<String> lines = new ArrayList<>();
        byReason.forEach((reason, items) -> {
            List<Instant> times = items.stream().map(nextAttemptAt).toList();
            String next = times.contains(null) ? "with the next sync"
                    : "from " + times.stream().min(Instant::compareTo).orElseThrow();
            lines.add(items.size() + " " + noun + ": " + reason + (reason.endsWith(".") ? "" : ".")
                    + " Next try: " + next + ".");
        });
        return lines;
    }
}

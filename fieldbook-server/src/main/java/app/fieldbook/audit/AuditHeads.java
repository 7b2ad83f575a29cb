package app.fieldbook.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The signed heads of the audit chain, appended to a file outside the database
 * ({@code fieldbook.audit.head-file}), one line each: position, hash, time and the HMAC of the three under
 * the chain's key. The chain in the database must always extend every head written here, so links and
 * events removed from the end of the chain, or the audit tables emptied, are found. The file is only ever
 * appended to.
 */
@Component
class AuditHeads {

    /** One line of the head file; {@code signed} is false when its signature does not hold. */
    record Head(int line, long position, String hash, Instant recordedAt, boolean signed) {
    }

    private final Path file;
    private final AuditKey key;
    private final Clock clock;
    private Head last;
    private boolean read;

    AuditHeads(AuditSettings settings, AuditKey key, Clock clock) {
        this.file = settings.headFile().toAbsolutePath();
        this.key = key;
        this.clock = clock;
    }

    /** Appends the head unless it is the one this node wrote last. */
    synchronized void record(long position, String hash) {
        Head previous = last();
        if (previous != null && previous.position() == position && previous.hash().equals(hash)) {
            return;
        }
        Instant now = clock.instant();
        String line = position + " " + hash + " " + now + " " + key.head(position, hash, now) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append the audit chain's head to " + file, e);
        }
        last = new Head(previous == null ? 1 : previous.line() + 1, position, hash, now, true);
    }

    /** Whether any head was ever written: then the chain was keyed before, whatever the database says. */
    synchronized boolean any() {
        return last() != null;
    }

    /** The head this node wrote last. */
    synchronized Optional<Head> latest() {
        return Optional.ofNullable(last());
    }

    /** Every line of the file, in order. */
    List<Head> read() {
        if (Files.notExists(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            List<Head> heads = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                heads.add(parse(i + 1, lines.get(i)));
            }
            return heads;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit chain's head file " + file, e);
        }
    }

    private Head parse(int line, String text) {
        String[] parts = text.strip().split(" ");
        try {
            long position = Long.parseLong(parts[0]);
            Instant recordedAt = Instant.parse(parts[2]);
            boolean signed = parts.length == 4 && AuditKey.same(key.head(position, parts[1], recordedAt), parts[3]);
            return new Head(line, position, parts[1], recordedAt, signed);
        } catch (RuntimeException e) {
            return new Head(line, -1, "", Instant.EPOCH, false);
        }
    }

    private Head last() {
        if (!read) {
            List<Head> heads = read();
            last = heads.isEmpty() ? null : heads.getLast();
            read = true;
        }
        return last;
    }

    Path file() {
        return file;
    }
}

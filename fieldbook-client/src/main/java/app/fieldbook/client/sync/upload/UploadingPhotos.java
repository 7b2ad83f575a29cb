package app.fieldbook.client.sync.upload;

import app.fieldbook.client.Backoff;
import app.fieldbook.client.PhotoUpload;
import app.fieldbook.client.SyncProgress;
import app.fieldbook.client.http.RequestFailed;
import app.fieldbook.client.http.Retrying;
import app.fieldbook.client.http.SyncApi;
import app.fieldbook.client.replica.Replica;
import app.fieldbook.client.store.LocalStore;
import app.fieldbook.client.store.StoredUpload;
import app.fieldbook.client.sync.SyncTally;
import app.fieldbook.protocol.OperationKind;
import app.fieldbook.protocol.SyncProtocol;
import app.fieldbook.protocol.UploadStart;
import app.fieldbook.protocol.UploadState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Uploads the content of photos whose creation the server acknowledged, one by one and resumable: the
 * server says how many bytes it has, the device sends the rest in chunks, and a 409 with the server's
 * offset moves the device there. Only the server's receipt (the photo stored and its SHA-256 checked)
 * ends an upload; the receipt is recorded first and the device's copy deleted after.
 *
 * <p>An upload never loops: a server that stops taking bytes ends the attempt, which is postponed with
 * backoff; a refusal for good (too large, unsupported type, not the announced photo) marks it failed and
 * out of the queue, keeping the copy for the person, and withdraws the pending photo from the server. A hash mismatch (the server starts over) is tried
 * again at the next syncs, then counts as a refusal.
 */
public final class UploadingPhotos {

    private static final int MAX_STALLS = 3;
    private static final Set<Integer> REFUSED_FOR_GOOD = Set.of(400, 403, 404, 409, 410, 413, 415, 422);
    private static final int HASH_MISMATCHES_TOLERATED = 2;

    private final LocalStore store;
    private final SyncApi api;
    private final Replica replica;
    private final Retrying retrying;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Clock clock;
    private final int chunkSize;

    public UploadingPhotos(LocalStore store, SyncApi api, Replica replica, Retrying retrying, Backoff backoff,
            RandomGenerator random, Clock clock, int chunkSize) {
        this.store = store;
        this.api = api;
        this.replica = replica;
        this.retrying = retrying;
        this.backoff = backoff;
        this.random = random;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    public void uploadAll(SyncTally tally, SyncProgress progress) {
        for (StoredUpload upload : store.uploads().due(clock.instant())) {
            // a photo removed meanwhile waits for its removal to be answered, not for its content
            if (!removing(upload.photoId())) {
                upload(upload, tally, progress);
            }
        }
    }

    private boolean removing(UUID photoId) {
        return store.outbox().of(photoId).stream().anyMatch(entry -> entry.kind() == OperationKind.DELETE);
    }

    private void upload(StoredUpload upload, SyncTally tally, SyncProgress progress) {
        Path copy = store.photoDirectory().resolve(upload.file());
        PhotoUpload.State ended = PhotoUpload.State.WAITING;
        try {
            UploadState state = retrying.call(() -> api.startUpload(
                    new UploadStart(upload.photoId(), upload.sha256(), upload.size())));
            progress.uploadStarted(upload.photoId(), Math.min(state.offset(), upload.size()), upload.size());
            state = sendRest(upload, copy, state, progress);
            if (state == null) {
                postpone(upload, "The server stopped taking the upload's bytes.");
                tally.postponedUploads.add(upload.photoId());
                return;
            }
            if (!upload.sha256().equalsIgnoreCase(state.receipt().sha256())) {
                ended = refuse(upload, "The server's receipt names other content (" + state.receipt().sha256() + ").",
                        tally);
                return;
            }
            UploadState done = state;
            store.inTransaction(() -> replica.uploaded(upload.photoId(), done.receipt()));
            Files.deleteIfExists(copy);
            tally.photosUploaded++;
            ended = PhotoUpload.State.UPLOADED;
        } catch (NoSuchFileException e) {
            ended = refuse(upload, "The device's copy of the photo is missing.", tally);
        } catch (IOException e) {
            postpone(upload, "Cannot read the device's copy: " + e.getMessage());
        } catch (RequestFailed failure) {
            boolean hashMismatch = failure.status() == 422 && failure.problem().typeEndsWith("/hash-mismatch");
            if (hashMismatch && upload.attempts() < HASH_MISMATCHES_TOLERATED) {
                postpone(upload, failure.describe());
            } else if (failure.kind() == RequestFailed.Kind.ANSWERED && REFUSED_FOR_GOOD.contains(failure.status())) {
                ended = refuse(upload, failure.describe(), tally);
            } else if (failure.kind() == RequestFailed.Kind.UNREACHABLE || failure.serverBusy()
                    || failure.status() == 401 || failure.status() == 426) {
                postpone(upload, failure.describe());
                throw failure;
            } else {
                postpone(upload, failure.describe());
                tally.postponedUploads.add(upload.photoId());
            }
        } finally {
            progress.uploadEnded(upload.photoId(), ended);
        }
    }

    /**
     * Sends the bytes from the server's offset on until the server gives its receipt. Returns the final
     * state, or null when the server stopped making progress.
     */
    private UploadState sendRest(StoredUpload upload, Path copy, UploadState start, SyncProgress progress)
            throws IOException {
        UploadState state = start;
        int stalls = 0;
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.READ)) {
            byte[] buffer = new byte[chunkSize];
            while (state.receipt() == null) {
                if (stalls >= MAX_STALLS) {
                    return null;
                }
                long offset = state.offset();
                if (offset < 0 || offset > upload.size()) {
                    return null;
                }
                if (offset == upload.size()) {
                    stalls++;
                    state = retrying.call(() -> api.uploadState(upload.photoId()));
                    continue;
                }
                int length = read(channel, buffer, offset, (int) Math.min(chunkSize, upload.size() - offset));
                UploadState next;
                try {
                    next = retrying.call(() -> api.sendChunk(upload.photoId(), offset, buffer, length));
                } catch (RequestFailed failure) {
                    long serverOffset = failure.status() == 409 && failure.problem() != null
                            ? failure.problem().longProperty("offset").orElse(-1L) : -1L;
                    if (serverOffset < 0) {
                        throw failure;
                    }
                    next = new UploadState(upload.photoId(), serverOffset, upload.size(), null);
                }
                stalls = next.receipt() == null && next.offset() <= offset ? stalls + 1 : 0;
                state = next;
                store.uploads().progressed(upload.photoId(), Math.min(state.offset(), upload.size()));
                progress.uploadProgressed(upload.photoId(), Math.min(state.offset(), upload.size()), upload.size());
            }
        }
        return state;
    }

    private static int read(FileChannel channel, byte[] buffer, long offset, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        long position = offset;
        while (target.hasRemaining()) {
            int read = channel.read(target, position);
            if (read < 0) {
                throw new IOException("The copy is shorter than announced");
            }
            position += read;
        }
        return length;
    }

    /**
     * Takes the upload out of the queue for good, keeping the device's copy, and withdraws the photo the
     * server holds as pending (a Photo DELETE), so that its report does not show it waiting forever.
     */
    private PhotoUpload.State refuse(StoredUpload upload, String reason, SyncTally tally) {
        store.inTransaction(() -> {
            store.uploads().fail(upload.photoId(), reason);
            store.photos().find(upload.photoId()).filter(stored -> stored.photo().version() > 0)
                    .filter(stored -> !removing(upload.photoId())).ifPresent(stored -> {
                store.outbox().append(UUID.randomUUID(), SyncProtocol.PHOTO, upload.photoId(), OperationKind.DELETE,
                        store.json().createObjectNode(), upload.reportId(), OffsetDateTime.now(clock));
            });
        });
        tally.photosFailed++;
        return PhotoUpload.State.FAILED;
    }

    private void postpone(StoredUpload upload, String error) {
        store.uploads().postpone(upload.photoId(),
                clock.instant().plus(backoff.delay(upload.attempts(), random)), error);
    }
}

package app.fieldbook.sync.push;

import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.Photo;
import app.fieldbook.sync.OperationAnswered;
import app.fieldbook.protocol.FieldChange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Applies a pushed operation on a photo through the attachments module: a photo is announced (its content
 * follows by upload), its caption written (the one detail of a photo that changes after it was taken), or it is
 * removed.
 */
@Component
class ApplyingPhotoOperation {

    private static final String CAPTION = "caption";

    private final Photos photos;
    private final ApplicationEventPublisher events;

    ApplyingPhotoOperation(Photos photos, ApplicationEventPublisher events) {
        this.photos = photos;
        this.events = events;
    }

    OperationResult apply(Operation operation, UUID deviceId, Actor actor) {
        Photo photo = switch (operation.kind()) {
            case CREATE -> {
                PhotoAnnouncement announced = PhotoAnnouncement.of(operation.changes());
                yield photos.announce(operation.entityId(), announced.reportId(), announced.sha256(),
                        announced.size(), announced.caption(), announced.takenAt(), announced.latitude(),
                        announced.longitude(), deviceId, actor);
            }
            case DELETE -> {
                photos.remove(operation.entityId(), operation.baseVersion(), actor);
                yield null;
            }
            case UPDATE -> photos.recaption(operation.entityId(), captionOf(operation.changes()),
                    operation.baseVersion(), actor);
        };
        events.publishEvent(new OperationAnswered(OperationAnswered.Outcome.APPLIED));
        return new OperationResult(operation.operationId(), OperationOutcome.APPLIED, 200, operation.entityId(),
                photo == null ? operation.baseVersion() : photo.version(), List.of(), null, null);
    }

    /** The caption an update writes: its one field, a text or null. */
    private static String captionOf(Map<String, FieldChange> changes) {
        if (!changes.keySet().equals(Set.of(CAPTION))) {
            throw new IllegalArgumentException("an update of a photo changes its caption alone, not "
                    + changes.keySet().stream().sorted().toList());
        }
        Object caption = changes.get(CAPTION).value();
        if (caption != null && !(caption instanceof String)) {
            throw new IllegalArgumentException("caption must be a text or null");
        }
        return (String) caption;
    }
}

package app.fieldbook.sync.push;

import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.Operation;
import app.fieldbook.protocol.OperationOutcome;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.protocol.Photo;
import app.fieldbook.sync.OperationAnswered;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Applies a pushed operation on a photo through the attachments module: a photo is announced (its content
 * follows by upload) or removed; its metadata is not edited offline.
 */
@Component
class ApplyingPhotoOperation {

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
            case UPDATE -> throw new IllegalArgumentException("a photo's details are not edited offline");
        };
        events.publishEvent(new OperationAnswered(OperationAnswered.Outcome.APPLIED));
        return new OperationResult(operation.operationId(), OperationOutcome.APPLIED, 200, operation.entityId(),
                photo == null ? operation.baseVersion() : photo.version(), List.of(), null, null);
    }
}

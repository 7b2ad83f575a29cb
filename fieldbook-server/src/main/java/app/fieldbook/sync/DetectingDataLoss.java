package app.fieldbook.sync;

import app.fieldbook.attachments.Photos;
import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.LostOnDevice;
import app.fieldbook.protocol.PullRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notices a device whose data was deleted before it reached the server: it pulls from the start with
 * nothing waiting, while it last reported changes or photos waiting (the outbox depth it reports with every
 * call, less the operations answered since). The photos the server still waits for from the device count
 * among the lost. The device is told once; the loss is logged and recorded
 * ({@link DeviceDataLost}, in the audit trail).
 */
@Service
class DetectingDataLoss {

    private static final Logger log = LoggerFactory.getLogger(DetectingDataLoss.class);

    private final Devices devices;
    private final Photos photos;
    private final ApplicationEventPublisher events;

    DetectingDataLoss(Devices devices, Photos photos, ApplicationEventPublisher events) {
        this.devices = devices;
        this.photos = photos;
        this.events = events;
    }

    /** What the device lost, if this pull shows it came back empty; answered to one pull only. */
    @Transactional
    Optional<LostOnDevice> check(PullRequest request, Actor actor) {
        boolean empty = (request.cursor() == null || request.cursor().isEmpty()) && request.device() != null
                && request.device().outboxDepth() == 0 && request.device().pendingPhotos() == 0;
        if (!empty) {
            return Optional.empty();
        }
        return devices.waiting(request.deviceId()).flatMap(waiting -> {
            boolean hadWaiting = waiting.changes() > 0 || waiting.photos() > 0;
            if (!hadWaiting || !devices.forget(request.deviceId(), waiting)) {
                return Optional.empty();
            }
            // the photos the server still waits for from the device are lost too, if it reported fewer
            int lostPhotos = Math.max(waiting.photos(), photos.awaitingContentFrom(request.deviceId()));
            log.warn("Device {} came back empty: {} changes and {} photos it reported waiting on {} (user {}) are lost; "
                            + "signed in now: {}", request.deviceId(), waiting.changes(), lostPhotos,
                    waiting.reportedAt(), waiting.userId(), actor.login());
            events.publishEvent(new DeviceDataLost(request.deviceId(), waiting.userId(), waiting.changes(), lostPhotos,
                    waiting.reportedAt()));
            return Optional.of(new LostOnDevice(waiting.changes(), lostPhotos, waiting.reportedAt()));
        });
    }
}

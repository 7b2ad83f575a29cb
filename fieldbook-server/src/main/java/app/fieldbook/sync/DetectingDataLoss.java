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
 * among the lost. The device is told until it acknowledges the notice; the loss is logged and recorded
 * once ({@link DeviceDataLost}, in the audit trail).
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

    /**
     * What the device lost, if this pull shows it came back empty. Answered to every pull of the device
     * without a cursor until it pulls with one: it stores the first page of an answer (which carries the
     * notice) and its cursor together, so a notice whose answer was lost is sent again.
     */
    @Transactional
    Optional<LostOnDevice> check(PullRequest request, Actor actor) {
        if (request.cursor() != null && !request.cursor().isEmpty()) {
            devices.lossAcknowledged(request.deviceId());
            return Optional.empty();
        }
        boolean empty = request.device() != null && request.device().outboxDepth() == 0
                && request.device().pendingPhotos() == 0;
        if (!empty) {
            return Optional.empty();
        }
        return devices.waiting(request.deviceId()).flatMap(waiting -> {
            if (waiting.lost() != null) {
                return Optional.of(waiting.lost());
            }
            if (waiting.changes() == 0 && waiting.photos() == 0) {
                return Optional.empty();
            }
            // the photos the server still waits for from the device are lost too, if it reported fewer
            LostOnDevice lost = new LostOnDevice(waiting.changes(),
                    Math.max(waiting.photos(), photos.awaitingContentFrom(request.deviceId())), waiting.reportedAt());
            if (!devices.lost(request.deviceId(), waiting, lost)) {
                return Optional.empty();
            }
            log.warn("Device {} came back empty: {} changes and {} photos it reported waiting on {} (user {}) are lost; "
                            + "signed in now: {}", request.deviceId(), lost.changes(), lost.photos(),
                    lost.lastReportedAt(), waiting.userId(), actor.login());
            events.publishEvent(new DeviceDataLost(request.deviceId(), waiting.userId(), lost.changes(), lost.photos(),
                    lost.lastReportedAt()));
            return Optional.of(lost);
        });
    }
}

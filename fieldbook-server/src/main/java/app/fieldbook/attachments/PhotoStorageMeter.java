package app.fieldbook.attachments;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * How full the volume that holds the photos is, as the metric {@code fieldbook.photo.storage.used} (a ratio
 * from 0 to 1; Prometheus: {@code fieldbook_photo_storage_used_ratio}), which the storage alert watches. The
 * photos' own bytes are not counted: what matters to operators is whether the next photo still fits.
 */
@Component
class PhotoStorageMeter implements MeterBinder {

    private final Path directory;

    PhotoStorageMeter(AttachmentSettings settings) {
        this.directory = settings.directory().toAbsolutePath().normalize();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fieldbook.photo.storage.used", this, PhotoStorageMeter::usedRatio)
                .baseUnit("ratio")
                .description("Share of the photo store's volume in use")
                .register(registry);
    }

    double usedRatio() {
        try {
            FileStore volume = Files.getFileStore(directory);
            long total = volume.getTotalSpace();
            return total <= 0 ? Double.NaN : 1.0 - (double) volume.getUsableSpace() / total;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}

package app.fieldbook.protocol;

import java.util.UUID;

/**
 * Where an upload stands: send the bytes from {@code offset} on. When {@code receipt} is present the
 * server has the whole photo, checked against its SHA-256, and the device may delete its copy.
 */
public record UploadState(UUID photoId, long offset, long size, PhotoReceipt receipt) {
}

package app.fieldbook.client.store;

import app.fieldbook.protocol.Photo;
import app.fieldbook.protocol.PhotoReceipt;

/**
 * A photo's metadata as the device holds it.
 *
 * @param photo the photo as the device shows it (attached here, or as last pulled)
 * @param serverCopy a newer server copy, pulled while the photo's creation was still waiting
 * @param receipt the server's receipt for the content, once uploaded from this device
 */
public record StoredPhoto(Photo photo, Photo serverCopy, PhotoReceipt receipt) {
}

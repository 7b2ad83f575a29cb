/**
 * Photos attached to daily reports: checked by content (leading bytes, then the whole container read
 * without decoding), stored content-addressed by SHA-256 behind {@link app.fieldbook.attachments.PhotoStore},
 * with thumbnails where Java can decode the image. Reading a photo is allowed exactly when reading its report
 * is. Photo content also arrives in resumable uploads ({@link app.fieldbook.attachments.PhotoUploads}), which
 * the sync protocol serves.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Attachments")
package app.fieldbook.attachments;

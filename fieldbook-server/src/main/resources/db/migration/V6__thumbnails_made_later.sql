-- Thumbnails are made after the upload has been answered, by a background job on threads of its own
-- (docs/adr/0008-thumbnails-made-after-the-upload.md). A photo is due while a thumbnail can be made of it
-- and has not been stored yet; the job picks due photos up by this flag, also those stored before a restart.
ALTER TABLE photos ADD COLUMN thumbnail_due BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX photos_thumbnail_due ON photos (thumbnail_due, created_at);

-- The version the arrival of an announced photo's content made: a device that changes the photo (its caption,
-- or removes it) may not have heard of that arrival, and its change based on the version before it is not
-- refused for it. Null for photos uploaded whole, still pending, or stored before, whose content's arrival made
-- version 2 (nothing else changed a photo then).
ALTER TABLE photos ADD COLUMN stored_version BIGINT;

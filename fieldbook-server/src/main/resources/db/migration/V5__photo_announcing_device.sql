-- The device that announced a photo by sync: only that device (of the user who announced it) sends the
-- photo's content. Null for photos uploaded whole through the API, and for photos announced before.
ALTER TABLE photos ADD COLUMN announced_by_device UUID;

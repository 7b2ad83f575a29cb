-- What a device lost when it came back empty (DetectingDataLoss): sent with every pull of the device that
-- has no cursor, until it pulls with one, which it stores in the same local transaction as the notice.
ALTER TABLE sync_devices ADD COLUMN lost_changes INTEGER;
ALTER TABLE sync_devices ADD COLUMN lost_photos INTEGER;
ALTER TABLE sync_devices ADD COLUMN lost_reported_at TIMESTAMP WITH TIME ZONE;

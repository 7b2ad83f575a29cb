package app.fieldbook.client;

import java.time.OffsetDateTime;

/** What a person says about a photo they attach; every part is optional. */
public record PhotoDetails(String caption, OffsetDateTime takenAt, Double latitude, Double longitude) {

    public static PhotoDetails none() {
        return new PhotoDetails(null, null, null, null);
    }

    public static PhotoDetails captioned(String caption) {
        return new PhotoDetails(caption, null, null, null);
    }
}

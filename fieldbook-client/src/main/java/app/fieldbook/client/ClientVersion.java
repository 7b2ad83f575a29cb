package app.fieldbook.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This client's version, from the build ({@code client.properties}, filtered by Maven). The server
 * compares the release part only: {@code 0.1.0-SNAPSHOT} is sent as {@code 0.1.0}.
 */
record ClientVersion(String full) {

    static ClientVersion ofBuild() {
        try (InputStream in = ClientVersion.class.getResourceAsStream("client.properties")) {
            if (in == null) {
                throw new IllegalStateException("client.properties is missing from the Fieldbook client jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return new ClientVersion(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version sent as {@code clientVersion}: the dotted release numbers without a qualifier. */
    String release() {
        return full.replaceFirst("[-+].*$", "");
    }
}

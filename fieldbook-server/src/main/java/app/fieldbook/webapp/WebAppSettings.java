package app.fieldbook.webapp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the web app, bound from {@code fieldbook.webapp}.
 *
 * @param version the version the web app reports to the sync protocol ({@code clientVersion}), compared
 *     with {@code fieldbook.sync.minimum-client-version}; the build's version unless set. A new value is
 *     a new version of the app: its Service Worker installs again.
 */
@ConfigurationProperties("fieldbook.webapp")
record WebAppSettings(@DefaultValue("0.1.0") String version) {
}

/**
 * The web app that people use from a phone or a desktop: an offline-first PWA of ES modules served from
 * {@code static/} and WebJars. This module serves what the browser needs around those files: the Service
 * Worker with the list of the app shell's files and their version, and the Content-Security-Policy.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web app")
package app.fieldbook.webapp;

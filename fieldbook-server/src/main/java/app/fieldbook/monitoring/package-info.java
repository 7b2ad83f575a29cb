/**
 * Monitoring inside the server, for deployments without Prometheus: the alert rules of
 * {@code monitoring/prometheus/fieldbook-alerts.yml} evaluated from the server's own meters, with pending,
 * firing and resolved states, notified by webhook and email, and shown to administrators in the API. It reads
 * the meters the other modules register and depends on none of them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Monitoring")
package app.fieldbook.monitoring;

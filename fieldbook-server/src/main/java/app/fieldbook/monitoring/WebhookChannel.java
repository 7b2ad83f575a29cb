package app.fieldbook.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts alerts as JSON to a receiver's URL ({@code fieldbook.alerts.webhook.url}): one request per evaluation
 * with every alert due, {@code {"source": "fieldbook", "alerts": [{"name", "state", "severity", "labels",
 * "value", "summary", "runbook", "activeSince", "firingSince", "resolvedAt"}, ...]}}. Any answer but 2xx is a
 * failure, sent again at the next evaluation.
 */
final class WebhookChannel implements AlertChannel {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    WebhookChannel(URI url, JsonMapper json) {
        if (url.getScheme() == null || !List.of("http", "https").contains(url.getScheme())) {
            throw new IllegalArgumentException("fieldbook.alerts.webhook.url must be an http or https URL: " + url);
        }
        this.url = url;
        this.json = json;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(List<Alert> alerts) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "fieldbook");
        body.put("alerts", alerts);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("the webhook answered " + answer.statusCode());
        }
    }
}

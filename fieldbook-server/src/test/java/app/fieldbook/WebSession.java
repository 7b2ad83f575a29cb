package app.fieldbook;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the API as the web app is one: a session cookie kept by a cookie store, and on every write the CSRF
 * token of the {@code XSRF-TOKEN} cookie in the {@code X-XSRF-TOKEN} header (asked for first when there is none).
 */
public final class WebSession {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

    public WebSession(String base) {
        this.base = base;
    }

    /**
     * A client of another address (another node of the same cluster) with a copy of this one's cookies as they are
     * now: the session cookie and the CSRF token this one was given. What either does to its cookies later (a sign
     * out clears the session cookie) does not reach the other.
     */
    public WebSession copyTo(String otherBase) {
        WebSession copy = new WebSession(otherBase);
        URI other = URI.create(otherBase);
        cookies.getCookieStore().getCookies().forEach(cookie -> copy.cookies.getCookieStore().add(other,
                (HttpCookie) cookie.clone()));
        return copy;
    }

    /** Sends {@code body} (null for none) as JSON with the cookies and, on a write, the CSRF token. */
    public Api.Answer send(String method, String path, Object body) {
        try {
            if (!method.equals("GET") && cookie("XSRF-TOKEN") == null) {
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/me")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("User-Agent", "Fieldbook tests (WebSession)")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (!method.equals("GET") && cookie("XSRF-TOKEN") != null) {
                request.header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            JsonNode answer = JSON.createObjectNode();
            if (contentType != null && contentType.contains("json") && response.body().length > 0) {
                answer = JSON.readTree(response.body());
            }
            return new Api.Answer(response.statusCode(), answer, contentType, response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of the cookie of this name, if the server set one that is not empty. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).filter(v -> !v.isEmpty()).reduce((a, b) -> b).orElse(null);
    }
}

package app.fieldbook.client.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An RFC 9457 problem the server answered with: its stable {@code type}, {@code title}, {@code detail}
 * and extension properties (such as {@code minimumClientVersion}, {@code offset} or {@code errors}).
 */
public record Problem(String type, String title, int status, String detail, ObjectNode body) {

    /** Reads an error answer; a body that is not a JSON object gives a problem with only the status. */
    public static Problem read(int status, byte[] content, JsonMapper json) {
        ObjectNode body;
        try {
            body = content.length > 0 && json.readTree(content) instanceof ObjectNode object ? object
                    : json.createObjectNode();
        } catch (JacksonException e) {
            body = json.createObjectNode();
        }
        return new Problem(text(body, "type"), text(body, "title"), status, text(body, "detail"), body);
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value.asString();
    }

    public boolean typeEndsWith(String suffix) {
        return type != null && type.endsWith(suffix);
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(text(body, name));
    }

    public Optional<Long> longProperty(String name) {
        JsonNode value = body.get(name);
        return value != null && value.isNumber() ? Optional.of(value.longValue()) : Optional.empty();
    }

    /** The fields named in the {@code errors} list of an invalid-request answer. */
    public List<String> errorFields() {
        List<String> fields = new ArrayList<>();
        JsonNode errors = body.get("errors");
        if (errors != null && errors.isArray()) {
            for (JsonNode error : errors) {
                if (error.hasNonNull("field")) {
                    fields.add(error.get("field").asString());
                }
            }
        }
        return fields;
    }

    /** The messages of the {@code errors} list of an invalid-request answer, as sent. */
    public List<String> errorMessages() {
        List<String> messages = new ArrayList<>();
        JsonNode errors = body.get("errors");
        if (errors != null && errors.isArray()) {
            for (JsonNode error : errors) {
                if (error.hasNonNull("message")) {
                    messages.add(error.get("message").asString());
                }
            }
        }
        return messages;
    }

    /** A one-line description for people: the detail, else the title, else the status. */
    public String describe() {
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        if (title != null && !title.isBlank()) {
            return title;
        }
        return "HTTP " + status;
    }
}

package app.fieldbook.sync.push;

import app.fieldbook.identity.Actor;
import app.fieldbook.protocol.OperationResult;
import app.fieldbook.sync.push.DecodingOperations.Readable;
import app.fieldbook.sync.push.DecodingOperations.Unreadable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Applies the operations of a push, in order, each exactly once and in its own transaction. An operation
 * that cannot be read or is invalid is refused on its own (422 {@code invalid-operation}, naming the field)
 * and its refusal recorded like any other; the rest of its batch is applied.
 */
@Service
public class PushingOperations {

    private final DecodingOperations decoding;
    private final ApplyingOnce applying;

    PushingOperations(DecodingOperations decoding, ApplyingOnce applying) {
        this.decoding = decoding;
        this.applying = applying;
    }

    /** The result of each operation, in the order sent. */
    public List<OperationResult> push(UUID deviceId, List<JsonNode> sent, Actor actor) {
        List<OperationResult> results = new ArrayList<>(sent.size());
        for (JsonNode operation : sent) {
            results.add(switch (decoding.decode(operation)) {
                case Readable readable -> applying.apply(readable.operation(), deviceId, actor);
                case Unreadable unreadable -> applying.refuse(unreadable, deviceId, actor);
            });
        }
        return results;
    }
}

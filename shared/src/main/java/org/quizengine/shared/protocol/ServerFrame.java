package org.quizengine.shared.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.quizengine.shared.Wire;

/**
 * A server event as the text frame players receive, encoded once wherever it goes: a match encodes
 * each event once, and every node and socket it goes to sends those characters as they are. Keeps
 * the event's wire type and match, which is all a node needs to know about it.
 *
 * @param type the event's {@code type} field, e.g. {@code "reveal"}
 * @param matchId the event's match, or {@code null}
 * @param text the frame, as {@link Wire#encode} writes the event
 */
public record ServerFrame(String type, UUID matchId, String text) {
    private static final Map<Class<?>, String> TYPES = wireTypes();

    /** The frame of {@code event}. */
    public static ServerFrame of(ServerEvent event) {
        return new ServerFrame(TYPES.get(event.getClass()), event.matchId(), Wire.encode(event));
    }

    /** The event this frame was encoded from (for tests and tools: nodes send the text as it is). */
    public ServerEvent event() {
        return Wire.decode(text, ServerEvent.class);
    }

    private static Map<Class<?>, String> wireTypes() {
        Map<Class<?>, String> types = new HashMap<>();
        for (JsonSubTypes.Type type : ServerEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            types.put(type.value(), type.name());
        }
        return Map.copyOf(types);
    }
}

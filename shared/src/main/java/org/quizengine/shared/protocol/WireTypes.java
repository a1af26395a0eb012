package org.quizengine.shared.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.HashMap;
import java.util.Map;

/**
 * The wire {@code type} of every record of the two message families, read once from their
 * {@link JsonSubTypes}: asking the annotation copies its whole array each time, and a socket asks for
 * every frame it sends or gets wrong.
 */
final class WireTypes {
    static final Map<Class<?>, String> CLIENT = of(ClientMessage.class);
    static final Map<Class<?>, String> SERVER = of(ServerEvent.class);

    private WireTypes() {
    }

    private static Map<Class<?>, String> of(Class<?> family) {
        Map<Class<?>, String> types = new HashMap<>();
        for (JsonSubTypes.Type type : family.getAnnotation(JsonSubTypes.class).value()) {
            types.put(type.value(), type.name());
        }
        return Map.copyOf(types);
    }
}

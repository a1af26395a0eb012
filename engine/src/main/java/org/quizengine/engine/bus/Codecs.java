package org.quizengine.engine.bus;

import io.vertx.core.eventbus.EventBus;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.matchmaking.MatchmakingCommand;
import org.quizengine.shared.protocol.ServerEvent;

/** Registers a codec for every typed message the engine sends, so no JSON object flows in the domain. */
public final class Codecs {
    private Codecs() {
    }

    public static void registerAll(EventBus bus) {
        registerSealed(bus, MatchCommand.class);
        registerSealed(bus, MatchmakingCommand.class);
        registerSealed(bus, ServerEvent.class);
        register(bus, Delivery.class);
        register(bus, MatchSpec.class);
        register(bus, AdoptMatch.class);
    }

    private static <T> void registerSealed(EventBus bus, Class<T> base) {
        for (Class<?> concrete : base.getPermittedSubclasses()) {
            registerAs(bus, base, concrete);
        }
    }

    private static <T> void register(EventBus bus, Class<T> type) {
        registerAs(bus, type, type);
    }

    @SuppressWarnings("unchecked")
    private static <T> void registerAs(EventBus bus, Class<T> base, Class<?> concrete) {
        bus.registerDefaultCodec((Class<T>) concrete, new WireCodec<>(base, concrete));
    }
}

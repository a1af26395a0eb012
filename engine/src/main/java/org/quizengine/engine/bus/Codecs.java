package org.quizengine.engine.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.matchmaking.MatchmakingCommand;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * Registers a codec for every typed message the engine sends, so no JSON object flows in the domain:
 * JSON between nodes for most, binary for match commands and deliveries.
 */
public final class Codecs {
    private Codecs() {
    }

    public static void registerAll(EventBus bus) {
        // What crosses nodes with every answer and every event: binary, frames as encoded once.
        for (Class<?> command : MatchCommand.class.getPermittedSubclasses()) {
            registerCodec(bus, command, new MatchCommandCodec(command));
        }
        bus.registerDefaultCodec(Delivery.class, new DeliveryCodec());
        bus.registerDefaultCodec(ServerFrame.class, new ServerFrameCodec());
        registerSealed(bus, MatchmakingCommand.class);
        registerSealed(bus, ServerEvent.class);
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

    private static <T> void registerAs(EventBus bus, Class<T> base, Class<?> concrete) {
        registerCodec(bus, concrete, new WireCodec<>(base, concrete));
    }

    @SuppressWarnings("unchecked")
    private static <T> void registerCodec(EventBus bus, Class<?> concrete, MessageCodec<T, T> codec) {
        bus.registerDefaultCodec((Class<T>) concrete, codec);
    }
}

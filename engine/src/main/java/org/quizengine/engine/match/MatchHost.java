package org.quizengine.engine.match;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.MatchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the matches placed on this node, each as its own {@link MatchVerticle}, and counts them. */
public final class MatchHost extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchHost.class);

    private final String nodeId;
    private final MatchOptions options;
    private final ResultSink results;
    private final LongSupplier clock;
    private final AtomicInteger liveMatches = new AtomicInteger();
    private MessageConsumer<MatchSpec> consumer;

    public MatchHost(String nodeId, MatchOptions options, ResultSink results, LongSupplier clock) {
        this.nodeId = nodeId;
        this.options = options;
        this.results = results;
        this.clock = clock;
    }

    /** Live matches on this node right now. */
    public int liveMatches() {
        return liveMatches.get();
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(Addresses.nodeMatches(nodeId), this::onSpec);
        return consumer.completion();
    }

    private void onSpec(Message<MatchSpec> message) {
        MatchSpec spec = message.body();
        MatchVerticle verticle = new MatchVerticle(spec, options, results, new ActivePlayers(vertx), clock,
            liveMatches::decrementAndGet);
        liveMatches.incrementAndGet();
        vertx.deployVerticle(verticle)
            .onSuccess(id -> message.reply(spec.matchId().toString()))
            .onFailure(e -> {
                liveMatches.decrementAndGet();
                LOG.error("Match {} could not start", spec.matchId(), e);
                message.fail(ErrorCode.INTERNAL_ERROR.busCode(), "The match could not start.");
            });
    }
}

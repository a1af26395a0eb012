package org.quizengine.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.quizengine.api.auth.AdminBootstrap;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.history.HistoryRepository;
import org.quizengine.api.history.HistoryRoutes;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.http.ApiRouter;
import org.quizengine.api.http.HealthRoutes;
import org.quizengine.api.leaderboard.LeaderboardRoutes;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.PlayerNames;
import org.quizengine.api.profile.ProfileRepository;
import org.quizengine.api.profile.ProfileRoutes;
import org.quizengine.api.question.CategoryRoutes;
import org.quizengine.api.question.ModerationRoutes;
import org.quizengine.api.question.QuestionBankChanges;
import org.quizengine.api.question.QuestionBankSeeder;
import org.quizengine.api.question.QuestionModerationStore;
import org.quizengine.api.question.QuestionRepository;
import org.quizengine.api.storage.Stores;
import org.quizengine.engine.config.NodeOptions;
import org.quizengine.engine.gateway.WebSocketGateway;

/** The REST-side services of a node, built once over its stores, and the HTTP router that serves them. */
record NodeServices(Vertx vertx, Stores stores, NodeOptions options, PasswordHasher hasher, TokenService tokens,
                    UserRepository users, QuestionRepository questions, MatchResultStore results,
                    LeaderboardStore leaderboards) {

    static NodeServices create(Vertx vertx, Stores stores, NodeOptions options) {
        return new NodeServices(vertx, stores, options, new PasswordHasher(vertx, options.auth().argon2()),
            new TokenService(vertx, options.auth()), new UserRepository(stores.pool()),
            new QuestionRepository(stores.pool()), new MatchResultStore(stores.pool()),
            new LeaderboardStore(stores.redis()));
    }

    /** First-start work: the question bank and the bootstrap admin. Safe when several nodes start at once. */
    Future<Void> prepare() {
        return new QuestionBankSeeder(vertx).seedIfEmpty(stores.pool())
            .compose(seeded -> new AdminBootstrap(users, hasher).ensureAdmin(options.auth()));
    }

    /**
     * REST under /api/v1, health under /health, and the players' WebSocket at /ws. The node adds a
     * readiness check of its own ({@code nodeReady}: in its cluster, not draining) and its operator routes.
     */
    Router router(WebSocketGateway gateway, Supplier<Future<Void>> nodeReady, Consumer<Router> operatorRoutes) {
        HealthRoutes health = new HealthRoutes(vertx, stores).withCheck("node", nodeReady);
        ApiRouter api = new ApiRouter(vertx, tokens, hasher, users, health);
        Router signedIn = api.protectedRouter();
        operatorRoutes.accept(signedIn);
        new ProfileRoutes(new ProfileRepository(stores.pool())).mount(signedIn);
        new HistoryRoutes(new HistoryRepository(stores.pool())).mount(signedIn);
        new LeaderboardRoutes(leaderboards, new PlayerNames(stores.pool()), Clock.systemUTC()).mount(signedIn);
        new CategoryRoutes(questions).mount(signedIn);
        new ModerationRoutes(new QuestionModerationStore(stores.pool()), new QuestionBankChanges(vertx)).mount(api);
        Router root = api.router();
        root.get(WebSocketGateway.PATH).handler(gateway::handleUpgrade);
        return root;
    }

    Future<Void> close() {
        return hasher.close();
    }
}

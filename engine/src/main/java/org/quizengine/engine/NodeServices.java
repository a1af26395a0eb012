package org.quizengine.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.quizengine.api.auth.AdminBootstrap;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.SessionRepository;
import org.quizengine.api.auth.Sessions;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.history.HistoryRepository;
import org.quizengine.api.history.HistoryRoutes;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.http.ApiContract;
import org.quizengine.api.http.ApiRouter;
import org.quizengine.api.http.HealthRoutes;
import org.quizengine.api.leaderboard.LeaderboardRebuild;
import org.quizengine.api.leaderboard.LeaderboardRoutes;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.PlayerNames;
import org.quizengine.api.mydata.AccountDeletion;
import org.quizengine.api.mydata.ExportRepository;
import org.quizengine.api.mydata.MyDataRoutes;
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
import org.quizengine.shared.match.MatchResult;

/** The REST-side services of a node, built once over its stores, and the HTTP router that serves them. */
record NodeServices(Vertx vertx, Stores stores, NodeOptions options, PasswordHasher hasher, Sessions sessions,
                    UserRepository users, QuestionRepository questions, MatchResultStore results,
                    LeaderboardStore leaderboards) {

    /** How often every node rewrites the Redis marks of recently revoked sessions (see Sessions#keepMarks). */
    static final Duration MARK_RENEWAL = Duration.ofMinutes(1);

    static NodeServices create(Vertx vertx, Stores stores, NodeOptions options) {
        PasswordHasher hasher = new PasswordHasher(vertx, options.auth().argon2());
        UserRepository users = new UserRepository(stores.pool());
        Sessions sessions = new Sessions(vertx, options.auth(), new TokenService(vertx, options.auth()), hasher, users,
            new SessionRepository(stores.pool(), options.auth().accessTokenTtl()), stores.redis());
        return new NodeServices(vertx, stores, options, hasher, sessions, users,
            new QuestionRepository(stores.pool()), new MatchResultStore(stores.pool(), vertx, MatchResultStore.BATCH_WINDOW),
            new LeaderboardStore(stores.redis()));
    }

    /** First-start work: the question bank and the bootstrap admin. Safe when several nodes start at once. */
    Future<Void> prepare() {
        return new QuestionBankSeeder(vertx).seedIfEmpty(stores.pool())
            .compose(seeded -> new AdminBootstrap(users, hasher).ensureAdmin(options.auth()))
            .onSuccess(v -> sessions.keepMarks(MARK_RENEWAL));
    }

    /**
     * REST under /api/v1, health under /health, and the players' WebSocket at /ws. The node adds a
     * readiness check of its own ({@code nodeReady}: in its cluster, not draining) and its operator routes.
     */
    Router router(ApiContract contract, WebSocketGateway gateway, Supplier<Future<Void>> nodeReady,
                  Consumer<Router> operatorRoutes) {
        HealthRoutes health = new HealthRoutes(vertx, stores).withCheck("node", nodeReady);
        ApiRouter api = new ApiRouter(vertx, contract, sessions, hasher, users, health, options.http().protection(),
            stores.redis());
        Router signedIn = api.protectedRouter();
        operatorRoutes.accept(signedIn);
        ProfileRepository profiles = new ProfileRepository(stores.pool());
        new ProfileRoutes(profiles, users).mount(signedIn);
        new HistoryRoutes(new HistoryRepository(stores.pool(), options.auth().jwtSecret()), users).mount(signedIn);
        new MyDataRoutes(users, hasher, api.loginThrottle(), profiles, new ExportRepository(stores.pool()),
            new AccountDeletion(stores.pool()), leaderboards, sessions::revokeAllOf,
            Clock.systemUTC()).mount(signedIn);
        new LeaderboardRoutes(leaderboards, new PlayerNames(stores.pool()),
            new LeaderboardRebuild(stores.pool(), leaderboards, Clock.systemUTC()), Clock.systemUTC()).mount(signedIn);
        new CategoryRoutes(questions).mount(signedIn);
        new ModerationRoutes(new QuestionModerationStore(stores.pool()), new QuestionBankChanges(vertx)).mount(api);
        Router root = api.router();
        root.get(WebSocketGateway.PATH).handler(gateway::handleUpgrade);
        return root;
    }

    /** The leaderboards' part of storing a result: every player but those who have deleted their account since. */
    Future<Boolean> applyToLeaderboards(MatchResult result) {
        return users.deletedAmong(result.players().stream().map(MatchResult.PlayerResult::userId).toList())
            .compose(deleted -> leaderboards.apply(result, deleted));
    }

    Future<Void> close() {
        sessions.stopKeepingMarks();
        return hasher.close();
    }
}

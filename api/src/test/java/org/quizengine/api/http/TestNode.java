package org.quizengine.api.http;

import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quizengine.api.auth.Argon2Cost;
import org.quizengine.api.auth.AuthOptions;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.SessionRepository;
import org.quizengine.api.auth.Sessions;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.history.HistoryRepository;
import org.quizengine.api.history.HistoryRoutes;
import org.quizengine.api.leaderboard.LeaderboardRebuild;
import org.quizengine.api.leaderboard.LeaderboardRoutes;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.PlayerNames;
import org.quizengine.api.mydata.AccountDeletion;
import org.quizengine.api.mydata.ExportRepository;
import org.quizengine.api.mydata.MyDataRoutes;
import org.quizengine.api.profile.ProfileRepository;
import org.quizengine.api.profile.ProfileRoutes;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.api.question.CategoryRoutes;
import org.quizengine.api.question.ModerationRoutes;
import org.quizengine.api.question.QuestionBankChanges;
import org.quizengine.api.question.QuestionModerationStore;
import org.quizengine.api.question.QuestionRepository;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.SettableClock;
import org.quizengine.api.testing.StoreFixtures;

/**
 * One node's REST side as a node's main wires it, over real embedded PostgreSQL and Redis, on a
 * random loopback port, with a cheap Argon2 cost so the suite stays fast.
 */
final class TestNode {
    static final String JWT_SECRET = "integration-test-secret-of-more-than-32-bytes";
    /** Describes the routes only tests mount, so the contract gate lets them through. */
    static final String TEST_ROUTES = "openapi-test-routes.yaml";
    static final Argon2Cost CHEAP_ARGON2 = new Argon2Cost(1024, 1, 1);

    final Vertx vertx;
    final AuthOptions authOptions;
    final Stores stores;
    final PasswordHasher hasher;
    final TokenService tokens;
    final Sessions sessions;
    final UserRepository users;
    final ApiRouter api;
    final HttpServer server;
    final WebClient client;
    /** The time the leaderboard and my-data routes see; real until a test sets it. */
    final SettableClock clock = new SettableClock();
    final LeaderboardStore leaderboards;
    /** Whose sessions the account deletion revoked, in order. */
    final List<UUID> revokedSessions = new CopyOnWriteArrayList<>();

    /** Whether stopping this node closes the stores too: not when it shares another node's. */
    private final boolean ownsStores;

    private TestNode(Vertx vertx, AuthOptions authOptions, Stores stores, boolean ownsStores, PasswordHasher hasher,
                     TokenService tokens, Sessions sessions, UserRepository users, ApiRouter api, HttpServer server) {
        this.vertx = vertx;
        this.authOptions = authOptions;
        this.stores = stores;
        this.ownsStores = ownsStores;
        this.hasher = hasher;
        this.tokens = tokens;
        this.sessions = sessions;
        this.users = users;
        this.api = api;
        this.server = server;
        this.leaderboards = new LeaderboardStore(stores.redis(), clock);
        mountProfiles();
        new LeaderboardRoutes(leaderboards, new PlayerNames(stores.pool()),
            new LeaderboardRebuild(stores.pool(), leaderboards, clock), clock).mount(api.protectedRouter());
        this.client = WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(server.actualPort()));
    }

    static TestNode start(Vertx vertx, Path dataDir) {
        return start(vertx, dataDir, CHEAP_ARGON2);
    }

    static TestNode start(Vertx vertx, Path dataDir, Argon2Cost argon2) {
        return start(vertx, dataDir, argon2, ProtectionOptions.defaults());
    }

    static TestNode start(Vertx vertx, Path dataDir, Argon2Cost argon2, ProtectionOptions protection) {
        return start(vertx, StoreFixtures.start(vertx, dataDir), argon2, protection, true);
    }

    /** Another node over the same stores (as the nodes of a cluster share them); stopping it leaves them running. */
    static TestNode alongside(TestNode other) {
        return alongside(other, ProtectionOptions.defaults());
    }

    /** Like {@link #alongside(TestNode)}, with its own protection settings. */
    static TestNode alongside(TestNode other, ProtectionOptions protection) {
        return alongside(other, protection, other.stores.redis());
    }

    /** Like {@link #alongside(TestNode, ProtectionOptions)}, but counting its limits in {@code redis}. */
    static TestNode alongside(TestNode other, ProtectionOptions protection, RedisAPI redis) {
        return start(other.vertx, other.stores, CHEAP_ARGON2, protection, redis, false);
    }

    /** Another node over the same stores, signing tokens with {@code signingKey} and accepting {@code acceptedKeys} too. */
    static TestNode alongsideWithKeys(TestNode other, String signingKey, List<String> acceptedKeys) {
        return start(other.vertx, other.stores, ProtectionOptions.defaults(), other.stores.redis(), false,
            new AuthOptions().setJwtSecret(signingKey).setAcceptedJwtSecrets(acceptedKeys).setArgon2(CHEAP_ARGON2));
    }

    private static TestNode start(Vertx vertx, Stores stores, Argon2Cost argon2, ProtectionOptions protection,
                                  boolean ownsStores) {
        return start(vertx, stores, argon2, protection, stores.redis(), ownsStores);
    }

    private static TestNode start(Vertx vertx, Stores stores, Argon2Cost argon2, ProtectionOptions protection,
                                  RedisAPI redis, boolean ownsStores) {
        return start(vertx, stores, protection, redis, ownsStores, new AuthOptions().setJwtSecret(JWT_SECRET).setArgon2(argon2));
    }

    private static TestNode start(Vertx vertx, Stores stores, ProtectionOptions protection, RedisAPI redis,
                                  boolean ownsStores, AuthOptions authOptions) {
        PasswordHasher hasher = new PasswordHasher(vertx, authOptions.argon2());
        TokenService tokens = new TokenService(vertx, authOptions);
        UserRepository users = new UserRepository(stores.pool());
        Sessions sessions = new Sessions(vertx, authOptions, tokens, hasher, users,
            new SessionRepository(stores.pool(), authOptions.accessTokenTtl()), stores.redis());
        ApiRouter api = new ApiRouter(vertx, await(ApiContract.load(vertx, List.of(TEST_ROUTES))), sessions, hasher,
            users, new HealthRoutes(vertx, stores), protection, redis);
        new CategoryRoutes(new QuestionRepository(stores.pool())).mount(api.protectedRouter());
        new ModerationRoutes(new QuestionModerationStore(stores.pool()), new QuestionBankChanges(vertx)).mount(api);
        HttpServer server = await(vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1"));
        return new TestNode(vertx, authOptions, stores, ownsStores, hasher, tokens, sessions, users, api, server);
    }

    /** Profiles, history and my data, as NodeServices mounts them; deletions are noted in {@link #revokedSessions}. */
    private void mountProfiles() {
        Router signedIn = api.protectedRouter();
        ProfileRepository profiles = new ProfileRepository(stores.pool());
        new ProfileRoutes(profiles, users).mount(signedIn);
        new HistoryRoutes(new HistoryRepository(stores.pool(), authOptions.jwtSecret()), users).mount(signedIn);
        new MyDataRoutes(users, hasher, api.loginThrottle(), profiles, new ExportRepository(stores.pool()), new AccountDeletion(stores.pool()),
            leaderboards, userId -> {
                revokedSessions.add(userId);
                return sessions.revokeAllOf(userId);
            }, clock).mount(signedIn);
    }

    void stop() {
        client.close();
        await(server.close());
        await(hasher.close());
        if (ownsStores) {
            await(stores.close());
        }
    }

    HttpResponse<Buffer> postJson(String path, JsonObject body) {
        return await(client.post(path).sendJsonObject(body));
    }

    HttpResponse<Buffer> postRaw(String path, String contentType, String body) {
        HttpRequest<Buffer> request = client.post(path);
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    HttpResponse<Buffer> get(String path, String bearerToken) {
        HttpRequest<Buffer> request = client.get(path);
        if (bearerToken != null) {
            request.putHeader("Authorization", "Bearer " + bearerToken);
        }
        return await(request.send());
    }

    /** Any request with an optional bearer token and an optional JSON body. */
    HttpResponse<Buffer> send(HttpMethod method, String path, String bearerToken, JsonObject body) {
        HttpRequest<Buffer> request = client.request(method, path);
        if (bearerToken != null) {
            request.putHeader("Authorization", "Bearer " + bearerToken);
        }
        return await(body == null ? request.send() : request.sendJsonObject(body));
    }

    /** Registers a fresh user and returns the response body (user, accessToken, ...). */
    JsonObject register(String username, String email, String password) {
        HttpResponse<Buffer> response = postJson("/api/v1/auth/register", registration(username, email, password));
        if (response.statusCode() != 201) {
            throw new AssertionError("Registration failed: " + response.statusCode() + " " + response.bodyAsString());
        }
        return response.bodyAsJsonObject();
    }

    static JsonObject registration(String username, String email, String password) {
        return new JsonObject().put("username", username).put("email", email).put("password", password);
    }

    /** A username no other test uses, so tests can share one database. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

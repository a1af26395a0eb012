package org.quizengine.api.http;

import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.UUID;
import org.quizengine.api.auth.Argon2Cost;
import org.quizengine.api.auth.AuthOptions;
import org.quizengine.api.auth.PasswordHasher;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.question.CategoryRoutes;
import org.quizengine.api.question.ModerationRoutes;
import org.quizengine.api.question.QuestionBankChanges;
import org.quizengine.api.question.QuestionModerationStore;
import org.quizengine.api.question.QuestionRepository;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;

/**
 * One node's REST side as a node's main wires it, over real embedded PostgreSQL and Redis, on a
 * random loopback port, with a cheap Argon2 cost so the suite stays fast.
 */
final class TestNode {
    static final String JWT_SECRET = "integration-test-secret-of-more-than-32-bytes";
    static final Argon2Cost CHEAP_ARGON2 = new Argon2Cost(1024, 1, 1);

    final Vertx vertx;
    final AuthOptions authOptions;
    final Stores stores;
    final PasswordHasher hasher;
    final TokenService tokens;
    final UserRepository users;
    final ApiRouter api;
    final HttpServer server;
    final WebClient client;

    private TestNode(Vertx vertx, AuthOptions authOptions, Stores stores, PasswordHasher hasher, TokenService tokens,
                     UserRepository users, ApiRouter api, HttpServer server) {
        this.vertx = vertx;
        this.authOptions = authOptions;
        this.stores = stores;
        this.hasher = hasher;
        this.tokens = tokens;
        this.users = users;
        this.api = api;
        this.server = server;
        this.client = WebClient.create(vertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(server.actualPort()));
    }

    static TestNode start(Vertx vertx, Path dataDir) {
        return start(vertx, dataDir, CHEAP_ARGON2);
    }

    static TestNode start(Vertx vertx, Path dataDir, Argon2Cost argon2) {
        AuthOptions authOptions = new AuthOptions().setJwtSecret(JWT_SECRET).setArgon2(argon2);
        Stores stores = StoreFixtures.start(vertx, dataDir);
        PasswordHasher hasher = new PasswordHasher(vertx, authOptions.argon2());
        TokenService tokens = new TokenService(vertx, authOptions);
        UserRepository users = new UserRepository(stores.pool());
        ApiRouter api = new ApiRouter(vertx, tokens, hasher, users, new HealthRoutes(vertx, stores));
        new CategoryRoutes(new QuestionRepository(stores.pool())).mount(api.protectedRouter());
        new ModerationRoutes(new QuestionModerationStore(stores.pool()), new QuestionBankChanges(vertx)).mount(api);
        HttpServer server = await(vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1"));
        return new TestNode(vertx, authOptions, stores, hasher, tokens, users, api, server);
    }

    void stop() {
        client.close();
        await(server.close());
        await(hasher.close());
        await(stores.close());
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

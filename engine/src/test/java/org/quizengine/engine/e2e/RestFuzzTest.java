package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.TestPlayer.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quizengine.api.auth.AuthOptions;
import org.quizengine.api.auth.Role;
import org.quizengine.api.auth.TokenService;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.engine.e2e.FuzzDocument.Operation;
import org.quizengine.engine.e2e.FuzzRequests.Credential;
import org.quizengine.engine.e2e.FuzzRequests.Request;
import org.quizengine.engine.support.TestNode;

/**
 * Fuzzes every operation of {@code openapi.yaml} against a real node: for each, requests drawn
 * from a seeded {@link Random} (the seed is printed; {@code -Dfuzz.seed=...} replays a run), valid
 * and mutated, with every kind of credential. Every answer must be one the document gives for
 * that operation: never a 5xx it does not describe, a status it lists (or its introduction allows
 * any operation), and an error code its description of that status names. All mismatches are
 * collected, so one run shows every gap.
 */
class RestFuzzTest {
    private static final int REQUESTS_PER_OPERATION = Integer.getInteger("fuzz.requestsPerOperation", 40);
    private static final int IN_FLIGHT = 6;
    /** How long an answer may take (less than {@code await}'s wait). */
    private static final int ANSWER_SECONDS = 5;
    private static final String JWT_SECRET = "rest-fuzz-secret-" + UUID.randomUUID();
    private static final String SETUP_ADDRESS = "198.51.100.1";
    private static final String PROBLEM_JSON = "application/problem+json";
    /** Operations that end the session they are called with: each such call gets a session of its own. */
    private static final Set<String> SESSION_ENDING = Set.of("postAuthLogout", "postAuthLogoutAll");

    private final FuzzDocument document = new FuzzDocument();

    /** What came back: a status, its content type and body, or the failure that stood for it. */
    private record Answer(int status, String contentType, String body, Throwable failure) {
    }

    @Test
    void everyOperationAnswersOnlyWhatTheDocumentDescribes() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("RestFuzzTest seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        String adminName = "fuzzadmin" + Long.toString(seed & 0xffff, 36);
        String adminPassword = "fuzz admin password " + seed;
        Map<String, String> env = new HashMap<>(TestNode.fastMatches());
        env.put("QUIZ_AUTH_ADMIN_USERNAME", adminName);
        env.put("QUIZ_AUTH_ADMIN_EMAIL", adminName + "@example.test");
        env.put("QUIZ_AUTH_ADMIN_PASSWORD", adminPassword);
        env.put("QUIZ_AUTH_JWT_SECRET", JWT_SECRET);
        // Fuzz requests come "through a proxy" from an address per operation, so no one address's
        // rate limit or failed-login count spills over into the others (a 429 is allowed anyway).
        env.put("QUIZ_HTTP_TRUSTED_PROXIES", "127.0.0.1");
        Vertx clientVertx = Vertx.vertx();
        // Every request is made on this one context. Made from the test's thread, a few in
        // thousands got their response (the node answered in 1-2 ms, tcpdump showed) but body()
        // never completed: Vert.x 5.0.10's client can lose a response's end that comes before
        // body() is asked for (vert.x #6038, fixed after 5.0.10). On one context: none in 11 runs.
        Context requests = clientVertx.getOrCreateContext();
        long started = System.nanoTime();
        try (TestNode node = TestNode.start(env)) {
            // More connections than requests in flight: one held by a large upload or a stall holds up no other.
            HttpClient client = clientVertx.createHttpClient(new HttpClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(node.port()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(IN_FLIGHT * 4));
            Accounts accounts = new Accounts(requests, client, node, adminName, adminPassword);
            Run run = new Run(requests, client, accounts, new FuzzRequests(new Random(seed), document, accounts.known()));
            for (int index = 0; index < document.operations.size(); index++) {
                // Each operation's requests come from an address of its own.
                run.fuzz(document.operations.get(index), "203.0.113." + (index + 1));
            }
            client.close();
            System.out.printf("RestFuzzTest: %d requests to %d operations in %d s, seed %d%n", run.sent,
                document.operations.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), seed);
            run.statuses.forEach((operation, counts) -> System.out.println("  " + operation + " " + counts));
            assertThat(document.operations).hasSizeGreaterThan(30);
            assertThat(run.gaps).as("answers openapi.yaml does not describe (seed %d, %d requests)", seed, run.sent).isEmpty();
        } finally {
            await(clientVertx.close());
        }
    }

    /** One fuzz run: sends each operation's requests, a few at a time, and collects what does not fit the document. */
    private final class Run {
        private final Context context;
        private final HttpClient client;
        private final Accounts accounts;
        private final FuzzRequests requests;
        final List<String> gaps = new ArrayList<>();
        final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        int sent;

        Run(Context context, HttpClient client, Accounts accounts, FuzzRequests requests) {
            this.context = context;
            this.client = client;
            this.accounts = accounts;
            this.requests = requests;
        }

        void fuzz(Operation operation, String address) {
            List<Request> batch = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
                batch.add(requests.next(operation));
            }
            batch.addAll(requests.withNul(operation));
            for (int from = 0; from < batch.size(); from += IN_FLIGHT) {
                sendTogether(operation, batch.subList(from, Math.min(batch.size(), from + IN_FLIGHT)), address);
            }
        }

        private void sendTogether(Operation operation, List<Request> window, String address) {
            List<Future<Answer>> answers = new ArrayList<>();
            for (Request request : window) {
                String authorization = SESSION_ENDING.contains(operation.id())
                    ? accounts.freshAuthorization(request.credential()) : accounts.authorization(request.credential());
                answers.add(send(context, client, request, authorization, address));
            }
            for (int i = 0; i < window.size(); i++) {
                Request request = window.get(i);
                Answer answer = await(answers.get(i));
                sent++;
                statuses.computeIfAbsent(operation.name(), k -> new TreeMap<>()).merge(answer.status, 1, Integer::sum);
                check(request, answer).ifPresent(gap -> gaps.add(gap + "\n    request: " + request.describe()
                    + "\n    answer: " + answer.status + " " + answer.contentType + " " + shorten(answer.body)
                    + (answer.failure == null ? "" : " " + answer.failure)));
            }
        }
    }

    /** What is wrong with {@code answer} to {@code request}, by the document; empty when nothing is. */
    private Optional<String> check(Request request, Answer answer) {
        if (answer.failure != null) {
            return refusedBody(request) ? Optional.empty() : Optional.of("no answer");
        }
        Operation operation = document.route(request.method(), request.uri().split("\\?", 2)[0]);
        boolean reached = operation != null && operation.method().equals(request.method());
        Map<Integer, Set<String>> allowed = new HashMap<>();
        if (operation == null) {
            allowed.put(404, Set.of("NOT_FOUND"));
        } else if (!reached) {
            allowed.put(405, Set.of("METHOD_NOT_ALLOWED"));
        } else {
            allowed.putAll(operation.codesByStatus());
        }
        addGlobalAnswers(request, operation, allowed);
        int status = answer.status;
        String where = operation == null ? "an undescribed path" : operation.name();
        if (!allowed.containsKey(status)) {
            return Optional.of((status >= 500 ? "5xx! " : "") + where + " does not document " + status);
        }
        if (request.method().equals("HEAD")) {
            return Optional.empty(); // no body to look at
        }
        if (status < 400) {
            boolean documentedJson = reached && operation.jsonSuccess().contains(status);
            return documentedJson && !isJson(answer.body)
                ? Optional.of(where + " answered " + status + " with a body that is not JSON") : Optional.empty();
        }
        if (answer.contentType == null || !answer.contentType.startsWith(PROBLEM_JSON)) {
            // Readiness answers its 503 with the Health document, not a problem.
            boolean healthBody = operation != null && operation.path().startsWith("/health/") && isJson(answer.body);
            return healthBody ? Optional.empty() : Optional.of(where + " answered " + status + " without a problem body");
        }
        return checkProblem(where, status, answer.body, allowed.get(status));
    }

    /** What is wrong with a problem body: not JSON, another status inside, or a code {@code codes} does not name. */
    private static Optional<String> checkProblem(String where, int status, String body, Set<String> codes) {
        JsonObject problem;
        try {
            problem = new JsonObject(body);
        } catch (RuntimeException e) {
            return Optional.of(where + " answered " + status + " with a problem body that is not JSON");
        }
        String code = problem.getString("code");
        if (!Integer.valueOf(status).equals(problem.getInteger("status"))) {
            return Optional.of(where + " answered " + status + " with a problem of status " + problem.getValue("status"));
        }
        if (codes.isEmpty()) {
            return Optional.of(where + " documents " + status + " without naming its code; answered " + code);
        }
        return codes.contains(code) ? Optional.empty()
            : Optional.of(where + " answered " + status + " " + code + "; its " + status + " names only " + codes);
    }

    /**
     * The answers the document's introduction allows any operation, under the conditions it gives
     * them: a malformed escape anywhere, the rest under /api/v1 only.
     */
    private void addGlobalAnswers(Request request, Operation operation, Map<Integer, Set<String>> allowed) {
        String rawPath = request.uri().split("\\?", 2)[0];
        boolean api = FuzzDocument.normalize(rawPath).startsWith("/api/v1/");
        boolean malformed = FuzzDocument.hasMalformedEscape(request.uri());
        document.globalAnswers.forEach((status, code) -> {
            boolean applies = switch (status) {
                case 400 -> malformed;
                case 401, 403 -> api && operation != null && operation.needsToken();
                case 415 -> api && operation != null && !operation.bodyTypes().isEmpty();
                default -> api;
            };
            if (applies) {
                allowed.merge(status, Set.of(code), FuzzDocument::union);
            }
        });
        // "A query value that holds a % once decoded is answered 422 VALIDATION_FAILED."
        String query = request.uri().contains("?") ? request.uri().split("\\?", 2)[1] : "";
        if (api && !malformed && FuzzDocument.decode(query).contains("%")) {
            allowed.merge(422, Set.of("VALIDATION_FAILED"), FuzzDocument::union);
        }
    }

    /** A body over the limit: the node answers 413 and may close the connection before the client has sent it all. */
    private static boolean refusedBody(Request request) {
        return request.body() != null && request.body().length > 16_384;
    }

    private static Future<Answer> send(Context context, HttpClient client, Request request, String authorization, String address) {
        LocalTime sentAt = LocalTime.now();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(request.method()))
            .setURI(request.uri()).setIdleTimeout(ANSWER_SECONDS * 1_000L).putHeader("X-Forwarded-For", address);
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        request.headers().forEach(header -> options.putHeader(header.getKey(), header.getValue()));
        return onContext(context, () -> client.request(options)
            .compose(sending -> request.body() == null ? sending.send() : sending.send(Buffer.buffer(request.body())))
            .compose(response -> response.body().map(body ->
                new Answer(response.statusCode(), response.getHeader("Content-Type"), body.toString(), null)))
            .timeout(ANSWER_SECONDS, TimeUnit.SECONDS)
            .recover(failure -> Future.succeededFuture(new Answer(-1, null, "", new IllegalStateException(
                "sent at " + sentAt + ": " + failure, failure)))));
    }

    /** What {@code request} gives, made on {@code context}. */
    private static <T> Future<T> onContext(Context context, Supplier<Future<T>> request) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            try {
                request.get().onComplete(result);
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return result.future();
    }

    private static boolean isJson(String body) {
        try {
            Json.decodeValue(body);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String shorten(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "..." : body;
    }

    /** The accounts and tokens the fuzz signs in with, made over REST before it starts. */
    private static final class Accounts {
        private final Context context;
        private final HttpClient client;
        private final UserRepository users;
        private final Map<Credential, String> authorization = new EnumMap<>(Credential.class);
        private final Map<Credential, String[]> logins = new EnumMap<>(Credential.class);
        private final FuzzRequests.Known known;

        Accounts(Context context, HttpClient client, TestNode node, String adminName, String adminPassword) {
            this.context = context;
            this.client = client;
            this.users = new UserRepository(node.node.stores().pool());
            String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
            JsonObject admin = login(adminName, adminPassword);
            authorization.put(Credential.PLAYER, bearer(register("player" + suffix)));
            authorization.put(Credential.MODERATOR, bearer(withRole("moder" + suffix, Role.MODERATOR)));
            authorization.put(Credential.ADMIN, bearer(admin));
            JsonObject revoked = register("revoked" + suffix);
            call("POST", "/api/v1/auth/logout", bearer(revoked), null, 204);
            authorization.put(Credential.REVOKED, bearer(revoked));
            JsonObject disabled = register("disabled" + suffix);
            call("POST", "/api/v1/admin/users/" + userId(disabled) + "/disable", bearer(admin), null, 204);
            authorization.put(Credential.DISABLED, bearer(disabled));
            forgeTokens(node, admin);
            // Who calls the operations that end sessions, one fresh session per call.
            logins.put(Credential.PLAYER, new String[] {"ender" + suffix, password("ender" + suffix)});
            register("ender" + suffix);
            logins.put(Credential.MODERATOR, new String[] {"endmod" + suffix, password("endmod" + suffix)});
            withRole("endmod" + suffix, Role.MODERATOR);
            logins.put(Credential.ADMIN, new String[] {adminName, adminPassword});
            // A second session of the player's to end, an account for admins to disable, one to sign in to.
            JsonObject spare = login("player" + suffix, password("player" + suffix));
            JsonObject victim = register("victim" + suffix);
            register("target" + suffix);
            List<String> refreshTokens = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                refreshTokens.add(login("target" + suffix, password("target" + suffix)).getString("refreshToken"));
            }
            known = new FuzzRequests.Known("player" + suffix, spare.getString("sessionId"), userId(victim).toString(),
                refreshTokens, "target" + suffix, password("target" + suffix));
        }

        /** Tokens no session stands behind: expired, signed with another key, or ours but naming no one. */
        private void forgeTokens(TestNode node, JsonObject admin) {
            AuthOptions ours = new AuthOptions().setJwtSecret(JWT_SECRET);
            AuthOptions theirs = new AuthOptions().setJwtSecret("a different secret, at least 32 bytes long");
            Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
            UUID adminId = userId(admin);
            UUID adminSession = UUID.fromString(admin.getString("sessionId"));
            String adminName = admin.getJsonObject("user").getString("username");
            UUID someone = UUID.randomUUID();
            authorization.put(Credential.GARBAGE, "Bearer not.a.token");
            authorization.put(Credential.EXPIRED, "Bearer " + new TokenService(node.vertx, ours, twoHoursAgo)
                .issue(adminId, adminName, Role.ADMIN, adminSession).value());
            authorization.put(Credential.FORGED, "Bearer " + new TokenService(node.vertx, theirs)
                .issue(adminId, adminName, Role.ADMIN, adminSession).value());
            authorization.put(Credential.FOREIGN_CLAIMS, "Bearer " + new TokenService(node.vertx, ours)
                .issue(someone, "nobody", Role.ADMIN, someone).value());
        }

        private JsonObject withRole(String username, Role role) {
            await(users.setRole(userId(register(username)), role));
            return login(username, password(username));
        }

        FuzzRequests.Known known() {
            return known;
        }

        /** The Authorization header for {@code credential} (null: none). */
        String authorization(Credential credential) {
            return authorization.get(credential);
        }

        /** As {@link #authorization}, but a role's token of a session of its own, for a call that may end it. */
        String freshAuthorization(Credential credential) {
            String[] login = logins.get(credential);
            return login == null ? authorization(credential) : bearer(login(login[0], login[1]));
        }

        private JsonObject register(String username) {
            JsonObject body = new JsonObject().put("username", username).put("email", username + "@example.test")
                .put("password", password(username));
            return call("POST", "/api/v1/auth/register", null, body, 201);
        }

        private JsonObject login(String username, String password) {
            return call("POST", "/api/v1/auth/login", null, new JsonObject().put("login", username).put("password", password), 200);
        }

        private JsonObject call(String method, String uri, String authorization, JsonObject body, int expected) {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI(uri)
                .putHeader("X-Forwarded-For", SETUP_ADDRESS);
            if (authorization != null) {
                options.putHeader("Authorization", authorization);
            }
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
            }
            Answer answer = await(onContext(context, () -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
                .compose(response -> response.body().map(b ->
                    new Answer(response.statusCode(), response.getHeader("Content-Type"), b.toString(), null)))));
            assertThat(answer.status).as("%s %s: %s", method, uri, answer.body).isEqualTo(expected);
            return answer.body.isEmpty() ? new JsonObject() : new JsonObject(answer.body);
        }

        private static String password(String username) {
            return "correct horse " + username;
        }

        private static String bearer(JsonObject session) {
            return "Bearer " + session.getString("accessToken");
        }

        private static UUID userId(JsonObject session) {
            return UUID.fromString(session.getJsonObject("user").getString("id"));
        }
    }
}

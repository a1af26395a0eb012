package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.registration;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.protection.CorsOptions;
import org.quizengine.api.protection.LoginThrottleOptions;
import org.quizengine.api.protection.ProtectionOptions;
import org.quizengine.api.protection.RateLimitOptions;
import org.quizengine.api.protection.TrustedProxies;

/**
 * CORS, body limits, rate limits and login throttling as a REST client meets them, on two nodes
 * over the same PostgreSQL and Redis, so the limits are seen to hold across a cluster.
 *
 * <p>The nodes trust the loopback peer as a proxy, so each test picks its own client address with
 * {@code X-Forwarded-For} and its counters start from zero; {@link #untrusting} does not, to show
 * the header is ignored from anyone else.
 */
@ExtendWith(VertxExtension.class)
class ProtectionApiTest {
    private static final String ALLOWED_ORIGIN = "https://quiz.example.com";
    private static final String LOGIN = "/api/v1/auth/login";
    private static final String REGISTER = "/api/v1/auth/register";
    private static final String ME = "/api/v1/me";
    private static final String PASSWORD = "correct horse battery";
    private static final int BODY_LIMIT = 4096;
    private static final int BULK_LIMIT = 64 * 1024;
    private static final int REQUESTS_PER_WINDOW = 20;
    private static final int PER_ACCOUNT_AND_ADDRESS = 3;
    private static final int PER_ACCOUNT = 5;
    private static final int PER_ADDRESS = 8;
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 22));

    @TempDir
    static Path dataDir;
    static TestNode nodeA;
    static TestNode nodeB;
    /** Forgets login failures after 2 s; no request limits. */
    static TestNode shortWindow;
    /** Trusts no proxy and configures nothing but a small per-address limit. */
    static TestNode untrusting;

    @BeforeAll
    static void start(Vertx vertx) {
        ProtectionOptions cluster = ProtectionOptions.defaults()
            .withMaxBodyBytes(BODY_LIMIT)
            .withCors(CorsOptions.parse(ALLOWED_ORIGIN, false))
            // A range, as behind an ingress whose pods change address: the tests' forwarded addresses are believed through it.
            .withTrustedProxies(TrustedProxies.parse("127.0.0.0/8"))
            .withRateLimits(new RateLimitOptions(Duration.ofMinutes(1), REQUESTS_PER_WINDOW, REQUESTS_PER_WINDOW))
            .withLoginThrottle(new LoginThrottleOptions(Duration.ofMinutes(1), PER_ACCOUNT_AND_ADDRESS, PER_ACCOUNT,
                PER_ADDRESS));
        nodeA = TestNode.start(vertx, dataDir, TestNode.CHEAP_ARGON2, cluster);
        nodeB = TestNode.alongside(nodeA, cluster);
        shortWindow = TestNode.alongside(nodeA, cluster
            .withRateLimits(new RateLimitOptions(Duration.ofMinutes(1), 0, 0))
            .withLoginThrottle(new LoginThrottleOptions(Duration.ofSeconds(2), PER_ACCOUNT_AND_ADDRESS, PER_ACCOUNT,
                PER_ADDRESS)));
        untrusting = TestNode.alongside(nodeA, ProtectionOptions.defaults()
            .withRateLimits(new RateLimitOptions(Duration.ofMinutes(1), 5, 5)));

        Router echo = Router.router(vertx);
        echo.post("/body").handler(ctx -> ctx.end("read " + ctx.body().length() + " bytes"));
        nodeA.api.mountPublic("/echo", echo);
        Router bulk = Router.router(vertx);
        bulk.post("/import").handler(ctx -> ctx.end("read " + ctx.body().length() + " bytes"));
        nodeA.api.mountPublic("/bulk", bulk).withBodyLimit("/bulk/import", BULK_LIMIT);
    }

    @AfterAll
    static void stop() {
        untrusting.stop();
        shortWindow.stop();
        nodeB.stop();
        nodeA.stop();
    }

    // --- CORS ---

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithWhatTheApiUses() {
        HttpResponse<Buffer> response = preflight(nodeA, ALLOWED_ORIGIN);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE");
        assertThat(response.getHeader("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type");
        assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();
        assertThat(response.headers().getAll("Vary")).anySatisfy(vary -> assertThat(vary).contains("Origin"));
    }

    @Test
    void aPreflightFromAnyOtherOriginIsRefused() {
        for (String origin : List.of("https://evil.example.com", "http://quiz.example.com", "https://quiz.example.com:8443",
            "null")) {
            HttpResponse<Buffer> response = preflight(nodeA, origin);

            assertProblem(response, 403, "ORIGIN_NOT_ALLOWED");
            assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
            assertThat(response.getHeader("Access-Control-Allow-Methods")).isNull();
        }
    }

    @Test
    void withoutConfiguredOriginsNoBrowserOriginIsAllowed() {
        HttpResponse<Buffer> preflight = preflight(untrusting, ALLOWED_ORIGIN);
        HttpResponse<Buffer> actual = await(untrusting.client.get("/health/live").putHeader("Origin", ALLOWED_ORIGIN).send());

        assertProblem(preflight, 403, "ORIGIN_NOT_ALLOWED");
        assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
        assertThat(actual.getHeader("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void anActualRequestFromAnAllowedOriginMayBeReadByThePage() {
        String address = uniqueAddress();
        String token = signUp(nodeA, address);

        HttpResponse<Buffer> allowed = await(request(nodeB, HttpMethod.GET, ME, address)
            .bearerTokenAuthentication(token).putHeader("Origin", ALLOWED_ORIGIN).send());
        HttpResponse<Buffer> other = await(request(nodeB, HttpMethod.GET, ME, address)
            .bearerTokenAuthentication(token).putHeader("Origin", "https://evil.example.com").send());

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(allowed.getHeader("Access-Control-Expose-Headers")).contains("Retry-After", "RateLimit-Remaining");
        assertThat(allowed.headers().getAll("Vary")).anySatisfy(vary -> assertThat(vary).contains("Origin"));
        // Served (a browser keeps it from the page), but nothing says the page may read it.
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
    }

    // --- body limits ---

    @Test
    void aBodyOverTheConfiguredLimitIsRefusedWhenContentLengthAnnouncesIt() {
        HttpResponse<Buffer> refused = await(request(nodeA, HttpMethod.POST, "/api/v1/echo/body", uniqueAddress())
            .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("x".repeat(BODY_LIMIT + 1))));
        HttpResponse<Buffer> read = await(request(nodeA, HttpMethod.POST, "/api/v1/echo/body", uniqueAddress())
            .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("x".repeat(BODY_LIMIT))));

        assertProblem(refused, 413, "BODY_TOO_LARGE");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains(BODY_LIMIT + " bytes");
        assertThat(read.bodyAsString()).isEqualTo("read " + BODY_LIMIT + " bytes");
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsRefusedOnceItPassesTheLimit() {
        ChunkedResponse refused = sendChunked(nodeA, "/api/v1/echo/body", 8, 1024);
        ChunkedResponse read = sendChunked(nodeA, "/api/v1/echo/body", 4, 1024);

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.contentType()).isEqualTo(Problems.CONTENT_TYPE);
        JsonObject problem = new JsonObject(refused.body());
        assertThat(problem.getString("code")).isEqualTo("BODY_TOO_LARGE");
        assertThat(problem.getString("detail")).contains(BODY_LIMIT + " bytes");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("read 4096 bytes");
    }

    @Test
    void aRouteWithItsOwnLimitTakesLargerBodiesAndStillHasALimit() {
        String address = uniqueAddress();
        HttpResponse<Buffer> large = await(request(nodeA, HttpMethod.POST, "/api/v1/bulk/import", address)
            .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer("x".repeat(BULK_LIMIT))));
        HttpResponse<Buffer> tooLarge = await(request(nodeA, HttpMethod.POST, "/api/v1/bulk/import", address)
            .putHeader("Content-Type", "text/csv").sendBuffer(Buffer.buffer("x".repeat(BULK_LIMIT + 1))));
        ChunkedResponse chunked = sendChunked(nodeA, "/api/v1/bulk/import", 16, 1024);

        assertThat(large.bodyAsString()).isEqualTo("read " + BULK_LIMIT + " bytes");
        assertProblem(tooLarge, 413, "BODY_TOO_LARGE");
        assertThat(tooLarge.bodyAsJsonObject().getString("detail")).contains(BULK_LIMIT + " bytes");
        assertThat(chunked.body()).isEqualTo("read 16384 bytes");
    }

    // --- rate limits ---

    @Test
    void anonymousRequestsFromOneAddressShareOneLimitAcrossNodes() {
        String address = uniqueAddress();
        for (int i = 1; i <= REQUESTS_PER_WINDOW; i++) {
            HttpResponse<Buffer> response = await(request(i % 2 == 0 ? nodeA : nodeB, HttpMethod.GET, ME, address).send());
            assertProblem(response, 401, "UNAUTHORIZED");
            assertThat(response.getHeader("RateLimit-Limit")).isEqualTo(Integer.toString(REQUESTS_PER_WINDOW));
            assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo(Integer.toString(REQUESTS_PER_WINDOW - i));
        }

        HttpResponse<Buffer> onA = await(request(nodeA, HttpMethod.GET, ME, address).send());
        HttpResponse<Buffer> onB = await(request(nodeB, HttpMethod.POST, REGISTER, address)
            .sendJsonObject(registration(uniqueName("late"), uniqueName("late") + "@example.com", PASSWORD)));
        HttpResponse<Buffer> otherAddress = await(request(nodeB, HttpMethod.GET, ME, uniqueAddress()).send());

        for (HttpResponse<Buffer> limited : List.of(onA, onB)) {
            assertProblem(limited, 429, "RATE_LIMITED");
            assertRetryAfterWithinTheWindow(limited);
            assertThat(limited.getHeader("RateLimit-Remaining")).isEqualTo("0");
            assertThat(limited.getHeader("X-RateLimit-Limit")).isEqualTo(Integer.toString(REQUESTS_PER_WINDOW));
            assertThat(limited.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(Long.parseLong(limited.getHeader("RateLimit-Reset"))).isBetween(1L, 60L);
        }
        assertProblem(otherAddress, 401, "UNAUTHORIZED");
    }

    @Test
    void aSignedInUserHasOneLimitAcrossNodesAndAddresses() {
        String token = signUp(nodeA, uniqueAddress());
        String otherToken = signUp(nodeA, uniqueAddress());
        for (int i = 1; i <= REQUESTS_PER_WINDOW; i++) {
            // Each request from a new address: the user, not the address, is counted.
            HttpResponse<Buffer> response = await(request(i % 2 == 0 ? nodeA : nodeB, HttpMethod.GET, ME, uniqueAddress())
                .bearerTokenAuthentication(token).send());
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        }

        HttpResponse<Buffer> limited = await(request(nodeA, HttpMethod.GET, ME, uniqueAddress())
            .bearerTokenAuthentication(token).send());
        HttpResponse<Buffer> otherUser = await(request(nodeB, HttpMethod.GET, ME, uniqueAddress())
            .bearerTokenAuthentication(otherToken).send());

        assertProblem(limited, 429, "RATE_LIMITED");
        assertRetryAfterWithinTheWindow(limited);
        assertThat(otherUser.statusCode()).isEqualTo(200);
    }

    @Test
    void healthIsNotRateLimited() {
        String address = uniqueAddress();
        exhaustRequests(address);

        HttpResponse<Buffer> live = await(request(nodeA, HttpMethod.GET, "/health/live", address).send());
        HttpResponse<Buffer> ready = await(request(nodeB, HttpMethod.GET, "/health/ready", address).send());

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(live.getHeader("RateLimit-Limit")).isNull();
    }

    @Test
    void forwardedForFromAPeerThatIsNoTrustedProxyIsIgnored() {
        // The untrusting node allows 5 requests per address; changing the header does not help.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(await(request(untrusting, HttpMethod.GET, ME, uniqueAddress()).send()).statusCode());
        }

        assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
    }

    @Test
    void behindTrustedProxiesInARangeTheRightMostUntrustedHopIsTheClient() {
        // The client forges a left-most entry; a proxy at 127.0.0.9 (in the trusted 127.0.0.0/8) appended
        // the client's real address, and the peer (127.0.0.1) is trusted too: only the real one counts.
        String real = uniqueAddress();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= REQUESTS_PER_WINDOW; i++) {
            statuses.add(await(nodeA.client.request(HttpMethod.GET, ME)
                .putHeader("X-Forwarded-For", uniqueAddress() + ", " + real + ", 127.0.0.9").send()).statusCode());
        }

        assertThat(statuses.subList(0, REQUESTS_PER_WINDOW)).containsOnly(401);
        assertThat(statuses.get(REQUESTS_PER_WINDOW)).as("the real address's limit, whatever the forged entry").isEqualTo(429);
        assertThat(await(request(nodeA, HttpMethod.GET, ME, uniqueAddress()).send()).statusCode())
            .as("another client behind the same proxies").isEqualTo(401);
    }

    // --- login throttling ---

    @Test
    void failedLoginsForOneAccountFromOneAddressAreThrottledAcrossNodes() {
        String address = uniqueAddress();
        String username = registerUser(address);
        for (int i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
            assertProblem(login(i % 2 == 0 ? nodeA : nodeB, address, username, "wrong password"), 401,
                "INVALID_CREDENTIALS");
        }

        // Even the right password is not looked at now, on either node.
        HttpResponse<Buffer> onA = login(nodeA, address, username, PASSWORD);
        HttpResponse<Buffer> onB = login(nodeB, address, username, PASSWORD);
        HttpResponse<Buffer> elsewhere = login(nodeB, uniqueAddress(), username, PASSWORD);

        for (HttpResponse<Buffer> throttled : List.of(onA, onB)) {
            assertProblem(throttled, 429, "LOGIN_THROTTLED");
            assertRetryAfterWithinTheWindow(throttled);
            assertThat(throttled.bodyAsJsonObject().containsKey("accessToken")).isFalse();
        }
        // The owner, from their own address, is not locked out by failures from another.
        assertThat(elsewhere.statusCode()).isEqualTo(200);
    }

    @Test
    void loginsSentAllAtOnceGetNoMoreGuessesThanLoginsSentOneByOne() {
        String address = uniqueAddress();
        String username = registerUser(address);
        List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
        for (int i = 0; i < 4 * PER_ACCOUNT_AND_ADDRESS; i++) {
            burst.add(request(i % 2 == 0 ? nodeA : nodeB, HttpMethod.POST, LOGIN, address)
                .sendJsonObject(AuthApiTest.login(username, "wrong password " + i)));
        }
        await(Future.join(burst));

        List<Integer> statuses = burst.stream().map(answer -> answer.result().statusCode()).toList();
        // Each password checked was counted before it was checked, so the burst got the same
        // number of guesses as one client trying one at a time.
        assertThat(statuses.stream().filter(status -> status == 401)).hasSize(PER_ACCOUNT_AND_ADDRESS);
        assertThat(statuses.stream().filter(status -> status == 429)).hasSize(3 * PER_ACCOUNT_AND_ADDRESS);
    }

    @Test
    void failedLoginsForOneAccountFromManyAddressesAreThrottledForEveryone() {
        String username = registerUser(uniqueAddress());
        for (int i = 0; i < PER_ACCOUNT; i++) {
            assertProblem(login(i % 2 == 0 ? nodeA : nodeB, uniqueAddress(), username, "wrong password"), 401,
                "INVALID_CREDENTIALS");
        }

        HttpResponse<Buffer> throttled = login(nodeA, uniqueAddress(), username, PASSWORD);

        assertProblem(throttled, 429, "LOGIN_THROTTLED");
        assertRetryAfterWithinTheWindow(throttled);
    }

    @Test
    void aUsernameAndItsEmailCountAgainstTheSameAccount() {
        String address = uniqueAddress();
        String username = registerUser(address);
        String email = (username + "@example.com").toUpperCase(Locale.ROOT);
        for (int i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) {
            assertProblem(login(i % 2 == 0 ? nodeA : nodeB, address, i % 2 == 0 ? username : email, "wrong password"),
                401, "INVALID_CREDENTIALS");
        }
        assertProblem(login(nodeA, address, email, PASSWORD), 429, "LOGIN_THROTTLED");
        assertProblem(login(nodeB, address, username, PASSWORD), 429, "LOGIN_THROTTLED");

        // Spread over addresses, the account-wide limit is one count too, whichever name was typed.
        String other = registerUser(uniqueAddress());
        for (int i = 0; i < PER_ACCOUNT; i++) {
            assertProblem(login(nodeA, uniqueAddress(), i % 2 == 0 ? other : other + "@example.com", "wrong password"),
                401, "INVALID_CREDENTIALS");
        }
        assertProblem(login(nodeB, uniqueAddress(), other + "@example.com", PASSWORD), 429, "LOGIN_THROTTLED");
    }

    @Test
    void unknownAccountsAreThrottledExactlyLikeKnownOnes() {
        String known = registerUser(uniqueAddress());
        String unknown = uniqueName("ghost");
        List<HttpResponse<Buffer>> knownAnswers = new ArrayList<>();
        List<HttpResponse<Buffer>> unknownAnswers = new ArrayList<>();
        for (int i = 0; i <= PER_ACCOUNT; i++) {
            knownAnswers.add(login(nodeA, uniqueAddress(), known, "wrong password"));
            unknownAnswers.add(login(nodeB, uniqueAddress(), unknown, "wrong password"));
        }

        for (int i = 0; i <= PER_ACCOUNT; i++) {
            HttpResponse<Buffer> knownAnswer = knownAnswers.get(i);
            HttpResponse<Buffer> unknownAnswer = unknownAnswers.get(i);
            assertThat(unknownAnswer.statusCode()).isEqualTo(knownAnswer.statusCode());
            assertThat(unknownAnswer.bodyAsJsonObject().getString("code"))
                .isEqualTo(knownAnswer.bodyAsJsonObject().getString("code"));
            // The seconds to wait may differ by one, as the two windows opened moments apart.
            assertThat(unknownAnswer.bodyAsJsonObject().getString("detail").replaceAll("\\d+", "N"))
                .isEqualTo(knownAnswer.bodyAsJsonObject().getString("detail").replaceAll("\\d+", "N"));
        }
        assertProblem(knownAnswers.get(PER_ACCOUNT), 429, "LOGIN_THROTTLED");
    }

    @Test
    void failedLoginsForManyAccountsFromOneAddressThrottleThatAddress() {
        String address = uniqueAddress();
        String username = registerUser(uniqueAddress());
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertProblem(login(i % 2 == 0 ? nodeA : nodeB, address, uniqueName("guess"), "wrong password"), 401,
                "INVALID_CREDENTIALS");
        }

        HttpResponse<Buffer> fromThatAddress = login(nodeA, address, username, PASSWORD);
        HttpResponse<Buffer> fromAnother = login(nodeB, uniqueAddress(), username, PASSWORD);

        assertProblem(fromThatAddress, 429, "LOGIN_THROTTLED");
        assertThat(fromAnother.statusCode()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginForgivesThatClientsEarlierFailures() {
        String address = uniqueAddress();
        String username = registerUser(address);
        assertThat(login(nodeA, address, username, "typo one").statusCode()).isEqualTo(401);
        assertThat(login(nodeB, address, username, "typo two").statusCode()).isEqualTo(401);
        assertThat(login(nodeA, address, username, PASSWORD).statusCode()).isEqualTo(200);

        assertThat(login(nodeB, address, username, "typo three").statusCode()).isEqualTo(401);
        assertThat(login(nodeA, address, username, "typo four").statusCode()).isEqualTo(401);

        // Four failures from this address, but only two since the success: below the limit of three.
        assertThat(login(nodeB, address, username, PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void throttlingEndsWhenItsWindowHasPassed() throws InterruptedException {
        String address = uniqueAddress();
        String username = registerUser(address);
        // Fail until throttled: on a slow machine a 2 s window may pass between failures, which only
        // means more of them (the other tests show how many it takes).
        HttpResponse<Buffer> throttled = null;
        for (int i = 0; i < 20 && throttled == null; i++) {
            HttpResponse<Buffer> response = login(shortWindow, address, username, "wrong password");
            if (response.statusCode() == 429) {
                throttled = response;
            } else {
                assertProblem(response, 401, "INVALID_CREDENTIALS");
            }
        }
        assertThat(throttled).as("throttled within 20 attempts").isNotNull();
        assertProblem(throttled, 429, "LOGIN_THROTTLED");
        long retryAfter = Long.parseLong(throttled.getHeader("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 2L);

        Thread.sleep(retryAfter * 1000 + 500);

        assertThat(login(shortWindow, address, username, PASSWORD).statusCode()).isEqualTo(200);
    }

    // --- Redis unreachable ---

    @Test
    void withoutRedisRequestsAndLoginsAreNotLimited(Vertx vertx) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Redis unreachable = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort);
        TestNode blind = TestNode.alongside(nodeA, ProtectionOptions.defaults()
            .withTrustedProxies(TrustedProxies.parse("127.0.0.1"))
            .withRateLimits(new RateLimitOptions(Duration.ofMinutes(1), 2, 2))
            .withLoginThrottle(new LoginThrottleOptions(Duration.ofMinutes(1), 1, 1, 1)), RedisAPI.api(unreachable));
        try {
            String address = uniqueAddress();
            String username = registerUser(address);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(login(blind, address, username, "wrong password").statusCode());
            }
            statuses.add(login(blind, address, username, PASSWORD).statusCode());

            // Fail open: over every configured limit, yet nothing is refused (readiness reports Redis).
            assertThat(statuses).containsExactly(401, 401, 401, 200);
        } finally {
            blind.stop();
            unreachable.close();
        }
    }

    // --- headers on everything ---

    @Test
    void everyKindOfResponseCarriesTheSecurityHeaders() {
        String address = uniqueAddress();
        String token = signUp(nodeA, address);
        HttpResponse<Buffer> success = await(request(nodeA, HttpMethod.GET, ME, address).bearerTokenAuthentication(token).send());
        HttpResponse<Buffer> unauthorized = await(request(nodeB, HttpMethod.GET, ME, address).send());
        HttpResponse<Buffer> unknownPath = await(request(nodeA, HttpMethod.GET, "/no/such/page", address).send());
        HttpResponse<Buffer> unknownApiPath = await(request(nodeA, HttpMethod.GET, "/api/v1/nothing-here", address)
            .bearerTokenAuthentication(token).send());
        HttpResponse<Buffer> tooLarge = await(request(nodeA, HttpMethod.POST, REGISTER, address)
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("x".repeat(BODY_LIMIT + 1))));
        HttpResponse<Buffer> notJson = await(request(nodeA, HttpMethod.POST, REGISTER, address)
            .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("{}")));
        HttpResponse<Buffer> preflight = preflight(nodeA, ALLOWED_ORIGIN);
        HttpResponse<Buffer> refusedPreflight = preflight(nodeA, "https://evil.example.com");
        String limitedAddress = uniqueAddress();
        exhaustRequests(limitedAddress);
        HttpResponse<Buffer> rateLimited = await(request(nodeB, HttpMethod.GET, ME, limitedAddress).send());

        assertThat(success.statusCode()).isEqualTo(200);
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownApiPath.statusCode()).isEqualTo(404);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(refusedPreflight.statusCode()).isEqualTo(403);
        assertThat(rateLimited.statusCode()).isEqualTo(429);
        for (HttpResponse<Buffer> response : List.of(success, unauthorized, unknownPath, unknownApiPath, tooLarge, notJson,
            preflight, refusedPreflight, rateLimited)) {
            assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(response.getHeader("Content-Security-Policy")).contains("default-src 'none'");
            assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        }
    }

    // --- helpers ---

    private static HttpRequest<Buffer> request(TestNode node, HttpMethod method, String path, String clientAddress) {
        return node.client.request(method, path).putHeader("X-Forwarded-For", clientAddress);
    }

    private static HttpResponse<Buffer> preflight(TestNode node, String origin) {
        return await(request(node, HttpMethod.OPTIONS, LOGIN, uniqueAddress())
            .putHeader("Origin", origin)
            .putHeader("Access-Control-Request-Method", "POST")
            .putHeader("Access-Control-Request-Headers", "content-type, authorization")
            .send());
    }

    private static HttpResponse<Buffer> login(TestNode node, String address, String username, String password) {
        return await(request(node, HttpMethod.POST, LOGIN, address).sendJsonObject(AuthApiTest.login(username, password)));
    }

    private static String registerUser(String address) {
        String username = uniqueName("throttle");
        HttpResponse<Buffer> response = await(request(nodeA, HttpMethod.POST, REGISTER, address)
            .sendJsonObject(registration(username, username + "@example.com", PASSWORD)));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return username;
    }

    private static String signUp(TestNode node, String address) {
        String username = uniqueName("limited");
        HttpResponse<Buffer> response = await(request(node, HttpMethod.POST, REGISTER, address)
            .sendJsonObject(registration(username, username + "@example.com", PASSWORD)));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return response.bodyAsJsonObject().getString("accessToken");
    }

    private static void exhaustRequests(String address) {
        for (int i = 0; i < REQUESTS_PER_WINDOW; i++) {
            assertThat(await(request(nodeA, HttpMethod.GET, ME, address).send()).statusCode()).isEqualTo(401);
        }
    }

    private static void assertRetryAfterWithinTheWindow(HttpResponse<Buffer> response) {
        assertThat(response.getHeader("Retry-After")).as("Retry-After").isNotNull();
        assertThat(Long.parseLong(response.getHeader("Retry-After"))).isBetween(1L, 60L);
    }

    /** A client address no other test uses, so each test's counters start from zero. */
    private static String uniqueAddress() {
        int n = NEXT_ADDRESS.getAndIncrement() & 0xFFFFFF;
        return "10." + (n >> 16 & 0xFF) + "." + (n >> 8 & 0xFF) + "." + (n & 0xFF);
    }

    /** POSTs {@code chunks} chunks of {@code chunkBytes} with chunked transfer encoding, no Content-Length. */
    private static ChunkedResponse sendChunked(TestNode node, String path, int chunks, int chunkBytes) {
        HttpClient client = node.vertx.createHttpClient();
        try {
            Future<ChunkedResponse> response = client.request(HttpMethod.POST, node.server.actualPort(), "127.0.0.1", path)
                .compose(request -> {
                    request.setChunked(true)
                        .putHeader("Content-Type", "text/plain")
                        .putHeader("X-Forwarded-For", uniqueAddress());
                    Future<ChunkedResponse> answer = request.response().compose(resp -> resp.body()
                        .map(body -> new ChunkedResponse(resp.statusCode(), resp.getHeader("Content-Type"), body.toString())));
                    writeChunks(request, chunks, chunkBytes);
                    return answer;
                });
            return await(response);
        } finally {
            await(client.close());
        }
    }

    private static void writeChunks(HttpClientRequest request, int chunks, int chunkBytes) {
        Buffer chunk = Buffer.buffer("y".repeat(chunkBytes));
        for (int i = 0; i < chunks; i++) {
            // The server may answer 413 and close before the last chunk; the answer is what counts.
            request.write(chunk);
        }
        request.end();
    }

    private record ChunkedResponse(int status, String contentType, String body) {
    }
}

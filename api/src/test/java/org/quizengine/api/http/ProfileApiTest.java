package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.testing.TestMatches;

/** Editing my profile, reading anyone's public profile, and lifetime stats with the level, over real HTTP. */
@ExtendWith(VertxExtension.class)
class ProfileApiTest {
    private static final String ME = "/api/v1/me";
    private static final String AVATAR = "https://cdn.example.com/avatars/me.png";

    @TempDir
    static Path dataDir;
    static TestNode node;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void editsDisplayNameAndAvatarAndClearsThemWithNull() {
        SignedUp alice = signUp("alice");

        HttpResponse<Buffer> edited = patchMe(alice.token(), new JsonObject().put("displayName", "Alice L.").put("avatarUrl", AVATAR));

        assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
        JsonObject body = edited.bodyAsJsonObject();
        assertThat(body.getString("displayName")).isEqualTo("Alice L.");
        assertThat(body.getString("avatarUrl")).isEqualTo(AVATAR);
        assertThat(body.getString("email")).isEqualTo(alice.email());
        assertThat(me(alice.token())).isEqualTo(body);

        // A field left out stays; a field sent as null is cleared.
        JsonObject onlyAvatarCleared = patchMe(alice.token(), new JsonObject().putNull("avatarUrl")).bodyAsJsonObject();
        assertThat(onlyAvatarCleared.getString("displayName")).isEqualTo("Alice L.");
        assertThat(onlyAvatarCleared.getValue("avatarUrl")).isNull();
        JsonObject bothCleared = patchMe(alice.token(), new JsonObject().putNull("displayName")).bodyAsJsonObject();
        assertThat(bothCleared.getValue("displayName")).isNull();
        assertThat(me(alice.token())).isEqualTo(bothCleared);
    }

    static Stream<Arguments> badEdits() {
        return Stream.of(
            Arguments.of("plain http avatar", new JsonObject().put("avatarUrl", "http://cdn.example.com/a.png"), List.of("avatarUrl")),
            Arguments.of("javascript avatar", new JsonObject().put("avatarUrl", "javascript:alert(1)"), List.of("avatarUrl")),
            Arguments.of("data avatar", new JsonObject().put("avatarUrl", "data:image/png;base64,AAAA"), List.of("avatarUrl")),
            Arguments.of("relative avatar", new JsonObject().put("avatarUrl", "/avatars/me.png"), List.of("avatarUrl")),
            Arguments.of("avatar without host", new JsonObject().put("avatarUrl", "https:///me.png"), List.of("avatarUrl")),
            Arguments.of("avatar with credentials", new JsonObject().put("avatarUrl", "https://user:pw@example.com/a.png"),
                List.of("avatarUrl")),
            Arguments.of("avatar with a space", new JsonObject().put("avatarUrl", "https://example.com/a b.png"), List.of("avatarUrl")),
            Arguments.of("too long avatar", new JsonObject().put("avatarUrl", "https://example.com/" + "a".repeat(2100)),
                List.of("avatarUrl")),
            Arguments.of("avatar as number", new JsonObject().put("avatarUrl", 42), List.of("avatarUrl")),
            Arguments.of("blank display name", new JsonObject().put("displayName", "   "), List.of("displayName")),
            Arguments.of("long display name", new JsonObject().put("displayName", "d".repeat(41)), List.of("displayName")),
            Arguments.of("display name with a newline", new JsonObject().put("displayName", "a\nb"), List.of("displayName")),
            Arguments.of("display name as object", new JsonObject().put("displayName", new JsonObject()), List.of("displayName")),
            Arguments.of("email", new JsonObject().put("email", "new@example.com"), List.of("email")),
            Arguments.of("role", new JsonObject().put("role", "admin").put("displayName", "Boss"), List.of("role")),
            Arguments.of("everything wrong", new JsonObject().put("username", "x").put("displayName", "")
                .put("avatarUrl", "ftp://example.com/a.png"), List.of("username", "displayName", "avatarUrl")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEdits")
    void aBadEditNamesEveryBadFieldAndChangesNothing(String name, JsonObject edit, List<String> fields) {
        SignedUp user = signUp("editor");
        JsonObject before = patchMe(user.token(), new JsonObject().put("displayName", "Before").put("avatarUrl", AVATAR))
            .bodyAsJsonObject();

        HttpResponse<Buffer> response = patchMe(user.token(), edit);

        assertProblem(response, 422, "VALIDATION_FAILED");
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("field")).distinct().toList())
            .containsExactlyInAnyOrderElementsOf(fields);
        assertThat(me(user.token())).isEqualTo(before);
    }

    @Test
    void anEditThatIsNotAJsonObjectIsRefused() {
        SignedUp user = signUp("raw");
        HttpResponse<Buffer> notJson = await(node.client.patch(ME).putHeader("Authorization", "Bearer " + user.token())
            .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"displayName\":")));
        assertProblem(notJson, 400, "MALFORMED_MESSAGE");
        HttpResponse<Buffer> array = await(node.client.patch(ME).putHeader("Authorization", "Bearer " + user.token())
            .sendJson(new JsonArray().add("x")));
        assertProblem(array, 400, "MALFORMED_MESSAGE");
        assertProblem(node.send(HttpMethod.PATCH, ME, null, new JsonObject().put("displayName", "x")), 401, "UNAUTHORIZED");
    }

    @Test
    void aPublicProfileShowsNameAvatarStatsAndNothingPrivate() {
        SignedUp owner = signUp("public");
        SignedUp reader = signUp("reader");
        patchMe(owner.token(), new JsonObject().put("displayName", "Pub Lic").put("avatarUrl", AVATAR));
        await(new MatchResultStore(node.stores.pool()).save(
            TestMatches.match(UUID.randomUUID(), System.currentTimeMillis(), 4, List.of(owner.id(), reader.id()))));

        // Any case finds the user, as login does.
        HttpResponse<Buffer> response = node.get("/api/v1/users/" + owner.username().toUpperCase(), reader.token());

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject profile = response.bodyAsJsonObject();
        assertThat(profile.fieldNames())
            .containsExactlyInAnyOrder("id", "username", "displayName", "avatarUrl", "memberSince", "stats");
        assertThat(profile.getString("id")).isEqualTo(owner.id().toString());
        assertThat(profile.getString("username")).isEqualTo(owner.username());
        assertThat(profile.getString("displayName")).isEqualTo("Pub Lic");
        assertThat(profile.getString("avatarUrl")).isEqualTo(AVATAR);
        assertThat(Instant.parse(profile.getString("memberSince"))).isBeforeOrEqualTo(Instant.now());
        JsonObject stats = profile.getJsonObject("stats");
        assertThat(stats.getInteger("matchesPlayed")).isEqualTo(1);
        assertThat(stats.getInteger("wins")).isEqualTo(1);
        assertThat(stats.containsKey("lastPlayedAt")).isFalse();
        String text = response.bodyAsString();
        assertThat(text).doesNotContainIgnoringCase(owner.email()).doesNotContain("\"role\"").doesNotContain("\"email\"")
            .doesNotContain("argon2");
    }

    @Test
    void anUnknownUserHasNoProfile() {
        SignedUp reader = signUp("lonely");
        for (String name : List.of("nobody-" + UUID.randomUUID().toString().substring(0, 8), "x".repeat(300), "' OR 1=1 --",
            "a\u0000b")) {
            assertProblem(node.get("/api/v1/users/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8),
                reader.token()), 404, "NOT_FOUND");
        }
        assertProblem(node.get("/api/v1/users/" + reader.username(), null), 401, "UNAUTHORIZED");
    }

    @Test
    void statsCountEveryMatchAndGiveTheLevel() {
        SignedUp ace = signUp("ace");
        SignedUp rival = signUp("rival");
        MatchResultStore results = new MatchResultStore(node.stores.pool());
        long now = System.currentTimeMillis();
        // Ace (player 0) answers all 10 right for 900 each; the rival (player 1) 3 of 10 for 850 each.
        await(results.save(TestMatches.match(UUID.randomUUID(), now - 60_000, 10, List.of(ace.id(), rival.id()))));
        await(results.save(TestMatches.match(UUID.randomUUID(), now, 10, List.of(ace.id(), rival.id()))));

        JsonObject aceStats = node.get(ME + "/stats", ace.token()).bodyAsJsonObject();
        assertThat(aceStats.getInteger("matchesPlayed")).isEqualTo(2);
        assertThat(aceStats.getInteger("wins")).isEqualTo(2);
        assertThat(aceStats.getLong("totalScore")).isEqualTo(18_000);
        assertThat(aceStats.getInteger("bestScore")).isEqualTo(9_000);
        assertThat(aceStats.getDouble("accuracy")).isEqualTo(1.0);
        assertThat(aceStats.getInteger("bestStreak")).isEqualTo(10);
        assertThat(aceStats.getLong("lastPlayedAt")).isEqualTo(now);
        // 15,000 reaches level 3; level 4 needs 30,000.
        assertThat(aceStats.getJsonObject("level")).isEqualTo(new JsonObject()
            .put("number", 3).put("levelScore", 15_000).put("nextLevelScore", 30_000).put("pointsToNextLevel", 12_000));

        JsonObject rivalStats = node.get(ME + "/stats", rival.token()).bodyAsJsonObject();
        assertThat(rivalStats.getInteger("wins")).isZero();
        assertThat(rivalStats.getLong("totalScore")).isEqualTo(5_100);
        assertThat(rivalStats.getDouble("accuracy")).isEqualTo(0.3);
        assertThat(rivalStats.getJsonObject("level").getInteger("number")).isEqualTo(2);

        // The same numbers are public, but for when they last played.
        JsonObject publicStats = node.get("/api/v1/users/" + ace.username(), rival.token()).bodyAsJsonObject().getJsonObject("stats");
        aceStats.remove("lastPlayedAt");
        assertThat(publicStats).isEqualTo(aceStats);
    }

    @Test
    void aNewcomerHasZeroStatsAtLevelOne() {
        SignedUp fresh = signUp("fresh");
        JsonObject stats = node.get(ME + "/stats", fresh.token()).bodyAsJsonObject();
        assertThat(stats.getInteger("matchesPlayed")).isZero();
        assertThat(stats.getDouble("accuracy")).isEqualTo(0.0);
        assertThat(stats.containsKey("lastPlayedAt")).isFalse();
        assertThat(stats.getJsonObject("level")).isEqualTo(new JsonObject()
            .put("number", 1).put("levelScore", 0).put("nextLevelScore", 5_000).put("pointsToNextLevel", 5_000));
    }

    @Test
    void aDisabledAccountReachesNoneOfItsData() {
        SignedUp user = signUp("disabled");
        await(node.users.setDisabled(user.id(), true));

        assertProblem(node.get(ME + "/stats", user.token()), 403, "ACCOUNT_DISABLED");
        assertProblem(patchMe(user.token(), new JsonObject().put("displayName", "x")), 403, "ACCOUNT_DISABLED");
        assertProblem(node.get(ME + "/matches", user.token()), 403, "ACCOUNT_DISABLED");
        assertProblem(node.get(ME + "/export", user.token()), 403, "ACCOUNT_DISABLED");
    }

    private static HttpResponse<Buffer> patchMe(String token, JsonObject body) {
        return node.send(HttpMethod.PATCH, ME, token, body);
    }

    private static JsonObject me(String token) {
        HttpResponse<Buffer> response = node.get(ME, token);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static SignedUp signUp(String prefix) {
        return SignedUp.register(node, prefix);
    }
}

package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertFieldErrors;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Role;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.testing.TestMatches;
import org.quizengine.shared.match.MatchResult;

/** My match history with date filters and keyset pages, and who may open a match, over real HTTP. */
@ExtendWith(VertxExtension.class)
class HistoryApiTest {
    private static final String MY_MATCHES = "/api/v1/me/matches";

    @TempDir
    static Path dataDir;
    static TestNode node;
    static MatchResultStore results;

    @BeforeAll
    static void start(Vertx vertx) {
        node = TestNode.start(vertx, dataDir);
        results = new MatchResultStore(node.stores.pool());
    }

    @AfterAll
    static void stop() {
        node.stop();
    }

    @Test
    void filtersByInstantsAndByUtcDays() {
        SignedUp me = signUp("dated");
        UUID lastOfNov19 = play(me, "2025-11-19T23:59:59.999Z");
        UUID firstOfNov20 = play(me, "2025-11-20T00:00:00Z");
        UUID noonOfNov20 = play(me, "2025-11-20T12:00:00Z");
        UUID firstOfNov21 = play(me, "2025-11-21T00:00:00Z");
        UUID nov22 = play(me, "2025-11-22T12:00:00Z");

        assertThat(ids(me, "from=2025-11-20&to=2025-11-20")).containsExactly(noonOfNov20, firstOfNov20);
        assertThat(ids(me, "from=2025-11-20T00:00:00Z&to=2025-11-21T00:00:00Z")).containsExactly(noonOfNov20, firstOfNov20);
        assertThat(ids(me, "from=" + enc("2025-11-20T01:00:00+01:00") + "&to=2025-11-20T00:00:00.001Z"))
            .containsExactly(firstOfNov20);
        assertThat(ids(me, "from=2025-11-21")).containsExactly(nov22, firstOfNov21);
        assertThat(ids(me, "to=2025-11-19")).containsExactly(lastOfNov19);
        assertThat(ids(me, "from=2025-11-23")).isEmpty();
        assertThat(ids(me, "")).containsExactly(nov22, firstOfNov21, noonOfNov20, firstOfNov20, lastOfNov19);
    }

    @Test
    void pagesWithinAFilterUntilTheLastPageWhichHasNoCursor() {
        SignedUp me = signUp("paged");
        List<UUID> expected = new ArrayList<>();
        for (int day = 19; day >= 15; day--) {
            expected.add(play(me, "2025-10-" + day + "T10:00:00Z"));
        }
        String filter = "from=2025-10-16&to=2025-10-19&limit=2";

        JsonObject first = page(me, filter);
        JsonObject second = page(me, filter + "&cursor=" + first.getString("nextCursor"));

        // Four matches in the range, two per page: the second page is full and is the last.
        assertThat(itemIds(first)).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(itemIds(second)).containsExactlyElementsOf(expected.subList(2, 4));
        assertThat(second.containsKey("nextCursor")).isFalse();
        JsonObject exactlyAll = page(me, "from=2025-10-16&to=2025-10-19&limit=4");
        assertThat(itemIds(exactlyAll)).hasSize(4);
        assertThat(exactlyAll.containsKey("nextCursor")).isFalse();
        JsonObject oneLess = page(me, "limit=4");
        assertThat(itemIds(oneLess)).containsExactlyElementsOf(expected.subList(0, 4));
        assertThat(itemIds(page(me, "limit=4&cursor=" + oneLess.getString("nextCursor")))).containsExactly(expected.get(4));
    }

    @Test
    void anEmptyHistoryIsOneEmptyPage() {
        SignedUp me = signUp("empty");
        JsonObject page = page(me, "");
        assertThat(page.getJsonArray("items")).isEmpty();
        assertThat(page.containsKey("nextCursor")).isFalse();
    }

    @Test
    void refusesBadFiltersLimitsAndCursors() {
        SignedUp me = signUp("picky");
        play(me, "2025-09-01T10:00:00Z");
        play(me, "2025-09-02T10:00:00Z");
        String cursor = page(me, "limit=1").getString("nextCursor");
        // One character of the position changed: still well-formed, but not what the server signed.
        char first = cursor.charAt(0);
        String edited = (first == 'M' ? 'N' : 'M') + cursor.substring(1);
        String forged = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(("1:" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        String unsigned = cursor.substring(0, cursor.indexOf('.'));
        SignedUp other = signUp("other");
        play(other, "2025-09-01T10:00:00Z");
        play(other, "2025-09-02T10:00:00Z");
        String borrowed = page(other, "limit=1").getString("nextCursor");

        List<String[]> bad = List.of(
            new String[] {"from=yesterday", "from"},
            new String[] {"from=2025-13-01", "from"},
            new String[] {"to=2025-11-20T25:00:00Z", "to"},
            new String[] {"to=1700000000", "to"},
            new String[] {"from=" + enc("+99999-01-01T00:00:00Z"), "from"},
            new String[] {"from=2025-11-21&to=2025-11-20", "from"},
            new String[] {"from=2025-11-20T10:00:00Z&to=2025-11-20T10:00:00Z", "from"},
            new String[] {"from=x&to=y", "from", "to"});
        for (String[] query : bad) {
            assertFieldErrors(node.get(MY_MATCHES + "?" + query[0], me.token()), Arrays.copyOfRange(query, 1, query.length));
        }
        for (String limit : List.of("0", "-1", "101", "ten", "2.5")) {
            assertFieldErrors(node.get(MY_MATCHES + "?limit=" + limit, me.token()), "limit");
        }
        for (String badCursor : List.of(edited, forged, forged + "." + forged, unsigned, borrowed, "garbage!", enc("' OR 1=1 --"), "A".repeat(200))) {
            assertFieldErrors(node.get(MY_MATCHES + "?cursor=" + badCursor, me.token()), "cursor");
        }
        assertProblem(node.get(MY_MATCHES, null), 401, "UNAUTHORIZED");
        // The genuine cursor still works.
        assertThat(itemIds(page(me, "limit=1&cursor=" + cursor))).hasSize(1);
    }

    @Test
    void aParticipantSeesEveryQuestionOptionAndAnswer() {
        SignedUp me = signUp("player");
        SignedUp rival = signUp("rival");
        MatchResult result = TestMatches.match(UUID.randomUUID(), Instant.parse("2025-08-01T10:00:00Z").toEpochMilli(), 3,
            List.of(rival.id(), me.id()));
        await(results.save(result));

        HttpResponse<Buffer> response = node.get("/api/v1/matches/" + result.matchId(), me.token());

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject detail = response.bodyAsJsonObject();
        assertThat(detail.getJsonArray("players")).hasSize(2);
        JsonArray questions = detail.getJsonArray("questions");
        assertThat(questions).hasSize(3);
        JsonObject second = questions.getJsonObject(1);
        assertThat(second.getJsonArray("options")).containsExactly("right", "wrong 1", "wrong 2", "wrong 3");
        assertThat(second.getInteger("correctOption")).isZero();
        // On question 1 the rival (player 0) is right for 900 points, I (player 1) pick option 1 for none.
        JsonArray answers = second.getJsonArray("answers");
        assertThat(answers).hasSize(2);
        JsonObject mine = answers.stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("userId").equals(me.id().toString())).findFirst().orElseThrow();
        assertThat(mine.getInteger("option")).isEqualTo(1);
        assertThat(mine.getBoolean("correct")).isFalse();
        assertThat(mine.getInteger("points")).isZero();
        JsonObject theirs = answers.stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("userId").equals(rival.id().toString())).findFirst().orElseThrow();
        assertThat(theirs.getInteger("points")).isEqualTo(900);
    }

    @Test
    void aStrangerIsToldTheMatchDoesNotExistButAModeratorMayReadIt() {
        SignedUp me = signUp("owner");
        SignedUp stranger = signUp("stranger");
        SignedUp moderator = signUp("moderator");
        await(node.users.setRole(moderator.id(), Role.MODERATOR));
        UUID matchId = play(me, "2025-08-02T10:00:00Z");

        HttpResponse<Buffer> hidden = node.get("/api/v1/matches/" + matchId, stranger.token());
        HttpResponse<Buffer> missing = node.get("/api/v1/matches/" + UUID.randomUUID(), stranger.token());

        assertProblem(hidden, 404, "NOT_FOUND");
        assertProblem(missing, 404, "NOT_FOUND");
        assertThat(hidden.bodyAsJsonObject().getString("detail")).isEqualTo(missing.bodyAsJsonObject().getString("detail"));
        assertThat(hidden.bodyAsString()).doesNotContain("Question");
        assertProblem(node.get("/api/v1/matches/not-a-uuid", me.token()), 404, "NOT_FOUND");
        assertProblem(node.get("/api/v1/matches/" + matchId, null), 401, "UNAUTHORIZED");

        assertThat(node.get("/api/v1/matches/" + matchId, me.token()).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> moderated = node.get("/api/v1/matches/" + matchId, moderator.token());
        assertThat(moderated.statusCode()).isEqualTo(200);
        assertThat(moderated.bodyAsJsonObject().getString("matchId")).isEqualTo(matchId.toString());
    }

    /** A one-player match of 2 questions for {@code player}, finished at {@code finishedAt}. */
    private static UUID play(SignedUp player, String finishedAt) {
        UUID matchId = UUID.randomUUID();
        await(results.save(TestMatches.match(matchId, Instant.parse(finishedAt).toEpochMilli(), 2, List.of(player.id()))));
        return matchId;
    }

    private static JsonObject page(SignedUp player, String query) {
        HttpResponse<Buffer> response = node.get(MY_MATCHES + (query.isEmpty() ? "" : "?" + query), player.token());
        assertThat(response.statusCode()).as("%s: %s", query, response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static List<UUID> ids(SignedUp player, String query) {
        return itemIds(page(player, query));
    }

    private static List<UUID> itemIds(JsonObject page) {
        return page.getJsonArray("items").stream()
            .map(item -> UUID.fromString(((JsonObject) item).getString("matchId"))).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static SignedUp signUp(String prefix) {
        return SignedUp.register(node, prefix);
    }
}

package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.assertProblem;
import static org.quizengine.api.http.TestNode.uniqueName;
import static org.quizengine.api.testing.StoreFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Role;
import org.quizengine.api.auth.Sessions;
import org.quizengine.api.auth.UserAccount;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.PlayerResult;

/**
 * The leaderboards over real HTTP, real PostgreSQL and real Redis. Matches are stored the way the
 * engine's result outbox stores them: PostgreSQL first, then the boards.
 *
 * <p>Redis expires period boards by its own, real clock, so the moments used here are around the
 * real now: a board written for a long-gone week would be deleted at once.
 */
@ExtendWith(VertxExtension.class)
class LeaderboardApiTest {
    private static final String BOARDS = "/api/v1/leaderboards/";
    private static final String REBUILD = "/api/v1/admin/leaderboards/rebuild";
    private static final List<String> ALL_BOARDS = List.of("all", "week", "day", "previous-week", "previous-day");
    private static final Instant TODAY = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant THIS_MONDAY = LocalDate.now(ZoneOffset.UTC)
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();

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

    /** Each test starts from empty boards; what PostgreSQL holds from other tests stays out of Redis. */
    @BeforeEach
    void emptyBoards() {
        await(node.stores.redis().flushall(List.of()));
        node.clock.set(null);
    }

    @AfterEach
    void realTime() {
        node.clock.set(null);
    }

    @Test
    void pagesAreConsistentAtTheEdges() {
        List<Player> players = players(5);
        Instant at = Instant.now().minusSeconds(60);
        finish(at, players.get(0), 500, players.get(1), 400, players.get(2), 300);
        finish(at.plusSeconds(1), players.get(3), 200, players.get(4), 100);
        String token = players.get(0).token();

        JsonObject first = ok(node.get(BOARDS + "day?limit=2", token));
        assertThat(first.getString("board")).isEqualTo("day");
        assertThat(first.getString("boardId")).isEqualTo("day:" + LocalDate.now(ZoneOffset.UTC));
        assertThat(Instant.parse(first.getString("from"))).isEqualTo(TODAY);
        assertThat(Instant.parse(first.getString("until"))).isEqualTo(TODAY.plus(Duration.ofDays(1)));
        assertThat(first.getLong("total")).isEqualTo(5);
        assertThat(first.getInteger("offset")).isZero();
        assertThat(first.getInteger("limit")).isEqualTo(2);
        assertThat(lines(first)).containsExactly(
            line(1, players.get(0), 500), line(2, players.get(1), 400));
        JsonObject entry = first.getJsonArray("entries").getJsonObject(0);
        assertThat(entry.getString("username")).isEqualTo(players.get(0).name());
        assertThat(Instant.parse(entry.getString("reachedAt"))).isEqualTo(millis(at));

        assertThat(lines(ok(node.get(BOARDS + "day?offset=2&limit=2", token)))).containsExactly(
            line(3, players.get(2), 300), line(4, players.get(3), 200));
        assertThat(lines(ok(node.get(BOARDS + "day?offset=4&limit=2", token)))).containsExactly(
            line(5, players.get(4), 100));
        for (String beyond : List.of("5", "6", "1000000")) {
            JsonObject empty = ok(node.get(BOARDS + "day?offset=" + beyond, token));
            assertThat(empty.getJsonArray("entries")).isEmpty();
            assertThat(empty.getLong("total")).isEqualTo(5);
        }
        JsonObject all = ok(node.get(BOARDS + "all", token));
        assertThat(all.getInteger("limit")).isEqualTo(20);
        assertThat(all.containsKey("from")).isFalse();
        assertThat(lines(all)).hasSize(5);
    }

    @Test
    void badPagesAreRefusedWithTheFieldNamed() {
        Player me = players(1).get(0);
        for (String query : List.of("limit=0", "limit=101", "limit=ten", "limit=1.5", "limit=%27%20OR%201%3D1")) {
            assertField(node.get(BOARDS + "all?" + query, me.token()), "limit");
        }
        for (String query : List.of("offset=-1", "offset=1000001", "offset=x")) {
            assertField(node.get(BOARDS + "week?" + query, me.token()), "offset");
        }
        assertField(node.get(BOARDS + "all/around-me?radius=51", me.token()), "radius");
        assertField(node.get(BOARDS + "all/around-me?radius=-1", me.token()), "radius");
        assertProblem(node.get(BOARDS + "forever", me.token()), 404, "NOT_FOUND");
        assertProblem(node.get(BOARDS + "PREVIOUS_WEEK", me.token()), 404, "NOT_FOUND");
        assertProblem(node.get(BOARDS + "all", null), 401, "UNAUTHORIZED");
        assertProblem(node.get(BOARDS + "all/around-me", null), 401, "UNAUTHORIZED");
    }

    @Test
    void aPercentSignThatCannotBeReadIsTheRequestsFaultNotTheServers() {
        Player me = players(1).get(0);
        // Decoded, %25 is a '%', which no integer or boolean is: refused naming the parameter, like "ten".
        assertField(node.get(BOARDS + "all?offset=%25", me.token()), "offset");
        assertField(node.get(BOARDS + "all?limit=1%25", me.token()), "limit");
        assertField(node.get(BOARDS + "all/around-me?radius=%25", me.token()), "radius");
        assertField(node.get("/api/v1/me/matches?limit=%25", me.token()), "limit");
        assertField(node.get("/api/v1/categories?includeInactive=%25", me.token()), "includeInactive");
        // A '%' without two hexadecimal digits cannot be decoded at all, in the query or the path.
        assertProblem(node.get(BOARDS + "all?offset=%", me.token()), 400, "MALFORMED_MESSAGE");
        assertProblem(node.get(BOARDS + "all?limit=%zz", me.token()), 400, "MALFORMED_MESSAGE");
        for (String path : List.of("/%", "/docs/%", "/api/v1/users/%", "/api/v1/users/%4",
            // in the query of a path with a parameter, which routing decodes outside any handler
            "/api/v1/users/someone?x=%", "/api/v1/matches/" + UUID.randomUUID() + "?%=%0A")) {
            assertProblem(node.get(path, me.token()), 400, "MALFORMED_MESSAGE");
            assertProblem(node.get(path, null), 400, "MALFORMED_MESSAGE");
        }
    }

    @Test
    void equalPointsRankWhoGotThereFirstHigher() {
        List<Player> players = players(3);
        Player ann = players.get(0);
        Player bob = players.get(1);
        Player cy = players.get(2);
        Instant t = Instant.now().minusSeconds(600);
        // Bob reaches 600 first; Ann reaches it later; Cy reaches it last, in one match.
        finish(t, ann, 100, bob, 600);
        finish(t.plusSeconds(60), ann, 500);
        finish(t.plusSeconds(120), cy, 600);
        // A later match without points does not move when Bob got there.
        finish(t.plusSeconds(180), bob, 0);

        for (String board : List.of("all", "week", "day")) {
            JsonObject page = ok(node.get(BOARDS + board, ann.token()));
            assertThat(lines(page)).as(board).containsExactly(line(1, bob, 600), line(2, ann, 600), line(3, cy, 600));
            assertThat(page.getJsonArray("entries").stream()
                .map(e -> Instant.parse(((JsonObject) e).getString("reachedAt"))))
                .containsExactly(millis(t), millis(t.plusSeconds(60)), millis(t.plusSeconds(120)));
        }
        assertThat(ok(node.get(BOARDS + "all/me", cy.token())).getInteger("rank")).isEqualTo(3);
    }

    @Test
    void aroundMeAtTheTopTheMiddleAndTheBottom() {
        List<Player> players = players(7);
        Instant at = Instant.now().minusSeconds(60);
        for (int i = 0; i < players.size(); i++) {
            finish(at, players.get(i), 700 - 100 * i);
        }

        JsonObject top = ok(node.get(BOARDS + "all/around-me?radius=2", players.get(0).token()));
        assertThat(top.getLong("total")).isEqualTo(7);
        assertThat(top.getInteger("radius")).isEqualTo(2);
        assertThat(line(top.getJsonObject("me"))).isEqualTo(line(1, players.get(0), 700));
        assertThat(lines(top)).containsExactly(line(1, players.get(0), 700), line(2, players.get(1), 600),
            line(3, players.get(2), 500));

        JsonObject middle = ok(node.get(BOARDS + "week/around-me?radius=2", players.get(3).token()));
        assertThat(lines(middle)).extracting(l -> l.rank).containsExactly(2, 3, 4, 5, 6);
        assertThat(line(middle.getJsonObject("me"))).isEqualTo(line(4, players.get(3), 400));

        JsonObject bottom = ok(node.get(BOARDS + "day/around-me?radius=3", players.get(6).token()));
        assertThat(lines(bottom)).extracting(l -> l.rank).containsExactly(4, 5, 6, 7);
        assertThat(line(bottom.getJsonObject("me"))).isEqualTo(line(7, players.get(6), 100));

        JsonObject alone = ok(node.get(BOARDS + "day/around-me?radius=0", players.get(5).token()));
        assertThat(lines(alone)).containsExactly(line(6, players.get(5), 200));
        assertThat(lines(ok(node.get(BOARDS + "day/around-me", players.get(3).token())))).hasSize(7);

        Player absent = players(1).get(0);
        assertProblem(node.get(BOARDS + "day/around-me", absent.token()), 404, "NOT_FOUND");
        assertProblem(node.get(BOARDS + "day/me", absent.token()), 404, "NOT_FOUND");
        assertProblem(node.get(BOARDS + "previous-day/around-me", players.get(0).token()), 404, "NOT_FOUND");
    }

    @Test
    void justAfterMidnightTheDayBoardIsNewAndYesterdaysIsThePreviousOne() {
        List<Player> players = players(2);
        Player late = players.get(0);
        Player early = players.get(1);
        finish(TODAY.minusMillis(1), late, 300);
        finish(TODAY.plusMillis(500), early, 200);
        node.clock.set(TODAY.plusSeconds(1));

        JsonObject today = ok(node.get(BOARDS + "day", late.token()));
        assertThat(lines(today)).containsExactly(line(1, early, 200));
        assertThat(Instant.parse(today.getString("from"))).isEqualTo(TODAY);
        JsonObject yesterday = ok(node.get(BOARDS + "previous-day", late.token()));
        assertThat(lines(yesterday)).containsExactly(line(1, late, 300));
        assertThat(yesterday.getString("boardId")).isEqualTo("day:" + LocalDate.now(ZoneOffset.UTC).minusDays(1));
        assertThat(Instant.parse(yesterday.getString("from"))).isEqualTo(TODAY.minus(Duration.ofDays(1)));
        assertThat(Instant.parse(yesterday.getString("until"))).isEqualTo(TODAY);
        assertThat(lines(ok(node.get(BOARDS + "all", late.token())))).containsExactly(line(1, late, 300),
            line(2, early, 200));
    }

    @Test
    void justAfterMondayMidnightTheWeekBoardIsNewAndLastWeeksIsThePreviousOne() {
        List<Player> players = players(2);
        Player lastWeek = players.get(0);
        Player thisWeek = players.get(1);
        finish(THIS_MONDAY.minusMillis(1), lastWeek, 300);
        finish(THIS_MONDAY.plusMillis(500), thisWeek, 200);
        node.clock.set(THIS_MONDAY.plusSeconds(1));

        JsonObject week = ok(node.get(BOARDS + "week", lastWeek.token()));
        assertThat(lines(week)).containsExactly(line(1, thisWeek, 200));
        assertThat(Instant.parse(week.getString("from"))).isEqualTo(THIS_MONDAY);
        assertThat(Instant.parse(week.getString("until"))).isEqualTo(THIS_MONDAY.plus(Duration.ofDays(7)));
        JsonObject previous = ok(node.get(BOARDS + "previous-week", lastWeek.token()));
        assertThat(lines(previous)).containsExactly(line(1, lastWeek, 300));
        assertThat(Instant.parse(previous.getString("from"))).isEqualTo(THIS_MONDAY.minus(Duration.ofDays(7)));
        assertThat(Instant.parse(previous.getString("until"))).isEqualTo(THIS_MONDAY);
        assertThat(ok(node.get(BOARDS + "previous-week/me", lastWeek.token())).getInteger("rank")).isEqualTo(1);
        assertProblem(node.get(BOARDS + "previous-week/me", thisWeek.token()), 404, "NOT_FOUND");
    }

    @Test
    void onlyAnAdminMayRebuild() {
        Player player = players(1).get(0);
        assertProblem(post(REBUILD, null), 401, "UNAUTHORIZED");
        assertProblem(post(REBUILD, player.token(Role.USER)), 403, "FORBIDDEN");
        assertProblem(post(REBUILD, player.token(Role.MODERATOR)), 403, "FORBIDDEN");
        assertThat(post(REBUILD, player.token(Role.ADMIN)).statusCode()).isEqualTo(200);
    }

    /** The test the issue asks for: Redis lost entirely, every board rebuilt from PostgreSQL alike. */
    @Test
    void rebuildAfterRedisIsWipedRestoresEveryBoard() {
        Player admin = players(1).get(0);
        // Whatever PostgreSQL holds from other tests goes on the boards first, so they match it.
        assertThat(post(REBUILD, admin.token(Role.ADMIN)).statusCode()).isEqualTo(200);
        List<Player> p = players(6);
        Instant now = Instant.now();
        Instant lastWeek = THIS_MONDAY.minus(Duration.ofDays(2)).plusSeconds(3600);
        Instant yesterday = TODAY.minus(Duration.ofHours(3));
        finish(lastWeek, p.get(0), 900, p.get(1), 400, p.get(2), 0);
        finish(lastWeek.plusSeconds(60), p.get(3), 900, p.get(4), 400);
        finish(yesterday, p.get(0), 100, p.get(5), 700, p.get(2), 0);
        finish(yesterday.plusSeconds(30), p.get(1), 600, p.get(4), 300);
        finish(now.minusSeconds(120), p.get(3), 500, p.get(5), 500, p.get(2), 0);
        finish(now.minusSeconds(60), p.get(0), 300, p.get(1), 200);
        MatchResult last = finish(now.minusSeconds(30), p.get(4), 500, p.get(2), 0);
        Map<String, JsonObject> before = readEveryBoard(p.get(2));
        assertThat(before.get("all").getLong("total")).isGreaterThanOrEqualTo(6);
        assertThat(before.get("day").getLong("total")).isGreaterThanOrEqualTo(5);
        assertThat(before.get("previous-day").getLong("total")).isGreaterThanOrEqualTo(1);
        assertThat(before.get("previous-week").getLong("total")).isGreaterThanOrEqualTo(1);

        await(node.stores.redis().flushall(List.of()));
        assertThat(ok(node.get(BOARDS + "all", admin.token())).getLong("total")).isZero();

        HttpResponse<Buffer> rebuilt = post(REBUILD, admin.token(Role.ADMIN));
        assertThat(rebuilt.statusCode()).as(rebuilt.bodyAsString()).isEqualTo(200);
        JsonObject report = rebuilt.bodyAsJsonObject();
        assertThat(report.getLong("matches")).isGreaterThanOrEqualTo(7);
        assertThat(report.getLong("players")).isEqualTo(before.get("all").getLong("total"));
        assertThat(report.getLong("appliedDuringRebuild")).isZero();
        Map<String, Long> boardSizes = new LinkedHashMap<>();
        report.getJsonArray("boards").forEach(b -> boardSizes.put(((JsonObject) b).getString("board"),
            ((JsonObject) b).getLong("players")));
        before.forEach((board, page) -> {
            if (page.getLong("total") > 0) {
                assertThat(boardSizes).containsEntry(page.getString("boardId"), page.getLong("total"));
            }
        });

        assertThat(readEveryBoard(p.get(2))).isEqualTo(before);
        // The wipe took the applied markers too; the rebuild restored them, so the outbox retrying a
        // result it had not heard back about changes nothing.
        assertThat(await(node.leaderboards.apply(last))).isFalse();
        assertThat(readEveryBoard(p.get(2))).isEqualTo(before);
    }

    /** Every board in full, and around-me for {@code me}: what a client could see. */
    private static Map<String, JsonObject> readEveryBoard(Player me) {
        Map<String, JsonObject> boards = new LinkedHashMap<>();
        for (String board : ALL_BOARDS) {
            boards.put(board, ok(node.get(BOARDS + board + "?limit=100", me.token())));
            HttpResponse<Buffer> around = node.get(BOARDS + board + "/around-me?radius=2", me.token());
            boards.put(board + "/around-me", around.statusCode() == 404 ? new JsonObject() : ok(around));
        }
        return boards;
    }

    private record Player(UUID id, String name) {
        String token() {
            return token(Role.USER);
        }

        /** A new session's access token, the account given {@code role} first (a token counts with its account's role). */
        String token(Role role) {
            await(node.users.setRole(id, role));
            UserAccount account = await(node.users.findById(id)).orElseThrow();
            return await(node.sessions.open(account, new Sessions.Client(null, null))).accessToken().value();
        }
    }

    private record Line(int rank, String userId, String username, long score) {
    }

    private static Line line(int rank, Player player, long score) {
        return new Line(rank, player.id().toString(), player.name(), score);
    }

    private static Line line(JsonObject json) {
        return new Line(json.getInteger("rank"), json.getString("userId"), json.getString("username"),
            json.getLong("score"));
    }

    private static List<Line> lines(JsonObject page) {
        JsonArray entries = page.getJsonArray("entries");
        List<Line> lines = new ArrayList<>();
        entries.forEach(e -> lines.add(line((JsonObject) e)));
        return lines;
    }

    private static List<Player> players(int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            String name = uniqueName("lb" + i);
            return new Player(StoreFixtures.insertUser(node.stores.pool(), name), name);
        }).toList();
    }

    /** A match stored as the result outbox stores it: PostgreSQL, then the boards. Alternates player and score. */
    private static MatchResult finish(Instant finishedAt, Object... playersAndScores) {
        MatchResult match = match(finishedAt, playersAndScores);
        assertThat(await(results.save(match))).isTrue();
        assertThat(await(node.leaderboards.apply(match))).isTrue();
        return match;
    }

    private static MatchResult match(Instant finishedAt, Object... playersAndScores) {
        List<PlayerResult> players = new ArrayList<>();
        for (int i = 0; i < playersAndScores.length; i += 2) {
            Player player = (Player) playersAndScores[i];
            players.add(new PlayerResult(player.id(), player.name(), i / 2 + 1, (Integer) playersAndScores[i + 1],
                0, 0, 0, false));
        }
        long end = finishedAt.toEpochMilli();
        return new MatchResult(UUID.randomUUID(), MatchKind.QUICK, null, end - 60_000, end, players, List.of());
    }

    private static Instant millis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }

    private static HttpResponse<Buffer> post(String path, String token) {
        HttpRequest<Buffer> request = node.client.post(path);
        if (token != null) {
            request.putHeader("Authorization", "Bearer " + token);
        }
        return await(request.send());
    }

    private static JsonObject ok(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("application/json");
        return response.bodyAsJsonObject();
    }

    private static void assertField(HttpResponse<Buffer> response, String field) {
        assertProblem(response, 422, "VALIDATION_FAILED");
        JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.getJsonObject(0).getString("field")).isEqualTo(field);
    }
}

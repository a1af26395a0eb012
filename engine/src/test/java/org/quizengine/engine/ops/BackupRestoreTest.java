package org.quizengine.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.storage.Stores;
import org.quizengine.engine.StoresMain;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.Scrape;
import org.quizengine.engine.support.SharedStores;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.QuestionSpec;

/**
 * The operator's backup and restore, as deploy/README.md tells them to do it, on real PostgreSQL and
 * Redis with the real pg_dump, pg_restore and psql: matches played on a node (and results of earlier
 * days stored through the node's own result path), every board and every player's history read,
 * {@code deploy/backup/pg-backup.sh}, the database and Redis wiped, {@code deploy/backup/pg-restore.sh}
 * (which rebuilds the boards), and then a new node must show exactly what the old one showed.
 */
class BackupRestoreTest {
    private static final Path SCRIPTS = Path.of("..", "deploy", "backup").toAbsolutePath().normalize();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> BOARDS = List.of("all", "week", "day", "previous-week", "previous-day");
    private static final String PASSWORD_PREFIX = "correct horse ";

    @TempDir
    Path dir;

    @Test
    void aRestoredBackupGivesBackEveryHistoryAndEveryBoardAndEndsEverySession() throws Exception {
        requirePostgresClient();
        try (SharedStores shared = SharedStores.start()) {
            Stores stores = shared.stores();
            Path storesEnv = writeStoresEnv(shared);
            Map<String, String> nodeEnv = TestNode.fastMatches();
            nodeEnv.putAll(shared.env());
            nodeEnv.put("QUIZ_AUTH_JWT_SECRET", "backup-restore-" + UUID.randomUUID());

            List<String> usernames = new ArrayList<>();
            Map<UUID, String> names = new HashMap<>();
            List<TestPlayer> players = new ArrayList<>();
            Map<String, JsonObject> before;
            TestNode node = TestNode.start(nodeEnv);
            try {
                String run = Long.toString(System.nanoTime() % 100_000);
                for (String name : List.of("bkada", "bkbob", "bkcyd", "bkdan")) {
                    TestPlayer player = node.register(name + run).connect();
                    player.next("no_match");
                    players.add(player);
                    usernames.add(player.username);
                    names.put(player.userId, player.username);
                }
                play(players.get(0), players.get(1));
                play(players.get(2), players.get(3));
                Eventually.await("both matches in both stores", WAIT,
                    () -> Scrape.of(node).value("quiz_result_store_lag_seconds_count", "store=\"postgres\"") >= 2
                        && Scrape.of(node).value("quiz_result_store_lag_seconds_count", "store=\"redis\"") >= 2);
                storeEarlierMatches(stores, players, names);
                before = readEverything(players);
                players.forEach(TestPlayer::close);
            } finally {
                node.close(); // stop the nodes before a backup that will be restored (deploy/README.md)
            }
            for (String board : BOARDS) {
                assertThat(before.get(usernames.get(0) + " /api/v1/leaderboards/" + board + "?limit=100")
                    .getJsonObject("body").getLong("total")).as("players on %s", board).isPositive();
            }
            Map<String, List<String>> redisBefore = redisBoards(stores);

            Path backups = dir.resolve("backups");
            String lastWritten = "";
            for (int i = 0; i < 3; i++) {
                Result backup = run("pg-backup.sh", "--dir", backups.toString(), "--keep", "2", "--stores-env",
                    storesEnv.toString());
                assertThat(backup.exit()).as(backup.output()).isZero();
                assertThat(backup.output()).contains("Wrote ");
                if (i < 2) {
                    assertThat(backup.output()).doesNotContain("Removed");
                }
                lastWritten = backup.output();
            }
            List<Path> kept = dumpsIn(backups);
            assertThat(kept).as("--keep 2 leaves the newest two").hasSize(2);
            Path latest = kept.get(kept.size() - 1);
            assertThat(lastWritten).contains("Wrote " + latest).contains("Removed ");

            // Played after the backup: a restore loses it (deploy/README.md says so).
            MatchResult afterBackup = result(categoryOf(stores), Instant.now(), Map.of(
                players.get(0).userId, 900, players.get(1).userId, 0), names);
            storeAsTheNodeDoes(stores, afterBackup);

            Result refused = run("pg-restore.sh", "--stores-env", storesEnv.toString(), "--classpath",
                System.getProperty("java.class.path"), latest.toString());
            assertThat(refused.exit()).as(refused.output()).isEqualTo(3);
            assertThat(refused.output()).contains("--yes");

            wipe(stores);
            assertThat(redisBoards(stores)).isEmpty();

            Result restored = run("pg-restore.sh", "--stores-env", storesEnv.toString(), "--classpath",
                System.getProperty("java.class.path"), latest.toString());
            assertThat(restored.exit()).as(restored.output()).isZero();
            assertThat(restored.output()).contains("sessions revoked: 4").contains("Leaderboards rebuilt from PostgreSQL")
                .doesNotContain("password");
            assertThat(redisBoards(stores)).as("every board in Redis, member by member").isEqualTo(redisBefore);

            TestNode again = TestNode.start(nodeEnv);
            try {
                for (TestPlayer player : players) {
                    assertRevoked(player.on(again));
                }
                List<TestPlayer> back = new ArrayList<>();
                for (String username : usernames) {
                    back.add(TestPlayer.login(again.vertx, again.port(), username, PASSWORD_PREFIX + username));
                }
                assertThat(readEverything(back)).isEqualTo(before);
                assertThat(back.get(0).get("/api/v1/matches/" + afterBackup.matchId()).statusCode())
                    .as("the match stored after the backup").isEqualTo(404);
                back.forEach(TestPlayer::close);
            } finally {
                again.close();
            }
        }
    }

    /** Tokens issued before the restore are refused: every restored session was revoked. */
    private static void assertRevoked(TestPlayer player) {
        HttpResponse<Buffer> response = player.get("/api/v1/me");
        player.close();
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(401);
        assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("SESSION_REVOKED");
    }

    private static void requirePostgresClient() throws InterruptedException {
        for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
            try {
                Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    fail(tool + " --version failed");
                }
            } catch (IOException e) {
                fail(tool + " is not on the PATH: install the PostgreSQL client tools (Debian: postgresql-client;"
                    + " .ci/run installs them): " + e.getMessage());
            }
        }
    }

    /** What StoresMain writes for a local cluster, which the scripts read with --stores-env. */
    private Path writeStoresEnv(SharedStores shared) throws IOException {
        Path file = dir.resolve(StoresMain.ENV_FILE);
        List<String> lines = new ArrayList<>();
        shared.env().forEach((variable, value) -> lines.add(variable + "=" + value));
        return Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Two players play a quick match to its end, the first always answering option 1, the second option 2. */
    private static void play(TestPlayer first, TestPlayer second) {
        for (TestPlayer player : List.of(first, second)) {
            player.send(new JsonObject().put("type", "quick_match").put("size", 2));
            player.next("queued");
        }
        int questions = first.next("match_starting").getInteger("questionCount");
        second.next("match_starting");
        for (int index = 0; index < questions; index++) {
            int question = index;
            for (TestPlayer player : List.of(first, second)) {
                player.next("question", f -> f.getInteger("index") == question);
                player.send(new JsonObject().put("type", "answer").put("index", question)
                    .put("option", player == first ? 1 : 2));
                player.next("answer_accepted", f -> f.getInteger("index") == question);
            }
        }
        first.next("match_finished");
        second.next("match_finished");
    }

    /**
     * Results of earlier days, stored the way the node stores a finished match (PostgreSQL, then the
     * boards), so that yesterday's, last week's and older boards are not empty, with a tie.
     */
    private static void storeEarlierMatches(Stores stores, List<TestPlayer> players, Map<UUID, String> names) {
        String category = categoryOf(stores);
        Instant now = Instant.now();
        UUID a = players.get(0).userId;
        UUID b = players.get(1).userId;
        UUID c = players.get(2).userId;
        UUID d = players.get(3).userId;
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(1)), Map.of(a, 700, c, 700), names));
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(1)).plusSeconds(60),
            Map.of(b, 300, d, 0), names));
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(3)), Map.of(a, 450, d, 800), names));
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(7)), Map.of(b, 650, c, 200), names));
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(9)), Map.of(a, 100, b, 100), names));
        storeAsTheNodeDoes(stores, result(category, now.minus(Duration.ofDays(20)), Map.of(c, 1000, d, 50), names));
    }

    private static String categoryOf(Stores stores) {
        return TestPlayer.await(stores.pool().query("SELECT id FROM categories ORDER BY id LIMIT 1").execute())
            .iterator().next().getString(0);
    }

    private static void storeAsTheNodeDoes(Stores stores, MatchResult result) {
        assertThat(TestPlayer.await(new MatchResultStore(stores.pool()).save(result))).isTrue();
        assertThat(TestPlayer.await(new LeaderboardStore(stores.redis()).apply(result, Set.of()))).isTrue();
    }

    /** A one-question match that finished at {@code finishedAt}, each player scoring what {@code scores} says. */
    private static MatchResult result(String category, Instant finishedAt, Map<UUID, Integer> scores,
                                      Map<UUID, String> names) {
        UUID matchId = UUID.randomUUID();
        long finished = finishedAt.toEpochMilli();
        long opened = finished - 5_000;
        List<AnswerRecord> answers = new ArrayList<>();
        List<PlayerResult> players = new ArrayList<>();
        Map<UUID, Integer> ordered = new TreeMap<>(scores);
        ordered.forEach((user, score) -> {
            boolean right = score > 0;
            answers.add(new AnswerRecord(user, right ? 0 : 1, right, score, 1_000, opened + 1_000, right ? 1 : 0));
            int rank = 1 + (int) scores.values().stream().filter(other -> other > score).count();
            players.add(new PlayerResult(user, names.get(user), rank, score, right ? 1 : 0, 1, right ? 1 : 0, false));
        });
        QuestionSpec question = new QuestionSpec(1, category, "easy", "Backed up? " + matchId,
            List.of("yes", "no", "maybe", "later"), 0);
        return new MatchResult(matchId, MatchKind.QUICK, category, opened - 3_000, finished, players,
            List.of(new QuestionResult(0, question, opened, finished, answers)));
    }

    /**
     * Everything a player sees of their data and the boards over REST, keyed by player and path:
     * profile, stats, every page of history and every match in it, each board's top 100 and their line.
     */
    private static Map<String, JsonObject> readEverything(List<TestPlayer> players) {
        Map<String, JsonObject> read = new TreeMap<>();
        for (TestPlayer player : players) {
            List<String> paths = new ArrayList<>(List.of("/api/v1/me", "/api/v1/me/stats", "/api/v1/me/matches?limit=100"));
            for (String board : BOARDS) {
                paths.add("/api/v1/leaderboards/" + board + "?limit=100");
                paths.add("/api/v1/leaderboards/" + board + "/me");
                paths.add("/api/v1/leaderboards/" + board + "/around-me?radius=2");
            }
            for (String path : paths) {
                read.put(player.username + " " + path, response(player, path));
            }
            JsonObject history = read.get(player.username + " /api/v1/me/matches?limit=100").getJsonObject("body");
            assertThat(history.getJsonArray("items")).as("%s's history", player.username).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 0; i < history.getJsonArray("items").size(); i++) {
                String path = "/api/v1/matches/" + history.getJsonArray("items").getJsonObject(i).getString("matchId");
                read.put(player.username + " " + path, response(player, path));
            }
        }
        return read;
    }

    /** Status and body; for an error only its stable code (a problem's detail may name the request). */
    private static JsonObject response(TestPlayer player, String path) {
        HttpResponse<Buffer> response = player.get(path);
        JsonObject body = response.bodyAsJsonObject();
        if (response.statusCode() != 200) {
            body = new JsonObject().put("code", body.getString("code"));
        }
        return new JsonObject().put("status", response.statusCode()).put("body", body);
    }

    /** Every board and members hash in Redis, entry by entry, and whether it expires. */
    private static Map<String, List<String>> redisBoards(Stores stores) {
        Map<String, List<String>> boards = new TreeMap<>();
        Response keys = TestPlayer.await(stores.redis().keys("lb:board:*"));
        for (Response key : keys) {
            String name = key.toString();
            String id = name.substring("lb:board:".length());
            List<String> entries = new ArrayList<>();
            TestPlayer.await(stores.redis().zrange(List.of(name, "0", "-1", "WITHSCORES")))
                .forEach(entry -> entries.add(entry.toString()));
            long ttl = TestPlayer.await(stores.redis().ttl(name)).toLong();
            entries.add(ttl > 0 ? "expires" : "ttl " + ttl);
            boards.put(name, entries);
            Map<String, String> members = new TreeMap<>();
            Response hash = TestPlayer.await(stores.redis().hgetall("lb:members:" + id));
            hash.getKeys().forEach(user -> members.put(user, hash.get(user).toString()));
            boards.put("lb:members:" + id, List.of(members.toString()));
        }
        return boards;
    }

    /** Loses everything: the schema with every table, and all of Redis. */
    private static void wipe(Stores stores) {
        TestPlayer.await(stores.pool().query("DROP SCHEMA public CASCADE").execute());
        TestPlayer.await(stores.pool().query("CREATE SCHEMA public").execute());
        TestPlayer.await(stores.redis().flushall(List.of()));
        long tables = TestPlayer.await(stores.pool().query(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").execute())
            .iterator().next().getLong(0);
        assertThat(tables).isZero();
    }

    private static List<Path> dumpsIn(Path backups) throws IOException {
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(file -> file.getFileName().toString().matches("quiz-.*\\.dump")).sorted().toList();
        }
    }

    private record Result(int exit, String output) {
    }

    private Result run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(dir, script, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("QUIZ_") || key.startsWith("PG"));
        // The rebuild runs on this JVM's java.
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish: " + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}

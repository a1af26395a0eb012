package org.quizengine.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;
import static org.quizengine.api.testing.StoreFixtures.insertUser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.testing.StoreFixtures;

@ExtendWith(VertxExtension.class)
class StoresTest {
    private static Vertx vertx;

    @TempDir
    Path dataDir;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void startVertx(Vertx classVertx) {
        vertx = classVertx;
    }

    @Test
    void migratesTheSchemaAndAnswersPings() {
        Stores stores = StoreFixtures.start(vertx, dataDir);
        try {
            List<String> versions = new ArrayList<>();
            await(stores.pool().query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .execute()).forEach(row -> versions.add(row.getString(0)));
            assertThat(versions).contains("1");
            Row tables = await(stores.pool().query(
                "SELECT to_regclass('public.matches') IS NOT NULL, to_regclass('public.player_stats') IS NOT NULL")
                .execute()).iterator().next();
            assertThat(tables.getBoolean(0)).isTrue();
            assertThat(tables.getBoolean(1)).isTrue();
            // ANALYZE samples by a table's largest target: one column left at the default undoes V9.
            Row statistics = await(stores.pool().query("""
                SELECT count(*), count(*) FILTER (WHERE attstattarget = 10) FROM pg_attribute
                WHERE attrelid IN ('match_player_answers'::regclass, 'match_questions'::regclass) AND attnum > 0 AND NOT attisdropped""")
                .execute()).iterator().next();
            assertThat(statistics.getLong(1)).as("played-row columns with the small statistics target")
                .isEqualTo(statistics.getLong(0)).isEqualTo(19L);
            // A foreign key on a played-row table costs a query for every row stored (V6, V10).
            Row keys = await(stores.pool().query("""
                SELECT count(*) FROM pg_constraint WHERE contype = 'f'
                AND conrelid IN ('match_player_answers'::regclass, 'match_players'::regclass, 'match_questions'::regclass)""")
                .execute()).iterator().next();
            assertThat(keys.getLong(0)).as("foreign keys checked for every played row stored").isZero();
            await(stores.pingPostgres());
            await(stores.pingRedis());
        } finally {
            await(stores.close());
        }
    }

    @Test
    void dataSurvivesARestartOnTheSameDataDir() {
        Stores first = StoreFixtures.start(vertx, dataDir);
        UUID userId = insertUser(first.pool(), "survivor");
        await(first.redis().set(List.of("lb:test", "42")));
        await(first.close());

        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("redis")).isDirectory();

        Stores second = StoreFixtures.start(vertx, dataDir);
        try {
            Row row = await(second.pool().preparedQuery("SELECT username FROM users WHERE id = $1")
                .execute(Tuple.of(userId))).iterator().next();
            assertThat(row.getString("username")).isEqualTo("survivor");
            assertThat(await(second.redis().get("lb:test")).toString()).isEqualTo("42");
            assertThat(dataDir.resolve("redis/dump.rdb")).as("Redis came back from its append-only file, no snapshot")
                .doesNotExist();
        } finally {
            await(second.close());
        }
    }

    @Test
    void refusesADataDirThatAnotherNodeIsUsing() {
        Stores first = StoreFixtures.start(vertx, dataDir);
        try {
            Throwable failure = failureOf(Stores.start(vertx, StorageOptions.embedded(dataDir)));
            assertThat(failure).hasMessageContaining("in use by another running node");
            // The refused start must not have disturbed the running node.
            await(first.pingPostgres());
            await(first.pingRedis());
        } finally {
            await(first.close());
        }
    }

    @Test
    void connectsToExternalStoresWithoutStartingAnything(@TempDir Path otherDataDir) {
        Stores host = StoreFixtures.start(vertx, dataDir);
        try {
            int pgPort = await(host.pool().query("SELECT inet_server_port()").execute()).iterator().next().getInteger(0);
            String redisInfo = await(host.redis().info(List.of("server"))).toString();
            String redisPort = redisInfo.lines().filter(line -> line.startsWith("tcp_port:")).findFirst().orElseThrow()
                .substring("tcp_port:".length()).trim();
            StorageOptions external = new StorageOptions(otherDataDir, "postgresql://postgres@localhost:" + pgPort
                + "/postgres", "redis://127.0.0.1:" + redisPort, 2);

            Stores client = await(Stores.start(vertx, external));
            UUID userId = insertUser(client.pool(), "external");
            await(client.redis().set(List.of("external", "yes")));
            await(client.close());

            assertThat(otherDataDir.resolve("postgres")).doesNotExist();
            assertThat(otherDataDir.resolve("redis")).doesNotExist();
            // Closing the client left the servers it did not start running.
            assertThat(await(host.pool().preparedQuery("SELECT count(*) FROM users WHERE id = $1")
                .execute(Tuple.of(userId))).iterator().next().getLong(0)).isEqualTo(1);
            assertThat(await(host.redis().get("external")).toString()).isEqualTo("yes");
        } finally {
            await(host.close());
        }
    }

    @Test
    void failsWhenAnExternalStoreCannotBeReached() {
        StorageOptions options = new StorageOptions(dataDir, "postgresql://nobody:secret@127.0.0.1:1/none", null,
            StorageOptions.DEFAULT_POSTGRES_POOL_SIZE);
        Throwable failure = failureOf(Stores.start(vertx, options));
        assertThat(failure).isNotNull();
        // The embedded Redis started for this attempt was stopped again, so the directory is free.
        Stores stores = StoreFixtures.start(vertx, dataDir);
        await(stores.close());
    }

    /**
     * A node killed with SIGKILL leaves its PostgreSQL and Redis running on the data directory. The
     * next node on that directory must stop them and start, with the data the dead node committed.
     */
    @Test
    void restartsAfterTheNodeWasKilled() throws Exception {
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), KilledNodeMain.class.getName(), dataDir.toString())
            .redirectErrorStream(true)
            .start();
        String userId;
        try {
            userId = awaitReady(node);
        } finally {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
        long postmasterPid = firstLineAsPid(dataDir.resolve("postgres/postmaster.pid"));
        long redisPid = firstLineAsPid(dataDir.resolve("redis/redis.pid"));
        assertThat(ProcessHandle.of(postmasterPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(ProcessHandle.of(redisPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        Stores stores = StoreFixtures.start(vertx, dataDir);
        try {
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            Row row = await(stores.pool().preparedQuery("SELECT username FROM users WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(userId)))).iterator().next();
            assertThat(row.getString(0)).isEqualTo("killed-node-user");
            assertThat(await(stores.redis().get("lb:killed")).toString()).isEqualTo("7");
        } finally {
            await(stores.close());
        }
    }

    @Test
    void optionsValidateTheirFields() {
        assertThatThrownBy(() -> new StorageOptions(null, null, null, 8)).hasMessageContaining("dataDir");
        assertThatThrownBy(() -> new StorageOptions(dataDir, "mysql://x", null, 8)).hasMessageContaining("postgresUri");
        assertThatThrownBy(() -> new StorageOptions(dataDir, null, "http://x", 8)).hasMessageContaining("redisUri");
        assertThatThrownBy(() -> new StorageOptions(dataDir, null, null, 0)).hasMessageContaining("postgresPoolSize");
        StorageOptions blank = new StorageOptions(dataDir, " ", "", 8);
        assertThat(blank.embedsPostgres()).isTrue();
        assertThat(blank.embedsRedis()).isTrue();
        assertThat(new StorageOptions(dataDir, "postgresql://u:hunter2@h:5432/db", null, 8).toString())
            .doesNotContain("hunter2");
    }

    private static String awaitReady(Process node) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(KilledNodeMain.READY)) {
                return line.substring(KilledNodeMain.READY.length()).trim();
            }
            log.append(line).append('\n');
        }
        throw new AssertionError("The node process exited before it was ready:\n" + log);
    }

    private static long firstLineAsPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    }
}

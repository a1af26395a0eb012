package org.quizengine.engine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.quizengine.engine.StoresMain;

/**
 * One PostgreSQL and one Redis ({@link StoresMain}) in their own JVM and a fresh data directory, for
 * {@link NodeProcess} nodes to share: a node killed with SIGKILL never takes the database down with it.
 */
public final class StoresProcess implements AutoCloseable {
    /** The first start runs initdb, which takes several seconds on a slow disk. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ChildJvm jvm;
    private final Path dataDir;
    private final String postgresUri;
    private final String redisUri;

    private StoresProcess(ChildJvm jvm, Path dataDir, String postgresUri, String redisUri) {
        this.jvm = jvm;
        this.dataDir = dataDir;
        this.postgresUri = postgresUri;
        this.redisUri = redisUri;
    }

    /** Starts the stores and waits until they print their URIs (migrated, question bank seeded). */
    public static StoresProcess start() {
        Path dir = NodeProcess.tempDir("quiz-stores-process");
        Path dataDir = dir.resolve("data");
        ChildJvm jvm = ChildJvm.start("stores", StoresMain.class.getName(), List.of("-Xmx256m"),
            Map.of("QUIZ_STORAGE_DATA_DIR", dataDir.toString()), dir.resolve("stores.log"), true,
            () -> stopServersLeftBy(dataDir));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> postgres = printed(jvm, StoresMain.POSTGRES_URI_VARIABLE);
            Optional<String> redis = printed(jvm, StoresMain.REDIS_URI_VARIABLE);
            if (postgres.isPresent() && redis.isPresent()) {
                return new StoresProcess(jvm, dataDir, postgres.get(), redis.get());
            }
            if (!jvm.alive()) {
                throw new IllegalStateException(jvm.describe() + " exited before printing its URIs\n" + jvm.logTail());
            }
            NodeProcess.sleep(POLL);
        }
        String tail = jvm.logTail();
        jvm.terminate(ChildJvm.GRACEFUL_STOP);
        throw new IllegalStateException(jvm.describe() + " printed no URIs in " + READY_TIMEOUT + "\n" + tail);
    }

    private static Optional<String> printed(ChildJvm jvm, String variable) {
        return jvm.firstLine(line -> line.startsWith(variable + "=")).map(line -> line.substring(variable.length() + 1).trim());
    }

    public String postgresUri() {
        return postgresUri;
    }

    public String redisUri() {
        return redisUri;
    }

    /** {@code QUIZ_STORAGE_POSTGRES_URI} and {@code QUIZ_STORAGE_REDIS_URI}, for a node's environment. */
    public Map<String, String> env() {
        return Map.of(StoresMain.POSTGRES_URI_VARIABLE, postgresUri, StoresMain.REDIS_URI_VARIABLE, redisUri);
    }

    /**
     * The PostgreSQL postmaster's pid, from its pid file: pg_ctl daemonises it, so it is no child of the
     * stores JVM, and its backends are its children. Empty while there is no pid file (not started, stopped).
     */
    public OptionalLong postgresPid() {
        return runningPidIn(postgresPidFile(dataDir));
    }

    /** The redis-server's pid, from its pid file. Empty while there is no pid file (not started, stopped). */
    public OptionalLong redisPid() {
        return runningPidIn(redisPidFile(dataDir));
    }

    private static OptionalLong runningPidIn(Path pidFile) {
        try {
            return pidIn(pidFile);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // being written or removed just now
        }
    }

    public boolean alive() {
        return jvm.alive();
    }

    public String logTail() {
        return jvm.logTail();
    }

    /**
     * SIGTERM: PostgreSQL and Redis shut down cleanly (within 30 s, else they are killed). Then the
     * data directory is deleted; the log is kept.
     */
    public void terminate() {
        boolean clean = jvm.terminate(ChildJvm.GRACEFUL_STOP);
        if (!clean) {
            throw new IllegalStateException(jvm.describe() + " did not stop within " + ChildJvm.GRACEFUL_STOP
                + " of SIGTERM and was killed\n" + jvm.logTail());
        }
        deleteRecursively(dataDir);
    }

    @Override
    public void close() {
        if (jvm.alive()) {
            terminate();
        }
    }

    /**
     * PostgreSQL (started by pg_ctl) and Redis outlive a JVM killed with SIGKILL: stop them by their
     * pid files, checking the pid still names that server.
     */
    private static void stopServersLeftBy(Path dataDir) {
        stopByPidFile(postgresPidFile(dataDir), "postgres");
        stopByPidFile(redisPidFile(dataDir), "redis");
    }

    private static Path postgresPidFile(Path dataDir) {
        return dataDir.resolve("postgres").resolve("postmaster.pid");
    }

    private static Path redisPidFile(Path dataDir) {
        return dataDir.resolve("redis").resolve("redis.pid");
    }

    private static void stopByPidFile(Path pidFile, String commandFragment) {
        try {
            pidIn(pidFile).stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                .filter(p -> p.info().command().orElse("").contains(commandFragment))
                .forEach(server -> {
                    server.destroy();
                    try {
                        server.onExit().get(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        server.destroyForcibly();
                    }
                });
        } catch (IOException | NumberFormatException e) {
            System.err.println("Could not stop the " + commandFragment + " of " + pidFile + ": " + e);
        }
    }

    /** The pid on the first line of {@code pidFile}; empty when there is no such file. */
    private static OptionalLong pidIn(Path pidFile) throws IOException {
        List<String> lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
        return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}

package org.quizengine.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quizengine.engine.local.NodeProcess;

/** The {@link EchoServer} in its own JVM on this machine, with the heap and GC a node would get. */
public final class LocalEcho implements Target {
    private static final long READY_MILLIS = 30_000;

    private final Process process;
    private final int port;
    private final Path log;

    private LocalEcho(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it and returns once it listens; its output goes to {@code log}. */
    public static LocalEcho start(List<String> jvmOptions, Path log) {
        int port = NodeProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoServer.class.getName(), Integer.toString(port)));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the echo server", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        LocalEcho echo = new LocalEcho(process, port, log);
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (echo.printed("listening on " + port)) {
                return echo;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        echo.close();
        throw new IllegalStateException("the echo server did not start; see " + log);
    }

    private boolean printed(String line) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "bare Vert.x WebSocket echo server (pid " + process.pid() + "), log " + log;
    }

    @Override
    public List<String> urls() {
        return List.of("http://127.0.0.1:" + port);
    }

    @Override
    public List<Server> servers() {
        return List.of(Server.local("echo", urls().get(0), process.pid()));
    }

    @Override
    public Optional<StoreUris> stores() {
        return Optional.empty();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

package org.quizengine.bench.load;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link LoadWorker} in its own JVM, as the coordinator sees it: commands in, ticks out. */
public final class WorkerProcess implements AutoCloseable {
    private final WorkerConfig config;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<JsonObject> ticks = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonObject> finals = new LinkedBlockingQueue<>();

    private WorkerProcess(WorkerConfig config, Process process) {
        this.config = config;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "worker-" + config.worker() + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a worker JVM with {@code jvmOptions} from this JVM's class path; its stderr goes to {@code log}. */
    public static WorkerProcess start(WorkerConfig config, List<String> jvmOptions, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadWorker.class.getName()));
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            WorkerProcess worker = new WorkerProcess(config, process);
            worker.send(config.toJson());
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start load worker " + config.worker(), e);
        }
    }

    public WorkerConfig config() {
        return config;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public void send(JsonObject command) {
        try {
            commands.write(command.encode());
            commands.write('\n');
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("load worker " + config.worker() + " is gone", e);
        }
    }

    /** The ticks received since the last call. */
    public List<JsonObject> drainTicks() {
        List<JsonObject> drained = new ArrayList<>();
        ticks.drainTo(drained);
        return drained;
    }

    /** Asks the worker to stop: players in a match finish it, for up to {@code graceMillis}. */
    public void requestStop(long graceMillis) {
        if (process.isAlive()) {
            send(new JsonObject().put("cmd", "stop").put("graceMillis", graceMillis));
        }
    }

    /** Waits for the final report a stopping worker sends. */
    public Optional<JsonObject> awaitFinal(long timeoutMillis) {
        try {
            return Optional.ofNullable(finals.poll(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonObject message = new JsonObject(line);
                ("final".equals(message.getString("type")) ? finals : ticks).add(message);
            }
        } catch (IOException | RuntimeException e) {
            // The worker died or wrote garbage: the coordinator notices a worker that stops ticking.
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

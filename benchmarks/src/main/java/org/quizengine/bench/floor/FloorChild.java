package org.quizengine.bench.floor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link FloorNode} JVM as the parent sees it: words in on stdin, lines out on stdout, logs in a file. */
final class FloorChild {
    private final int index;
    private final Process process;
    private final Path log;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private FloorChild(int index, Process process, Path log) {
        this.index = index;
        this.process = process;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLines, "floor-child-" + index);
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code command} with {@code env} added to this process's environment, stderr to {@code log}. */
    static FloorChild start(int index, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putAll(env);
        try {
            FloorChild child = new FloorChild(index, builder.start(), log);
            Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start floor node " + index, e);
        }
    }

    long pid() {
        return process.pid();
    }

    void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("floor node " + index + " is gone; see " + log, e);
        }
    }

    /** The next line starting with {@code word}, waiting up to {@code timeout}. */
    String await(String word, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        while (line != null) {
            if (line.startsWith(word)) {
                return line;
            }
            line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        throw new IllegalStateException("floor node " + index + " sent no '" + word + "' within " + timeout
            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; see " + log);
    }

    /** Asks it to stop and waits for it; kills it if it has not stopped within {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            try {
                send("stop");
            } catch (UncheckedIOException e) {
                // Gone already, or about to be: waited for below.
            }
        }
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            System.err.println("floor node " + index + " did not stop within " + grace + "; killed (log " + log + ")");
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child is gone: await() says so when it times out.
        }
    }
}

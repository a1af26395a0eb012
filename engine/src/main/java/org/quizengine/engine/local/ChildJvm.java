package org.quizengine.engine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.quizengine.shared.LoopbackPorts;

/**
 * A JVM started from this JVM's own class path, its stdout and stderr in one log file. Whatever a
 * test or a benchmark run leaves running is stopped when this JVM exits (nodes first, then the
 * stores they use), so no run leaves processes behind.
 */
public final class ChildJvm {
    /** The parent pom's {@code jvm.opens}: Hazelcast reflects into JDK internals. */
    public static final List<String> JVM_OPENS = List.of(
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
    public static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 60;
    private static final List<ChildJvm> RUNNING = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::stopAllLeft, "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    /** Stores: stopped only after every node, which still need them to drain. */
    private final boolean stopLast;
    /** What else to stop when the JVM had to be killed: servers it started that outlive it. */
    private final Runnable afterKill;

    private ChildJvm(String name, Process process, Path log, boolean stopLast, Runnable afterKill) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopLast = stopLast;
        this.afterKill = afterKill;
    }

    /**
     * Starts {@code mainClass} with exactly the {@code QUIZ_*} variables in {@code env} (any this
     * JVM itself was given are dropped, so a run does not depend on the shell it came from), and
     * {@code jvmOptions} (heap size, GC flags) after the module flags.
     */
    static ChildJvm start(String name, String mainClass, List<String> jvmOptions, Map<String, String> env, Path log,
                          boolean stopLast, Runnable afterKill) {
        return start(name, mainClass, List.of(), jvmOptions, env, log, stopLast, afterKill);
    }

    /**
     * Starts any {@code mainClass} of this class path with {@code args} and {@code jvmOptions}, its
     * output in {@code log}; it is stopped with the nodes when this JVM exits.
     */
    public static ChildJvm start(String name, String mainClass, List<String> args, List<String> jvmOptions, Path log) {
        return start(name, mainClass, args, jvmOptions, Map.of(), log, false, () -> {
        });
    }

    private static ChildJvm start(String name, String mainClass, List<String> args, List<String> jvmOptions,
                                  Map<String, String> env, Path log, boolean stopLast, Runnable afterKill) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPENS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("QUIZ_"));
        builder.environment().putAll(env);
        try {
            ChildJvm jvm = new ChildJvm(name, builder.start(), log, stopLast, afterKill);
            RUNNING.add(jvm);
            return jvm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /**
     * SIGSTOP: the process stops where it is, sockets open and state intact, as a long GC pause or
     * a frozen VM would leave it; {@link #thaw()} (SIGCONT) lets it carry on as if nothing happened.
     */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL: no shutdown hook runs, as when the machine or the OOM killer takes the process. */
    void kill9() {
        process.destroyForcibly();
        awaitExit(FORCED_STOP);
        afterKill.run();
        RUNNING.remove(this);
    }

    /** SIGTERM, then up to {@code grace} for the shutdown hooks; SIGKILL after that. True if it stopped cleanly. */
    public boolean terminate(Duration grace) {
        if (process.isAlive()) {
            thaw(); // a frozen process would never run its shutdown hooks
        }
        process.destroy();
        boolean clean = awaitExit(grace);
        if (!clean) {
            process.destroyForcibly();
            awaitExit(FORCED_STOP);
            afterKill.run();
        }
        RUNNING.remove(this);
        return clean;
    }

    /** The first line of its output that {@code matches}, if it has printed one yet. */
    public Optional<String> firstLine(Predicate<String> matches) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(matches).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The last lines of the log, headed by where the whole of it is. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "--- " + describe() + ", last " + tail.size() + " lines of " + log + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "--- " + describe() + ": cannot read " + log + ": " + e.getMessage();
        }
    }

    public String describe() {
        return name + " (pid " + process.pid() + (process.isAlive() ? ", running" : ", exit " + process.exitValue()) + ")";
    }

    private boolean awaitExit(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A port free on loopback right now; the child binds it a moment later. */
    static int freePort() {
        return LoopbackPorts.free();
    }

    private static void stopAllLeft() {
        stopAll(false);
        stopAll(true);
    }

    private static void stopAll(boolean last) {
        List<ChildJvm> group = RUNNING.stream().filter(jvm -> jvm.stopLast == last).toList();
        group.forEach(jvm -> jvm.process.destroy());
        group.forEach(jvm -> jvm.terminate(GRACEFUL_STOP));
    }
}

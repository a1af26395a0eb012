package org.quizengine.bench.servers;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.quizengine.engine.local.ChildJvm;
import org.quizengine.engine.local.NodeProcess;

/** The {@link EchoServer} in its own JVM on this machine, with the heap and GC a node would get. */
public final class LocalEcho implements Target {
    private static final long READY_MILLIS = 30_000;

    private final ChildJvm jvm;
    private final int port;

    private LocalEcho(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /** Starts it and returns once it listens; its output goes to {@code log}. */
    public static LocalEcho start(List<String> jvmOptions, Path log) {
        int port = NodeProcess.freePort();
        ChildJvm jvm = ChildJvm.start("echo server", EchoServer.class.getName(), List.of(Integer.toString(port)),
            jvmOptions, log);
        LocalEcho echo = new LocalEcho(jvm, port);
        String listening = "listening on " + port;
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (System.currentTimeMillis() < deadline && jvm.alive()) {
            if (jvm.firstLine(listening::equals).isPresent()) {
                return echo;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String tail = jvm.logTail();
        echo.close();
        throw new IllegalStateException("the echo server did not start\n" + tail);
    }

    @Override
    public String describe() {
        return "bare Vert.x WebSocket echo server (pid " + jvm.pid() + "), log " + jvm.log();
    }

    @Override
    public List<String> urls() {
        return List.of("http://127.0.0.1:" + port);
    }

    @Override
    public List<Server> servers() {
        return List.of(Server.local("echo", urls().get(0), jvm.pid()));
    }

    @Override
    public Optional<StoreUris> stores() {
        return Optional.empty();
    }

    @Override
    public Optional<Processes> processes() {
        return Optional.of(new Processes(List.of(jvm.pid()), OptionalLong.empty(), OptionalLong.empty()));
    }

    @Override
    public void close() {
        if (jvm.alive()) {
            jvm.terminate(ChildJvm.GRACEFUL_STOP);
        }
    }
}

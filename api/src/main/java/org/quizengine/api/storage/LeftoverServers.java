package org.quizengine.api.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a PostgreSQL or Redis server that a killed node left running on its data directory.
 *
 * <p>Both servers run as separate processes, so a node killed with SIGKILL leaves them running,
 * still holding the data directory (PostgreSQL then refuses to start a second postmaster on it; a
 * second Redis would write the same append-only file). Only called while {@link DataDirLock} is
 * held, which proves that no live node owns these servers.
 */
final class LeftoverServers {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverServers.class);
    private static final Duration GRACEFUL_WAIT = Duration.ofSeconds(20);
    private static final Duration FORCED_WAIT = Duration.ofSeconds(5);

    private LeftoverServers() {
    }

    /**
     * If {@code pidFile} names a live {@code commandFragment} process working in the pid file's
     * directory, asks it to shut down (SIGTERM: PostgreSQL and Redis both flush their data on it)
     * and waits for it to exit.
     */
    static void stopIfRunning(Path pidFile, String commandFragment) throws IOException {
        Path dir = pidFile.toAbsolutePath().getParent();
        Optional<ProcessHandle> leftover = readPid(pidFile)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            // The pid may have been reused since the node died, even by another PostgreSQL.
            .filter(process -> commandLine(process).contains(commandFragment))
            .filter(process -> worksIn(process, dir));
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle process = leftover.get();
        LOG.warn("Stopping {} (pid {}) left running on {} by a node that did not shut down",
            commandFragment, process.pid(), pidFile.getParent());
        process.destroy();
        if (awaitExit(process, GRACEFUL_WAIT)) {
            return;
        }
        LOG.warn("{} (pid {}) ignored SIGTERM for {}; killing it", commandFragment, process.pid(), GRACEFUL_WAIT);
        process.destroyForcibly();
        if (!awaitExit(process, FORCED_WAIT)) {
            throw new IOException("Could not stop leftover " + commandFragment + " (pid " + process.pid() + ")");
        }
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * PostgreSQL and Redis both change into their data directory, so on Linux the process's working
     * directory identifies the server of this directory. Where /proc does not exist the command
     * name has to do.
     */
    private static boolean worksIn(ProcessHandle process, Path dir) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return true;
        }
        try {
            Path cwd = proc.resolve(Long.toString(process.pid())).resolve("cwd").toRealPath();
            return cwd.equals(dir.toRealPath());
        } catch (IOException | SecurityException e) {
            LOG.warn("Cannot tell whether pid {} serves {}; leaving it alone", process.pid(), dir, e);
            return false;
        }
    }

    private static String commandLine(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).orElse("");
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) throws IOException {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping a leftover server", e);
        } catch (ExecutionException e) {
            throw new IOException("Could not wait for a leftover server to stop", e.getCause());
        }
    }
}

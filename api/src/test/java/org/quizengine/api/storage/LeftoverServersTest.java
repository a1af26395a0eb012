package org.quizengine.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stands in for a leftover server with {@code sleep}, whose working directory we choose. */
class LeftoverServersTest {
    @TempDir
    Path serverDir;
    @TempDir
    Path elsewhere;

    @Test
    void stopsTheServerThatWorksInTheDirectory() throws Exception {
        Process server = sleepIn(serverDir);
        try {
            Files.writeString(serverDir.resolve("server.pid"), server.pid() + "\n");

            LeftoverServers.stopIfRunning(serverDir.resolve("server.pid"), "sleep");

            assertThat(server.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void leavesAloneAProcessThatReusedThePidElsewhere() throws Exception {
        Process unrelated = sleepIn(elsewhere);
        try {
            Files.writeString(serverDir.resolve("server.pid"), unrelated.pid() + "\n");

            LeftoverServers.stopIfRunning(serverDir.resolve("server.pid"), "sleep");
            LeftoverServers.stopIfRunning(serverDir.resolve("server.pid"), "postgres");

            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void ignoresMissingOrGarbledPidFiles() throws IOException {
        LeftoverServers.stopIfRunning(serverDir.resolve("none.pid"), "postgres");
        Files.writeString(serverDir.resolve("bad.pid"), "not a pid\n");
        LeftoverServers.stopIfRunning(serverDir.resolve("bad.pid"), "postgres");
    }

    private static Process sleepIn(Path dir) throws IOException {
        return new ProcessBuilder("sleep", "60").directory(dir.toFile()).start();
    }
}

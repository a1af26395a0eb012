package org.quizengine.engine.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped operator files are: the repository root, found above the test's working directory. */
final class OpsFiles {
    static final Path ROOT = repositoryRoot();

    private OpsFiles() {
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/prometheus/prometheus.yml"))) {
                return dir;
            }
        }
        throw new AssertionError("deploy/prometheus/prometheus.yml not found above " + Path.of("").toAbsolutePath());
    }
}

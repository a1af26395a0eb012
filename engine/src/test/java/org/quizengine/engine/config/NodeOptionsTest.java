package org.quizengine.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's own settings, read from the defaults and the environment as a node reads them at start. */
class NodeOptionsTest {
    private static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";

    @Test
    void aNodeIdNamesTheNodeInAddressesSoOnlyPlainCharactersAreTaken(@TempDir Path dir) {
        NodeOptions options = NodeOptions.from(ConfigLoader.load(env(dir, "node-1.eu_west")));
        assertThat(options.nodeId()).isEqualTo("node-1.eu_west");

        for (String bad : new String[] {"node 1", "nøde", "node/1", "x".repeat(65)}) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(env(dir, bad))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIZ_NODE_ID");
        }
    }

    @Test
    void theRefreshTokenLifetimeIsThirtyDaysUnlessTheEnvironmentSaysOtherwise(@TempDir Path dir) {
        assertThat(NodeOptions.from(ConfigLoader.load(env(dir, "n1"))).auth().refreshTokenTtl())
            .isEqualTo(java.time.Duration.ofDays(30));
        assertThat(NodeOptions.from(ConfigLoader.load(with(env(dir, "n1"), "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "3600")))
            .auth().refreshTokenTtl()).isEqualTo(java.time.Duration.ofHours(1));

        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(env(dir, "n1"), "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "59"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("QUIZ_AUTH_REFRESH_TOKEN_SECONDS");
        // Shorter than an access token: the session would end while its access tokens still worked.
        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(env(dir, "n1"), "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "600"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("refresh token TTL");
    }

    private static Map<String, String> with(Map<String, String> env, String variable, String value) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put(variable, value);
        return all;
    }

    private static Map<String, String> env(Path dir, String nodeId) {
        return Map.of("QUIZ_NODE_ID", nodeId, "QUIZ_STORAGE_DATA_DIR", dir.toString(), "QUIZ_AUTH_JWT_SECRET", SECRET);
    }
}

package org.quizengine.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
            .isEqualTo(Duration.ofDays(30));
        assertThat(NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "3600")))
            .auth().refreshTokenTtl()).isEqualTo(Duration.ofHours(1));

        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "59"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("QUIZ_AUTH_REFRESH_TOKEN_SECONDS");
        // Shorter than an access token: the session would end while its access tokens still worked.
        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_AUTH_REFRESH_TOKEN_SECONDS", "600"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("refresh token TTL");
    }

    @Test
    void theDefaultsProtectTheApiAndTheConfiguredBodyLimitIsTheOneInForce(@TempDir Path dir) {
        HttpOptions defaults = NodeOptions.from(ConfigLoader.load(env(dir, "n1"))).http();

        assertThat(defaults.maxBodyBytes()).isEqualTo(16_384);
        assertThat(defaults.protection().cors().enabled()).isFalse();
        assertThat(defaults.protection().trustedProxies().addresses()).isEmpty();
        assertThat(defaults.protection().rateLimits().anonymousPerWindow()).isPositive();
        assertThat(defaults.protection().loginThrottle().failuresPerAccountAndAddress()).isPositive();

        HttpOptions configured = NodeOptions.from(ConfigLoader.load(with(dir,
            "QUIZ_HTTP_MAX_BODY_BYTES", "4096",
            "QUIZ_HTTP_CORS_ORIGINS", " https://quiz.example.com, http://localhost:5173 ",
            "QUIZ_HTTP_TRUSTED_PROXIES", "10.0.0.1, ::1",
            "QUIZ_RATE_LIMIT_WINDOW_SECONDS", "10",
            "QUIZ_RATE_LIMIT_ANONYMOUS_PER_WINDOW", "0",
            "QUIZ_LOGIN_THROTTLE_FAILURES_PER_ACCOUNT", "7"))).http();

        assertThat(configured.maxBodyBytes()).isEqualTo(4096);
        assertThat(configured.protection().cors().origins()).containsExactly("https://quiz.example.com", "http://localhost:5173");
        assertThat(configured.protection().trustedProxies().trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(configured.protection().rateLimits().window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configured.protection().rateLimits().anonymousPerWindow()).isZero();
        assertThat(configured.protection().loginThrottle().failuresPerAccount()).isEqualTo(7);
    }

    @Test
    void aCorsOriginMustBeAnExactOrigin(@TempDir Path dir) {
        for (String bad : List.of("quiz.example.com", "https://quiz.example.com/", "https://quiz.example.com/app",
            "https://*.example.com", "ftp://quiz.example.com", "https://quiz.example.com?x=1", "*, https://a.example.com")) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_HTTP_CORS_ORIGINS", bad))))
                .as(bad)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIZ_HTTP_CORS_ORIGINS");
        }
    }

    @Test
    void anyOriginCannotBeCombinedWithCredentials(@TempDir Path dir) {
        assertThat(NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_HTTP_CORS_ORIGINS", "*"))).http()
            .protection().cors().allows("https://anywhere.example")).isTrue();

        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir,
            "QUIZ_HTTP_CORS_ORIGINS", "*", "QUIZ_HTTP_CORS_ALLOW_CREDENTIALS", "true"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("QUIZ_HTTP_CORS_ORIGINS")
            .hasMessageContaining("QUIZ_HTTP_CORS_ALLOW_CREDENTIALS");
    }

    @Test
    void limitsMustNotBeNegativeAndWindowsMustLast(@TempDir Path dir) {
        for (String variable : List.of("QUIZ_RATE_LIMIT_ANONYMOUS_PER_WINDOW", "QUIZ_RATE_LIMIT_USER_PER_WINDOW",
            "QUIZ_LOGIN_THROTTLE_FAILURES_PER_ACCOUNT", "QUIZ_LOGIN_THROTTLE_FAILURES_PER_ADDRESS",
            "QUIZ_LOGIN_THROTTLE_FAILURES_PER_ACCOUNT_AND_ADDRESS")) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, variable, "-1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(variable);
        }
        for (String variable : List.of("QUIZ_RATE_LIMIT_WINDOW_SECONDS", "QUIZ_LOGIN_THROTTLE_WINDOW_SECONDS")) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, variable, "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(variable);
        }
        assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_HTTP_MAX_BODY_BYTES", "-5"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("QUIZ_HTTP_MAX_BODY_BYTES");
    }

    @Test
    void trustedProxiesAreIpAddressesOrCidrRanges(@TempDir Path dir) {
        HttpOptions ranges = NodeOptions.from(ConfigLoader.load(with(dir,
            "QUIZ_HTTP_TRUSTED_PROXIES", "10.244.0.0/16, fd00::/8, 192.168.1.7"))).http();
        assertThat(ranges.protection().trustedProxies().addresses()).containsExactly("10.244.0.0/16", "fd00:0:0:0:0:0:0:0/8", "192.168.1.7");
        assertThat(ranges.protection().trustedProxies().trusts("10.244.3.17")).isTrue();
        assertThat(ranges.protection().trustedProxies().trusts("10.245.0.1")).isFalse();
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
            "/8", "10.0.0.0/eight", "0.0.0.0/0", "10.0.0.1, 300.1.1.1")) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_HTTP_TRUSTED_PROXIES", bad))))
                .as(bad)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIZ_HTTP_TRUSTED_PROXIES");
        }
    }

    @Test
    void splitBrainProtectionIsOffUnlessAMinimumOfMembersIsSet(@TempDir Path dir) {
        assertThat(NodeOptions.from(ConfigLoader.load(env(dir, "n1"))).cluster().minMembers()).isEqualTo(1);
        assertThat(NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_CLUSTER_MIN_MEMBERS", "2"))).cluster().minMembers())
            .isEqualTo(2);
        for (String bad : List.of("0", "-1", "100", "two")) {
            assertThatThrownBy(() -> NodeOptions.from(ConfigLoader.load(with(dir, "QUIZ_CLUSTER_MIN_MEMBERS", bad))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIZ_CLUSTER_MIN_MEMBERS");
        }
    }

    private static Map<String, String> with(Path dir, String... variablesAndValues) {
        Map<String, String> env = new HashMap<>(env(dir, "n1"));
        for (int i = 0; i < variablesAndValues.length; i += 2) {
            env.put(variablesAndValues[i], variablesAndValues[i + 1]);
        }
        return env;
    }

    private static Map<String, String> env(Path dir, String nodeId) {
        return Map.of("QUIZ_NODE_ID", nodeId, "QUIZ_STORAGE_DATA_DIR", dir.toString(), "QUIZ_AUTH_JWT_SECRET", SECRET);
    }
}

package org.quizengine.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.http.AuthApiTest.login;
import static org.quizengine.api.http.TestNode.uniqueName;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.auth.Argon2Cost;
import org.quizengine.api.protection.LoginThrottleOptions;
import org.quizengine.api.protection.ProtectionOptions;

/**
 * Whether a login is slow must not tell an attacker whether the account exists. With a realistic
 * Argon2 cost the hash dominates a login, so skipping it for unknown users would show as a
 * ten-fold difference; the bounds are loose enough for a busy two-core machine.
 */
@ExtendWith(VertxExtension.class)
class LoginTimingTest {
    private static final int SAMPLES = 9;

    @TempDir
    Path dataDir;

    @Test
    void anUnknownUserTakesAboutAsLongAsAWrongPassword(Vertx vertx) {
        // Twenty-two failed logins for two names from one address: measured here, not throttled.
        TestNode node = TestNode.start(vertx, dataDir, new Argon2Cost(16 * 1024, 2, 1),
            ProtectionOptions.defaults().withLoginThrottle(new LoginThrottleOptions(Duration.ofMinutes(1), 0, 0, 0)));
        try {
            String username = uniqueName("timed");
            node.register(username, username + "@example.com", "the real password");
            JsonObject wrongPassword = login(username, "not the password");
            JsonObject unknownUser = login(uniqueName("ghost"), "not the password");
            timeLogin(node, wrongPassword);
            timeLogin(node, unknownUser);
            // Interleaved, so a burst of load elsewhere on the machine slows both sides alike.
            long[] known = new long[SAMPLES];
            long[] unknown = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                known[i] = timeLogin(node, wrongPassword);
                unknown[i] = timeLogin(node, unknownUser);
            }

            long knownMedian = median(known);
            long unknownMedian = median(unknown);
            assertThat((double) unknownMedian / knownMedian)
                .as("unknown %d ms vs known %d ms", unknownMedian, knownMedian)
                .isBetween(0.33, 3.0);
        } finally {
            node.stop();
        }
    }

    private static long timeLogin(TestNode node, JsonObject body) {
        long start = System.nanoTime();
        assertThat(node.postJson("/api/v1/auth/login", body).statusCode()).isEqualTo(401);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return Math.max(1, sorted[sorted.length / 2]);
    }
}

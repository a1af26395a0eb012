package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code BENCH_NODE_ENV}: node settings for an A/B run, checked before any node starts. */
class NodeSettingsTest {

    @Test
    void pairsSeparatedBySpacesBecomeNodeSettings() {
        assertThat(BenchOptions.extraNodeSettings(" QUIZ_NODE_NATIVE_TRANSPORT=false  QUIZ_HTTP_CORS_ORIGINS=a=b "))
            .isEqualTo(Map.of("QUIZ_NODE_NATIVE_TRANSPORT", "false", "QUIZ_HTTP_CORS_ORIGINS", "a=b"));
        assertThat(BenchOptions.extraNodeSettings(null)).isEmpty();
        assertThat(BenchOptions.extraNodeSettings("  ")).isEmpty();
    }

    @Test
    void anythingButQuizSettingsIsRefusedNamingIt() {
        assertThatThrownBy(() -> BenchOptions.extraNodeSettings("QUIZ_A=1 JAVA_HOME=/x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'JAVA_HOME=/x'");
        assertThatThrownBy(() -> BenchOptions.extraNodeSettings("QUIZ_NODE_NATIVE_TRANSPORT"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUIZ_NAME=value");
    }
}

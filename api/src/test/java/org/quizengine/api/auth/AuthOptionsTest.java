package org.quizengine.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        AuthOptions options = new AuthOptions().setJwtSecret("s".repeat(32));

        assertThat(options.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(options.refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(options.issuer()).isEqualTo("quizengine");
        assertThat(options.argon2()).isEqualTo(new Argon2Cost(19_456, 2, 1));
        assertThat(options.bootstrapAdmin()).isEmpty();
    }

    @Test
    void theSecretIsRequiredAndLongEnough() {
        assertThatThrownBy(() -> new AuthOptions().validate()).hasMessageContaining("JWT secret is required");
        assertThatThrownBy(() -> new AuthOptions().setJwtSecret("s".repeat(31))).hasMessageContaining("at least 32 bytes");
        // Bytes, not characters: 11 three-byte characters are 33 bytes.
        assertThat(new AuthOptions().setJwtSecret("€".repeat(11)).jwtSecret()).hasSize(33);
    }

    @Test
    void badValuesAreRejectedWhereTheyAreSet() {
        AuthOptions options = new AuthOptions();

        assertThatThrownBy(() -> options.setAccessTokenTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.setAccessTokenTtl(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.setIssuer(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.setRefreshTokenTtl(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.setRefreshTokenTtl(Duration.ofDays(366))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Cost(15, 1, 2)).hasMessageContaining("memory");
        assertThatThrownBy(() -> new Argon2Cost(1024, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Cost(1024, 1, 0)).hasMessageContaining("parallelism");
    }

    @Test
    void aRefreshTokenMustOutliveTheAccessTokensOfItsSession() {
        AuthOptions options = new AuthOptions().setJwtSecret("s".repeat(32))
            .setAccessTokenTtl(Duration.ofHours(1)).setRefreshTokenTtl(Duration.ofMinutes(30));

        assertThatThrownBy(options::validate).hasMessageContaining("refresh token TTL");
        assertThat(options.setRefreshTokenTtl(Duration.ofHours(2)).validate().refreshTokenTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void secretsNeverAppearInToString() {
        AuthOptions options = new AuthOptions()
            .setJwtSecret("very-secret-signing-key-0123456789")
            .setBootstrapAdmin(new BootstrapAdmin("root", "root@example.com", "admin-password-1"));

        assertThat(options.toString())
            .doesNotContain("very-secret-signing-key")
            .doesNotContain("admin-password-1")
            .contains("root");
    }

    @Test
    void aBootstrapAdminMustBeAValidAccount() {
        assertThatThrownBy(() -> new BootstrapAdmin("root", "root@example.com", "short"))
            .hasMessageContaining("password")
            .hasMessageNotContaining("short");
        assertThatThrownBy(() -> new BootstrapAdmin("r", "not-an-email", "long enough password"))
            .hasMessageContaining("username")
            .hasMessageContaining("email");
    }
}

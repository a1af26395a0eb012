package org.quizengine.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signing secret for a node run without one configured (the embedded, single-node default): made
 * once, kept in the data directory so tokens stay valid across restarts. A cluster must share one
 * secret through QUIZ_AUTH_JWT_SECRET instead.
 */
final class GeneratedSecret {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedSecret.class);

    private GeneratedSecret() {
    }

    static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[48];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: the directory's own protection has to do.
            }
            LOG.warn("No QUIZ_AUTH_JWT_SECRET set: generated one in {}. Set it explicitly for a cluster.", file);
            return secret;
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the JWT secret file " + file + ": " + e.getMessage());
        }
    }
}

package org.quizengine.api.auth;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the administrator named in the environment exists, so a fresh deployment can be
 * managed. The password is used only to create the account: an existing one keeps its own.
 * Nodes may start together, so creation is an insert-if-absent, never a check-then-insert.
 */
public final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final PasswordHasher hasher;

    public AdminBootstrap(UserRepository users, PasswordHasher hasher) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /** Does nothing if the options name no bootstrap admin. */
    public Future<Void> ensureAdmin(AuthOptions options) {
        Optional<BootstrapAdmin> admin = options.bootstrapAdmin();
        if (admin.isEmpty()) {
            return Future.succeededFuture();
        }
        return ensure(admin.get());
    }

    private Future<Void> ensure(BootstrapAdmin admin) {
        return users.findByUsername(admin.username()).compose(existing -> existing.isPresent()
            ? promote(existing.get())
            : create(admin));
    }

    private Future<Void> create(BootstrapAdmin admin) {
        return hasher.hash(admin.password())
            .compose(hash -> users.createIfAbsent(new NewUser(admin.username(), admin.email(), hash, Role.ADMIN, null)))
            .compose(created -> {
                if (created.isPresent()) {
                    LOG.info("Created bootstrap admin '{}'", admin.username());
                    return Future.succeededFuture();
                }
                // Another node won the race, or the email belongs to someone else.
                return users.findByUsername(admin.username()).compose(existing -> existing.isPresent()
                    ? promote(existing.get())
                    : Future.failedFuture(new IllegalStateException("Cannot create bootstrap admin '" + admin.username()
                        + "': its email is already used by another account")));
            });
    }

    private Future<Void> promote(UserAccount account) {
        if (account.role() == Role.ADMIN) {
            return Future.succeededFuture();
        }
        return users.setRole(account.id(), Role.ADMIN)
            .onSuccess(v -> LOG.info("Made existing user '{}' an admin, as the bootstrap admin", account.username()));
    }
}

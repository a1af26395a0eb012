package org.quizengine.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.failureOf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/** Users and the bootstrap admin against a real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class UserRepositoryTest {
    private static final String ADMIN_PASSWORD = "bootstrap admin password";

    @TempDir
    static Path dataDir;
    static Stores stores;
    static UserRepository users;
    static PasswordHasher hasher;

    @BeforeAll
    static void start(Vertx vertx) {
        stores = StoreFixtures.start(vertx, dataDir);
        users = new UserRepository(stores.pool());
        hasher = new PasswordHasher(vertx, new Argon2Cost(1024, 1, 1));
    }

    @AfterAll
    static void stop() {
        await(hasher.close());
        await(stores.close());
    }

    @Test
    void aCreatedUserIsFoundByIdUsernameOrEmailIgnoringCase() {
        String name = unique("Mallory");
        UserAccount created = await(users.create(newUser(name, Role.USER)));

        assertThat(created.id()).isNotNull();
        assertThat(created.username()).isEqualTo(name);
        assertThat(created.role()).isEqualTo(Role.USER);
        assertThat(created.disabled()).isFalse();
        assertThat(created.createdAt()).isBefore(Instant.now().plusSeconds(5));
        assertThat(await(users.findById(created.id()))).contains(created);
        assertThat(await(users.findByUsername(name.toUpperCase()))).contains(created);
        assertThat(await(users.findByEmail(name.toUpperCase() + "@EXAMPLE.COM"))).contains(created);
        assertThat(await(users.findByLogin(name.toLowerCase()))).contains(created);
        assertThat(await(users.findByLogin(name.toLowerCase() + "@example.com"))).contains(created);
        assertThat(await(users.findById(UUID.randomUUID()))).isEmpty();
        assertThat(await(users.findByUsername(unique("nobody")))).isEmpty();
    }

    @Test
    void takenUsernamesAndEmailsFailWithTheirCodes() {
        String name = unique("oscar");
        await(users.create(newUser(name, Role.USER)));

        Throwable username = failureOf(users.create(new NewUser(name.toUpperCase(), unique("x") + "@example.com", "h", Role.USER, null)));
        Throwable email = failureOf(users.create(new NewUser(unique("y"), name + "@Example.COM", "h", Role.USER, null)));

        assertThat(username).isInstanceOf(QuizException.class);
        assertThat(((QuizException) username).code()).isEqualTo(ErrorCode.USERNAME_TAKEN);
        assertThat(((QuizException) email).code()).isEqualTo(ErrorCode.EMAIL_TAKEN);
    }

    @Test
    void createIfAbsentLeavesAnExistingUserAlone() {
        String name = unique("peggy");
        UserAccount first = await(users.create(newUser(name, Role.USER)));

        Optional<UserAccount> second = await(users.createIfAbsent(newUser(name, Role.ADMIN)));

        assertThat(second).isEmpty();
        assertThat(await(users.findById(first.id()))).contains(first);
    }

    @Test
    void rolesAndDisablingChangeTheStoredUser() {
        UserAccount user = await(users.create(newUser(unique("rupert"), Role.USER)));

        await(users.setRole(user.id(), Role.MODERATOR));
        await(users.setDisabled(user.id(), true));

        UserAccount changed = await(users.findById(user.id())).orElseThrow();
        assertThat(changed.role()).isEqualTo(Role.MODERATOR);
        assertThat(changed.disabled()).isTrue();
        QuizException missing = (QuizException) failureOf(users.setRole(UUID.randomUUID(), Role.ADMIN));
        assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void bootstrapCreatesTheAdminOnceAndItCanLogIn() {
        String name = unique("root");
        AuthOptions options = optionsWithAdmin(name);
        AdminBootstrap bootstrap = new AdminBootstrap(users, hasher);

        await(bootstrap.ensureAdmin(options));
        UserAccount admin = await(users.findByUsername(name)).orElseThrow();
        await(bootstrap.ensureAdmin(options));

        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(await(users.findByUsername(name))).contains(admin);
        assertThat(await(hasher.verify(ADMIN_PASSWORD, admin.passwordHash()))).isTrue();
    }

    @Test
    void bootstrapPromotesAnExistingUserAndKeepsTheirPassword() {
        String name = unique("trent");
        UserAccount existing = await(users.create(newUser(name, Role.USER)));

        await(new AdminBootstrap(users, hasher).ensureAdmin(optionsWithAdmin(name)));

        UserAccount promoted = await(users.findById(existing.id())).orElseThrow();
        assertThat(promoted.role()).isEqualTo(Role.ADMIN);
        assertThat(promoted.passwordHash()).isEqualTo(existing.passwordHash());
    }

    @Test
    void nodesStartingTogetherAllSucceedAndMakeOneAdmin() {
        String name = unique("victor");
        AuthOptions options = optionsWithAdmin(name);
        List<Future<Void>> nodes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            nodes.add(new AdminBootstrap(users, hasher).ensureAdmin(options));
        }

        await(Future.all(nodes));

        Long count = await(stores.pool().preparedQuery("SELECT count(*) FROM users WHERE lower(username) = lower($1)")
            .execute(io.vertx.sqlclient.Tuple.of(name))).iterator().next().getLong(0);
        assertThat(count).isEqualTo(1L);
        assertThat(await(users.findByUsername(name)).orElseThrow().role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void bootstrapFailsLoudlyWhenItsEmailBelongsToSomeoneElse() {
        String owner = unique("wendy");
        await(users.create(newUser(owner, Role.USER)));
        AuthOptions options = new AuthOptions().setJwtSecret("s".repeat(32))
            .setBootstrapAdmin(new BootstrapAdmin(unique("admin"), owner + "@example.com", ADMIN_PASSWORD));

        Throwable failure = failureOf(new AdminBootstrap(users, hasher).ensureAdmin(options));

        assertThat(failure).hasMessageContaining("email is already used").hasMessageNotContaining(ADMIN_PASSWORD);
    }

    @Test
    void bootstrapWithoutAnAdminDoesNothing() {
        await(new AdminBootstrap(users, hasher).ensureAdmin(new AuthOptions().setJwtSecret("s".repeat(32))));
    }

    private static AuthOptions optionsWithAdmin(String username) {
        return new AuthOptions().setJwtSecret("s".repeat(32))
            .setBootstrapAdmin(new BootstrapAdmin(username, username + "@example.com", ADMIN_PASSWORD));
    }

    private static NewUser newUser(String username, Role role) {
        return new NewUser(username, username.toLowerCase() + "@example.com", "$argon2id$v=19$m=1024,t=1,p=1$x$y", role, null);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

package org.quizengine.api.auth;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Responses;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Administrators' view of accounts, behind the bearer token and the admin role:
 * {@code GET /admin/users/{id}}, {@code POST /admin/users/{id}/disable} and {@code .../enable},
 * {@code PUT /admin/users/{id}/role}. Disabling ends every session of the account and its live
 * connections on every node; a new role holds on the account's next request. An admin can neither
 * disable their own account nor change their own role (there might be no admin left).
 */
public final class AdminUserRoutes {
    private static final String NO_SUCH_USER = "No such user.";

    private final Sessions sessions;
    private final UserRepository users;

    public AdminUserRoutes(Sessions sessions, UserRepository users) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
    }

    /** Adds the routes to a router behind {@link Authentication}. */
    public void mount(Router signedIn) {
        signedIn.route("/admin/users/*").handler(Authentication.requireRole(Role.ADMIN));
        signedIn.get("/admin/users/:userId").handler(this::show);
        signedIn.post("/admin/users/:userId/disable").handler(this::disable);
        signedIn.post("/admin/users/:userId/enable").handler(this::enable);
        signedIn.put("/admin/users/:userId/role").handler(this::setRole);
    }

    private void show(RoutingContext ctx) {
        show(ctx, Responses.uuidPath(ctx, "userId", NO_SUCH_USER));
    }

    private void show(RoutingContext ctx, UUID userId) {
        users.findById(userId)
            .onSuccess(found -> {
                if (found.isEmpty()) {
                    ctx.fail(new QuizException(ErrorCode.NOT_FOUND, NO_SUCH_USER));
                    return;
                }
                ctx.response().putHeader("Content-Type", "application/json")
                    .end(AccountJson.adminView(found.get()).encode());
            })
            .onFailure(ctx::fail);
    }

    private void disable(RoutingContext ctx) {
        UUID userId = Responses.uuidPath(ctx, "userId", NO_SUCH_USER);
        if (userId.equals(Authentication.current(ctx).userId())) {
            throw new QuizException(ErrorCode.CANNOT_DISABLE_SELF, "An administrator cannot disable their own account.");
        }
        sessions.disable(userId).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void enable(RoutingContext ctx) {
        UUID userId = Responses.uuidPath(ctx, "userId", NO_SUCH_USER);
        sessions.enable(userId).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    private void setRole(RoutingContext ctx) {
        UUID userId = Responses.uuidPath(ctx, "userId", NO_SUCH_USER);
        // The contract has checked the body: role is one of the wire names.
        Role role = Role.fromWireName(JsonBodies.requireObject(ctx).getString("role"));
        if (userId.equals(Authentication.current(ctx).userId())) {
            throw new QuizException(ErrorCode.CANNOT_CHANGE_OWN_ROLE, "An administrator cannot change their own role.");
        }
        sessions.setRole(userId, role).onSuccess(v -> show(ctx, userId)).onFailure(ctx::fail);
    }
}

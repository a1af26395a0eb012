package org.quizengine.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Responses;
import org.quizengine.api.http.ValidationException;
import org.quizengine.api.protection.LoginThrottle;

/**
 * The signed-in user's own sessions and password, behind the bearer token:
 * {@code GET /me/sessions}, {@code DELETE /me/sessions/{id}} and {@code PUT /me/password}.
 * A user only ever sees and ends their own sessions; another user's session id is "not found".
 */
public final class SessionRoutes {
    private final Sessions sessions;
    private final LoginThrottle throttle;

    /** @param throttle counts wrong current passwords like failed logins, so a stolen token cannot guess on */
    public SessionRoutes(Sessions sessions, LoginThrottle throttle) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /** Adds the routes to a router behind {@link Authentication}, with a body handler in front. */
    public void mount(Router signedIn) {
        signedIn.get("/me/sessions").handler(this::list);
        signedIn.delete("/me/sessions/:sessionId").handler(this::revoke);
        signedIn.put("/me/password").handler(this::changePassword);
    }

    private void list(RoutingContext ctx) {
        AuthenticatedUser user = Authentication.current(ctx);
        sessions.listOf(user.userId()).onSuccess(list -> {
            JsonArray items = new JsonArray();
            list.forEach(session -> items.add(new JsonObject()
                .put("id", session.id().toString())
                .put("current", session.id().equals(user.sessionId()))
                .put("createdAt", session.createdAt().toString())
                .put("lastUsedAt", session.lastUsedAt().toString())
                .put("expiresAt", session.expiresAt().toString())
                .put("userAgent", session.userAgent())
                .put("clientAddress", session.clientAddress())));
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("sessions", items).encode());
        }).onFailure(ctx::fail);
    }

    private void revoke(RoutingContext ctx) {
        UUID sessionId = Responses.uuidPath(ctx, "sessionId", "No such session.");
        sessions.revokeOneOf(Authentication.current(ctx).userId(), sessionId)
            .onSuccess(v -> ctx.response().setStatusCode(204).end())
            .onFailure(ctx::fail);
    }

    private void changePassword(RoutingContext ctx) {
        JsonObject body = JsonBodies.requireObject(ctx);
        Object current = body.getValue("currentPassword");
        Object next = body.getValue("newPassword");
        List<FieldError> errors = AccountRules.checkPasswordChange(current, next);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        AuthenticatedUser user = Authentication.current(ctx);
        throttle.attempt(ctx, LoginThrottle.Subject.account(user.userId()), () -> sessions.changePassword(user, (String) current, (String) next))
            .onSuccess(v -> ctx.response().setStatusCode(204).end())
            .onFailure(ctx::fail);
    }
}

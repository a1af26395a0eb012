package org.quizengine.api.profile;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.api.auth.AccountJson;
import org.quizengine.api.auth.AccountRules;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.UserRepository;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Responses;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;

/**
 * Profiles over REST, behind authentication: {@code GET /me/stats} (my lifetime stats and level),
 * {@code PATCH /me} (edit my display name and avatar) and {@code GET /users/:username} (anyone's
 * public profile). Handlers for my own data first make sure my account still exists and is enabled,
 * so the token of a deleted or disabled account reaches nothing.
 */
public final class ProfileRoutes {
    private final ProfileRepository profiles;
    private final UserRepository users;

    public ProfileRoutes(ProfileRepository profiles, UserRepository users) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.users = Objects.requireNonNull(users, "users");
    }

    public void mount(Router router) {
        router.get("/me/stats").handler(this::myStats);
        router.patch("/me").handler(this::editMe);
        router.get("/users/:username").handler(this::publicProfile);
    }

    private void myStats(RoutingContext ctx) {
        users.activeAccount(Authentication.current(ctx).userId())
            .compose(account -> profiles.stats(account.id()))
            .onSuccess(stats -> Responses.json(ctx, 200, stats))
            .onFailure(ctx::fail);
    }

    private void editMe(RoutingContext ctx) {
        ProfileRules.ProfileEdit edit = ProfileRules.checkEdit(JsonBodies.requireObject(ctx));
        UUID me = Authentication.current(ctx).userId();
        users.activeAccount(me)
            .compose(account -> profiles.edit(account.id(), edit))
            .compose(done -> users.activeAccount(me))
            .onSuccess(account -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(AccountJson.ownerView(account).encode()))
            .onFailure(ctx::fail);
    }

    private void publicProfile(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        // No username holds a control character (PostgreSQL could not even look up a U+0000).
        if (username == null || username.length() > AccountRules.USERNAME_MAX
            || username.chars().anyMatch(Character::isISOControl)) {
            throw notFound();
        }
        users.activeAccount(Authentication.current(ctx).userId())
            .compose(me -> profiles.publicProfile(username))
            .onSuccess(found -> {
                if (found.isEmpty()) {
                    ctx.fail(notFound());
                    return;
                }
                Responses.json(ctx, 200, found.get());
            })
            .onFailure(ctx::fail);
    }

    private static QuizException notFound() {
        return new QuizException(ErrorCode.NOT_FOUND, "No such user.");
    }
}

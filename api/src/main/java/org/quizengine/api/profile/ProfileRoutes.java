package org.quizengine.api.profile;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.http.Responses;

/** Lifetime stats over REST (behind authentication): {@code GET /me/stats}. */
public final class ProfileRoutes {
    private final ProfileRepository profiles;

    public ProfileRoutes(ProfileRepository profiles) {
        this.profiles = profiles;
    }

    public void mount(Router router) {
        router.get("/me/stats").handler(this::myStats);
    }

    private void myStats(RoutingContext ctx) {
        profiles.stats(Authentication.current(ctx).userId())
            .onSuccess(stats -> Responses.json(ctx, 200, stats))
            .onFailure(ctx::fail);
    }
}

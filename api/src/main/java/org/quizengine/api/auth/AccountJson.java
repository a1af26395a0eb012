package org.quizengine.api.auth;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** How accounts look in REST bodies. Only the owner's own view carries the email. */
public final class AccountJson {
    private AccountJson() {
    }

    /** What anyone may see of a user: {@code {id, username, displayName, role, createdAt}}. */
    public static JsonObject publicView(UserAccount account) {
        return new JsonObject()
            .put("id", account.id().toString())
            .put("username", account.username())
            .put("displayName", account.displayName())
            .put("role", account.role().wireName())
            .put("createdAt", account.createdAt().toString());
    }

    /** What the owner sees of their own account: the public view plus {@code email} and {@code avatarUrl}. */
    public static JsonObject ownerView(UserAccount account) {
        return publicView(account).put("email", account.email()).put("avatarUrl", account.avatarUrl());
    }

    /**
     * The body of a successful registration, login or refresh: the user, the access token and its
     * lifetime in seconds ({@code expiresIn}), the refresh token and when it expires, and the session id.
     */
    public static JsonObject session(Sessions.Issued issued) {
        AccessToken token = issued.accessToken();
        return new JsonObject()
            .put("user", publicView(issued.account()))
            .put("accessToken", token.value())
            .put("tokenType", "Bearer")
            .put("expiresIn", token.expiresInSeconds())
            .put("refreshToken", issued.refreshToken())
            .put("refreshExpiresIn", Math.max(0, Duration.between(token.issuedAt(), issued.refreshExpiresAt()).toSeconds()))
            .put("refreshExpiresAt", issued.refreshExpiresAt().toString())
            .put("sessionId", issued.sessionId().toString());
    }

    /** What an administrator sees of an account: the owner's view plus whether it is disabled. */
    public static JsonObject adminView(UserAccount account) {
        return ownerView(account).put("disabled", account.disabled());
    }
}

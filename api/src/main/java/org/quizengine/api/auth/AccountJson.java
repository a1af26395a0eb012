package org.quizengine.api.auth;

import io.vertx.core.json.JsonObject;

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

    /** The body of a successful registration or login. */
    public static JsonObject session(UserAccount account, AccessToken token) {
        return new JsonObject()
            .put("user", publicView(account))
            .put("accessToken", token.value())
            .put("tokenType", "Bearer")
            .put("expiresIn", token.expiresInSeconds());
    }
}

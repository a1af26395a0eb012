package org.quizengine.api.http;

import static org.quizengine.api.http.TestNode.uniqueName;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A user registered over the API for a test, with a unique name, and the access token it got. */
record SignedUp(UUID id, String username, String email, String token) {
    static final String PASSWORD = "correct horse battery";

    static SignedUp register(TestNode node, String prefix) {
        String username = uniqueName(prefix);
        String email = username + "@example.com";
        JsonObject session = node.register(username, email, PASSWORD);
        return new SignedUp(UUID.fromString(session.getJsonObject("user").getString("id")), username, email,
            session.getString("accessToken"));
    }
}

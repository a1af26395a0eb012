package org.quizengine.api.auth;

import java.util.Objects;

/** What it takes to create a user; the password is already hashed. {@code displayName} may be null. */
public record NewUser(String username, String email, String passwordHash, Role role, String displayName) {
    public NewUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", role=" + role + "]";
    }
}

package org.quizengine.api.auth;

import java.util.List;
import java.util.Objects;
import org.quizengine.api.http.FieldError;

/**
 * The administrator a node makes sure exists when it starts. The values come from the environment
 * at start-up, never from the repository, and must pass the same rules as a registration.
 */
public record BootstrapAdmin(String username, String email, String password) {
    public BootstrapAdmin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        List<FieldError> errors = AccountRules.checkRegistration(username, email, password, null);
        if (!errors.isEmpty()) {
            // The messages name fields and rules only, never the values, so the password cannot leak.
            throw new IllegalArgumentException("Invalid bootstrap admin: " + errors);
        }
    }

    @Override
    public String toString() {
        return "BootstrapAdmin[username=" + username + ", email=" + email + ", password=(hidden)]";
    }
}

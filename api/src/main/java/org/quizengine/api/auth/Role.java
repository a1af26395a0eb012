package org.quizengine.api.auth;

import java.util.Locale;

/** What a user may do, from least to most privileged. The wire name is what tokens, JSON and the database hold. */
public enum Role {
    USER,
    MODERATOR,
    ADMIN;

    /** The lower-case name used in tokens, JSON bodies and the {@code users.role} column. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role grants at least what {@code minimum} grants. */
    public boolean atLeast(Role minimum) {
        return compareTo(minimum) >= 0;
    }

    /** The role with this wire name. */
    public static Role fromWireName(String wireName) {
        for (Role role : values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown role: " + wireName);
    }
}

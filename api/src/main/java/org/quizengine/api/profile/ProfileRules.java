package org.quizengine.api.profile;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.quizengine.api.auth.AccountRules;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.TextLength;
import org.quizengine.api.http.ValidationException;

/**
 * What a profile edit ({@code PATCH /me}) may contain: {@code displayName} and {@code avatarUrl},
 * each absent (unchanged), {@code null} (cleared) or a valid value. Any other member is refused by
 * name, so a client trying to change its email or role hears that it cannot rather than being ignored.
 */
final class ProfileRules {
    static final int AVATAR_URL_MAX = 2048;
    static final String DISPLAY_NAME = "displayName";
    static final String AVATAR_URL = "avatarUrl";
    private static final Set<String> EDITABLE = Set.of(DISPLAY_NAME, AVATAR_URL);

    private ProfileRules() {
    }

    /** The checked edit; throws a {@link ValidationException} naming every bad field. */
    static ProfileEdit checkEdit(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().stream().sorted().filter(name -> !EDITABLE.contains(name))
            .forEach(name -> errors.add(new FieldError(name, "cannot be changed here; only displayName and avatarUrl can")));
        AccountRules.checkDisplayName(body.getValue(DISPLAY_NAME), errors);
        checkAvatarUrl(body.getValue(AVATAR_URL), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new ProfileEdit(body.containsKey(DISPLAY_NAME), body.getString(DISPLAY_NAME),
            body.containsKey(AVATAR_URL), body.getString(AVATAR_URL));
    }

    /**
     * An avatar must be an absolute https URL with a host, no user name or password in it, and at
     * most {@link #AVATAR_URL_MAX} characters: clients load it into other players' screens, so
     * nothing that downgrades to plain http or smuggles credentials or scripts is stored.
     */
    static void checkAvatarUrl(Object value, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof String text)) {
            errors.add(new FieldError(AVATAR_URL, "must be a string"));
            return;
        }
        if (TextLength.of(text) > AVATAR_URL_MAX) {
            errors.add(new FieldError(AVATAR_URL, "must be at most " + AVATAR_URL_MAX + " characters"));
            return;
        }
        if (!isHttpsUrl(text)) {
            errors.add(new FieldError(AVATAR_URL, "must be an https URL such as https://example.com/me.png"));
        }
    }

    private static boolean isHttpsUrl(String text) {
        if (text.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
            return false;
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute()
                && "https".equals(uri.getScheme().toLowerCase(Locale.ROOT))
                && uri.getHost() != null
                && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A checked edit: for each field, whether to change it and to what ({@code null} clears it). */
    record ProfileEdit(boolean setDisplayName, String displayName, boolean setAvatarUrl, String avatarUrl) {
    }
}

package org.quizengine.api.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.TextLength;

/**
 * What a username, email, password and display name may look like. Takes raw JSON values, so a
 * number where a string belongs is reported like any other field error. Messages never echo values.
 */
public final class AccountRules {
    public static final int USERNAME_MIN = 3;
    public static final int USERNAME_MAX = 24;
    public static final int EMAIL_MAX = 254;
    public static final int PASSWORD_MIN = 8;
    public static final int PASSWORD_MAX = 128;
    public static final int DISPLAY_NAME_MAX = 40;

    /** Deleted accounts are renamed {@code deleted-<id>}; no one may register such a name. */
    public static final String DELETED_USERNAME_PREFIX = "deleted-";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    // Deliberately plain: a dot-atom local part and a dotted domain of LDH labels; the real check is a
    // confirmation mail, which is not this module's job.
    private static final Pattern EMAIL = Pattern.compile(
        "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final int EMAIL_LOCAL_MAX = 64;
    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    private AccountRules() {
    }

    /** Every problem with a registration; {@code displayName} may be {@code null} (absent). */
    public static List<FieldError> checkRegistration(Object username, Object email, Object password, Object displayName) {
        List<FieldError> errors = new ArrayList<>();
        checkUsername(username, errors);
        checkEmail(email, errors);
        checkPassword("password", password, errors);
        checkDisplayName(displayName, errors);
        return errors;
    }

    /** Every problem with a login request. Only presence and length: the rules may change, old accounts stay. */
    public static List<FieldError> checkLogin(Object login, Object password) {
        List<FieldError> errors = new ArrayList<>();
        String loginText = requireString("login", login, errors);
        if (loginText != null && !TextLength.between(loginText, 1, EMAIL_MAX)) {
            errors.add(new FieldError("login", "must be 1 to " + EMAIL_MAX + " characters"));
        } else if (loginText != null && loginText.chars().anyMatch(Character::isISOControl)) {
            // No username or email holds one, and PostgreSQL cannot even look up a U+0000.
            errors.add(new FieldError("login", "must not contain control characters"));
        }
        String passwordText = requireString("password", password, errors);
        if (passwordText != null && !TextLength.between(passwordText, 1, PASSWORD_MAX)) {
            errors.add(new FieldError("password", "must be 1 to " + PASSWORD_MAX + " characters"));
        }
        return errors;
    }

    /**
     * Every problem with a password change: the current password only needs to be there (old
     * accounts may predate today's rules), the new one must meet the registration rules and differ.
     */
    public static List<FieldError> checkPasswordChange(Object currentPassword, Object newPassword) {
        List<FieldError> errors = new ArrayList<>();
        String current = requireString("currentPassword", currentPassword, errors);
        if (current != null && !TextLength.between(current, 1, PASSWORD_MAX)) {
            errors.add(new FieldError("currentPassword", "must be 1 to " + PASSWORD_MAX + " characters"));
        }
        int before = errors.size();
        checkPassword("newPassword", newPassword, errors);
        if (errors.size() == before && newPassword.equals(current)) {
            errors.add(new FieldError("newPassword", "must differ from the current password"));
        }
        return errors;
    }

    private static void checkUsername(Object value, List<FieldError> errors) {
        String username = requireString("username", value, errors);
        if (username == null) {
            return;
        }
        if (!TextLength.between(username, USERNAME_MIN, USERNAME_MAX)) {
            errors.add(new FieldError("username", "must be " + USERNAME_MIN + " to " + USERNAME_MAX + " characters"));
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("username",
                "may contain only letters, digits, '_', '-' and '.', and must start with a letter or digit"));
        } else if (username.regionMatches(true, 0, DELETED_USERNAME_PREFIX, 0, DELETED_USERNAME_PREFIX.length())) {
            errors.add(new FieldError("username", "must not start with '" + DELETED_USERNAME_PREFIX + "'"));
        }
    }

    private static void checkEmail(Object value, List<FieldError> errors) {
        String email = requireString("email", value, errors);
        if (email == null) {
            return;
        }
        if (TextLength.of(email) > EMAIL_MAX) {
            errors.add(new FieldError("email", "must be at most " + EMAIL_MAX + " characters"));
        } else if (!EMAIL.matcher(email).matches() || email.indexOf('@') > EMAIL_LOCAL_MAX) {
            errors.add(new FieldError("email", "must be an email address like name@example.com"));
        }
    }

    private static void checkPassword(String field, Object value, List<FieldError> errors) {
        String password = requireString(field, value, errors);
        if (password != null && !TextLength.between(password, PASSWORD_MIN, PASSWORD_MAX)) {
            errors.add(new FieldError(field, "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters"));
        }
    }

    /** Adds to {@code errors} what is wrong with a display name; {@code null} (absent or cleared) is fine. */
    public static void checkDisplayName(Object value, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (!(value instanceof String displayName)) {
            errors.add(new FieldError("displayName", "must be a string"));
            return;
        }
        if (displayName.isBlank()) {
            errors.add(new FieldError("displayName", "must not be blank"));
        } else if (!TextLength.between(displayName, 1, DISPLAY_NAME_MAX)) {
            errors.add(new FieldError("displayName", "must be at most " + DISPLAY_NAME_MAX + " characters"));
        } else if (hasInvisibleCharacter(displayName)) {
            errors.add(new FieldError("displayName", "must not contain control or invisible formatting characters"));
        }
    }

    /** Returns the value if it is a string, else records why not and returns {@code null}. */
    private static String requireString(String field, Object value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!(value instanceof String text)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return text;
    }

    /**
     * Control characters, line separators, and the invisible formatting characters (Unicode's Cf:
     * zero-width spaces, bidi marks and overrides, the byte order mark, tag characters) that make one
     * name render as another or as nothing. Two are allowed where writing needs them: a zero-width
     * joiner or non-joiner between two visible characters (emoji sequences, Persian and Indic
     * names), and tag characters as the run that follows a black flag and ends with the cancel tag
     * (a subdivision flag emoji).
     */
    static boolean hasInvisibleCharacter(String name) {
        int[] codePoints = name.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int codePoint = codePoints[i];
            int type = Character.getType(codePoint);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return true;
            }
            if (codePoint == BLACK_FLAG && i + 1 < codePoints.length && isTag(codePoints[i + 1])) {
                int end = i + 1;
                while (end < codePoints.length && isTag(codePoints[end]) && codePoints[end] != CANCEL_TAG) {
                    end++;
                }
                if (end == codePoints.length || codePoints[end] != CANCEL_TAG) {
                    return true;
                }
                i = end;
                continue;
            }
            if (type != Character.FORMAT) {
                continue;
            }
            boolean joiner = codePoint == ZERO_WIDTH_JOINER || codePoint == ZERO_WIDTH_NON_JOINER;
            if (!(joiner && i > 0 && i < codePoints.length - 1 && visible(codePoints[i - 1]) && visible(codePoints[i + 1]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTag(int codePoint) {
        return codePoint >= 0xE0020 && codePoint <= CANCEL_TAG;
    }

    private static boolean visible(int codePoint) {
        int type = Character.getType(codePoint);
        return !Character.isWhitespace(codePoint) && type != Character.FORMAT && type != Character.CONTROL;
    }
}

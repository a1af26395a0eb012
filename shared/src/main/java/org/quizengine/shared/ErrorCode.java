package org.quizengine.shared;

/**
 * Every error a client can see, over WebSocket or REST. The name is the stable code clients match
 * on; {@link #busCode()} is the number it travels under between nodes ({@code message.fail}); the
 * HTTP status is used when the error reaches a REST client.
 */
public enum ErrorCode {
    // Frames and requests that cannot be understood.
    MALFORMED_MESSAGE(1001, 400),
    UNKNOWN_MESSAGE_TYPE(1002, 400),
    INVALID_MESSAGE(1003, 400),
    FRAME_TOO_LARGE(1004, 413),
    RATE_LIMITED(1005, 429),
    VALIDATION_FAILED(1006, 422),
    METHOD_NOT_ALLOWED(1007, 405),
    // REST protection: body limits, content types, CORS, login throttling.
    BODY_TOO_LARGE(1010, 413),
    UNSUPPORTED_MEDIA_TYPE(1011, 415),
    ORIGIN_NOT_ALLOWED(1012, 403),
    LOGIN_THROTTLED(1013, 429),

    // Identity and permissions.
    UNAUTHORIZED(1101, 401),
    FORBIDDEN(1102, 403),
    INVALID_CREDENTIALS(1103, 401),
    USERNAME_TAKEN(1104, 409),
    EMAIL_TAKEN(1105, 409),
    SESSION_REPLACED(1106, 409),
    ACCOUNT_DISABLED(1107, 403),
    // Sessions and refresh tokens.
    SESSION_REVOKED(1110, 401),
    REFRESH_TOKEN_REUSED(1111, 401),
    REFRESH_TOKEN_EXPIRED(1112, 401),
    INVALID_REFRESH_TOKEN(1113, 401),
    WRONG_PASSWORD(1114, 403),
    CANNOT_DISABLE_SELF(1115, 409),
    CANNOT_CHANGE_OWN_ROLE(1116, 409),

    // Matchmaking and lobbies.
    ALREADY_IN_MATCH(1201, 409),
    ALREADY_QUEUED(1202, 409),
    NOT_QUEUED(1203, 409),
    UNKNOWN_CATEGORY(1204, 422),
    INVALID_MATCH_SIZE(1205, 422),
    LOBBY_NOT_FOUND(1206, 404),
    LOBBY_FULL(1207, 409),
    LOBBY_ALREADY_STARTED(1208, 409),
    NOT_LOBBY_HOST(1209, 403),
    NOT_IN_LOBBY(1210, 409),
    NOT_ENOUGH_PLAYERS(1211, 409),
    NOT_ENOUGH_QUESTIONS(1212, 409),
    INVALID_SETTINGS(1213, 422),

    // Live matches.
    MATCH_NOT_FOUND(1301, 404),
    NOT_IN_MATCH(1302, 403),
    MATCH_FINISHED(1303, 409),
    QUESTION_CLOSED(1304, 409),
    WRONG_QUESTION(1305, 409),
    ALREADY_ANSWERED(1306, 409),
    INVALID_OPTION(1307, 422),
    MATCH_OVERLOADED(1308, 503),

    // Leaderboards.
    LEADERBOARD_REBUILD_RUNNING(1410, 409),
    LEADERBOARD_REBUILD_EXPIRED(1411, 503),

    // Question and category moderation (REST).
    QUESTION_DUPLICATE(1420, 409),
    QUESTION_EDIT_CONFLICT(1421, 409),
    CATEGORY_EXISTS(1422, 409),

    // Everything else.
    NOT_FOUND(1401, 404),
    // Profiles and my data: the password that confirms deleting one's account is wrong.
    PASSWORD_CONFIRMATION_FAILED(1430, 403),
    SERVICE_UNAVAILABLE(1501, 503),
    INTERNAL_ERROR(1500, 500);

    private final int busCode;
    private final int httpStatus;

    ErrorCode(int busCode, int httpStatus) {
        this.busCode = busCode;
        this.httpStatus = httpStatus;
    }

    /** The failure code used on the event bus. */
    public int busCode() {
        return busCode;
    }

    /** The HTTP status a REST client sees for this error. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code for an event-bus failure code, or {@link #INTERNAL_ERROR} for an unknown one (a timeout, say). */
    public static ErrorCode fromBusCode(int code) {
        for (ErrorCode value : values()) {
            if (value.busCode == code) {
                return value;
            }
        }
        return INTERNAL_ERROR;
    }
}

package org.quizengine.api.history;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a history page ends: the (finished_at, match_id) of its last item. Clients get it as an
 * opaque base64url string and must not build one themselves.
 */
record HistoryCursor(long finishedAt, UUID matchId) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_LENGTH = 128;

    String encode() {
        return ENCODER.encodeToString((finishedAt + ":" + matchId).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor; throws {@link IllegalArgumentException} for anything this class did not write. */
    static HistoryCursor decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("cursor too long");
        }
        String text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no separator in cursor");
        }
        long finishedAt = Long.parseLong(text.substring(0, colon));
        UUID matchId = UUID.fromString(text.substring(colon + 1));
        // UUID.fromString accepts short forms such as "1-1-1-1-1"; only the canonical form is ours.
        if (!matchId.toString().equals(text.substring(colon + 1))) {
            throw new IllegalArgumentException("not a canonical match id");
        }
        return new HistoryCursor(finishedAt, matchId);
    }
}

package org.quizengine.api.history;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a history page ends: the (finished_at, match_id) of its last item. Clients get it as an
 * opaque string and must not build one themselves: it carries an HMAC over the position and the
 * user it was issued to, so an edited, forged or borrowed cursor is refused rather than followed.
 */
record HistoryCursor(long finishedAt, UUID matchId) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String ALGORITHM = "HmacSHA256";
    private static final int TAG_BYTES = 16;
    private static final int MAX_LENGTH = 160;

    /**
     * The key cursors are signed with, derived from a node secret shared by the cluster (so a cursor
     * from one node works on every other) and separated from the secret's other uses by a label.
     */
    static SecretKeySpec key(byte[] secret) {
        byte[] derived = hmac(new SecretKeySpec(secret, ALGORITHM), "quizengine history cursor v1");
        return new SecretKeySpec(derived, ALGORITHM);
    }

    /** {@code base64url(finishedAt:matchId) "." base64url(tag)}, valid only for {@code userId}. */
    String encode(UUID userId, SecretKeySpec key) {
        String position = finishedAt + ":" + matchId;
        return ENCODER.encodeToString(position.getBytes(StandardCharsets.UTF_8)) + "."
            + ENCODER.encodeToString(tag(key, userId, position));
    }

    /** Reads a cursor issued to {@code userId}; throws {@link IllegalArgumentException} for anything else. */
    static HistoryCursor decode(String cursor, UUID userId, SecretKeySpec key) {
        Objects.requireNonNull(cursor, "cursor");
        int dot = cursor.indexOf('.');
        if (cursor.length() > MAX_LENGTH || dot < 0) {
            throw new IllegalArgumentException("not a cursor");
        }
        String position = new String(DECODER.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
        byte[] tag = DECODER.decode(cursor.substring(dot + 1));
        if (!MessageDigest.isEqual(tag, tag(key, userId, position))) {
            throw new IllegalArgumentException("cursor not signed for this user");
        }
        int colon = position.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no separator in cursor");
        }
        return new HistoryCursor(Long.parseLong(position.substring(0, colon)),
            UUID.fromString(position.substring(colon + 1)));
    }

    private static byte[] tag(SecretKeySpec key, UUID userId, String position) {
        return Arrays.copyOf(hmac(key, userId + "/" + position), TAG_BYTES);
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }
}

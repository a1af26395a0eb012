package org.quizengine.shared.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.quizengine.shared.Wire;

/**
 * A server event as the text frame players receive, encoded once wherever it goes: a match encodes
 * each event once, straight to UTF-8, and every node and socket it goes to sends those bytes as they
 * are. Keeps the event's wire type and match, which is all a node needs to know about it.
 *
 * @param type the event's {@code type} field, e.g. {@code "reveal"}
 * @param matchId the event's match, or {@code null}
 * @param utf8 the frame, as {@link Wire#encodeBytes} writes the event; shared by every socket it goes
 *     to, so never written to
 */
public record ServerFrame(String type, UUID matchId, byte[] utf8) {
    public ServerFrame {
        Objects.requireNonNull(utf8, "utf8");
    }

    /** The frame of {@code event}. */
    public static ServerFrame of(ServerEvent event) {
        return new ServerFrame(WireTypes.SERVER.get(event.getClass()), event.matchId(), FrameEncoder.encode(event));
    }

    /** A frame of text already encoded as JSON (for tests and tools). */
    public static ServerFrame ofText(String type, UUID matchId, String text) {
        return new ServerFrame(type, matchId, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The frame as text. */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The event this frame was encoded from (for tests and tools: nodes send the bytes as they are). */
    public ServerEvent event() {
        return Wire.decode(utf8, ServerEvent.class);
    }

    /** Frames are equal when they carry the same bytes (a record would compare the arrays' identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof ServerFrame that && Objects.equals(type, that.type)
            && Objects.equals(matchId, that.matchId) && Arrays.equals(utf8, that.utf8);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, matchId, Arrays.hashCode(utf8));
    }

    @Override
    public String toString() {
        return "ServerFrame[type=" + type + ", matchId=" + matchId + ", text=" + text() + "]";
    }
}

package org.quizengine.engine.gateway;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * Text frames made from UTF-8 bytes the caller already has. Vert.x's public API makes text frames
 * from a {@code String} only, encoding it again for every socket; a profile of a node at 19,000
 * players put a quarter of the bytes it allocated there. Vert.x's own frame class wraps the array
 * without copying it, and nothing downstream writes to it, so the sockets of one delivery share it.
 */
final class TextFrames {
    private TextFrames() {
    }

    /** A final text frame of {@code utf8}, which must be valid UTF-8 and is not copied. */
    static WebSocketFrame of(byte[] utf8) {
        // Vert.x 5.0's implementation class, and the constructor its own writeTextMessage calls once it
        // has encoded the String: the one that takes bytes for a text frame.
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true);
    }
}

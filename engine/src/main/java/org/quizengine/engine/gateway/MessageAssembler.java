package org.quizengine.engine.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Puts one socket's data frames back together into messages, checking on the way what RFC 6455
 * asks of them: text is UTF-8 (else 1007), and no message is over the socket's hard limit (else
 * 1009). Vert.x's own text handler decodes leniently, replacing bad bytes, so it cannot tell.
 * A message in one frame (what every browser sends) is checked in place and decoded once; only
 * fragments are copied, and only while the message is short enough to be read at all.
 */
final class MessageAssembler {
    enum Kind {
        /** A fragment of a message still to be finished, or a control frame: nothing to do yet. */
        PARTIAL,
        /** A whole text message within the frame limit: {@link Message#text()} holds it. */
        TEXT,
        /** A whole text message over the frame limit; its content was not kept. */
        TEXT_TOO_LARGE,
        BINARY,
        NOT_UTF8,
        /** Over the socket's hard limit: the message was cut off. */
        TOO_BIG
    }

    record Message(Kind kind, String text) {
    }

    private static final Message PARTIAL = new Message(Kind.PARTIAL, null);
    private static final Message TEXT_TOO_LARGE = new Message(Kind.TEXT_TOO_LARGE, null);
    private static final Message BINARY = new Message(Kind.BINARY, null);
    private static final Message NOT_UTF8 = new Message(Kind.NOT_UTF8, null);
    private static final Message TOO_BIG = new Message(Kind.TOO_BIG, null);

    private final int maxTextBytes;
    private final int maxMessageBytes;
    private final Utf8Validator utf8 = new Utf8Validator();
    /** Whether a message is under way, and of which kind. */
    private boolean inMessage;
    private boolean binary;
    private long length;
    /** The text fragments so far, while they fit in {@code maxTextBytes}; null otherwise. */
    private Buffer kept;

    MessageAssembler(int maxTextBytes, int maxMessageBytes) {
        this.maxTextBytes = maxTextBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The socket's hard limit. The server's largest WebSocket frame is set to the same figure
     * ({@code HttpVerticle}), so a message longer than this is sent in fragments.
     */
    int maxMessageBytes() {
        return maxMessageBytes;
    }

    Message accept(WebSocketFrame frame) {
        if (frame.isText() || frame.isBinary()) {
            start(frame.isBinary());
        } else if (!frame.isContinuation() || !inMessage) {
            return PARTIAL; // a control frame (Vert.x answers it), or a stray fragment Netty has refused
        }
        Buffer data = frame.binaryData();
        length += data.length();
        if (length > maxMessageBytes) {
            return finish(TOO_BIG);
        }
        if (binary) {
            return frame.isFinal() ? finish(BINARY) : PARTIAL;
        }
        if (!utf8.feed(data)) {
            return finish(NOT_UTF8);
        }
        if (!frame.isFinal()) {
            keep(data);
            return PARTIAL;
        }
        if (!utf8.atCharacterEnd()) {
            return finish(NOT_UTF8);
        }
        if (length > maxTextBytes) {
            return finish(TEXT_TOO_LARGE);
        }
        Buffer whole = kept == null ? data : kept.appendBuffer(data);
        return finish(new Message(Kind.TEXT, whole.toString(StandardCharsets.UTF_8)));
    }

    private void start(boolean binaryMessage) {
        inMessage = true;
        binary = binaryMessage;
        length = 0;
        kept = null;
        utf8.reset();
    }

    private void keep(Buffer data) {
        if (length > maxTextBytes) {
            kept = null; // too long to be read: only counted from here on
        } else if (kept == null) {
            kept = Buffer.buffer((int) length).appendBuffer(data);
        } else {
            kept.appendBuffer(data);
        }
    }

    private Message finish(Message message) {
        inMessage = false;
        kept = null;
        return message;
    }
}

package org.quizengine.engine.config;

/**
 * Limits on each player's socket.
 *
 * @param maxFrameBytes     a larger text message is refused with FRAME_TOO_LARGE (a message, in one
 *                          frame or many, over 16 times this closes the socket with 1009)
 * @param messagesPerSecond sustained frames per second per socket; beyond it frames are refused with
 *                          RATE_LIMITED
 * @param burst             frames a socket may send at once before the rate applies
 * @param compression       whether the node accepts a client's offer of WebSocket compression
 *                          (permessage-deflate). Off by default: browsers and most client libraries
 *                          offer it, and deflating every frame took half a node's CPU at 10,000
 *                          players (benchmarks/RESULTS.md) to save bandwidth of about a kilobyte a
 *                          second per player
 */
public record GatewayOptions(int maxFrameBytes, int messagesPerSecond, int burst, boolean compression) {
    /** How many times {@code maxFrameBytes} a message may be before the socket is closed with 1009. */
    public static final int HARD_LIMIT_FACTOR = 16;

    static GatewayOptions from(Section gateway) {
        return new GatewayOptions(gateway.intIn("maxFrameBytes", 256, 1_048_576),
            gateway.intIn("messagesPerSecond", 1, 10_000), gateway.intIn("burst", 1, 100_000),
            gateway.bool("compression"));
    }

    /** The hard limit: a longer message, in one frame or many, closes the socket with 1009. */
    public int maxMessageBytes() {
        return maxFrameBytes * HARD_LIMIT_FACTOR;
    }
}

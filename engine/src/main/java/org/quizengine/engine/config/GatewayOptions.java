package org.quizengine.engine.config;

/**
 * Limits on each player's socket.
 *
 * @param maxFrameBytes     a larger text frame is refused with FRAME_TOO_LARGE (frames over 16 times
 *                          this are cut off by the WebSocket layer, which closes the socket with 1009)
 * @param messagesPerSecond sustained frames per second per socket; beyond it frames are refused with
 *                          RATE_LIMITED
 * @param burst             frames a socket may send at once before the rate applies
 */
public record GatewayOptions(int maxFrameBytes, int messagesPerSecond, int burst) {
    static GatewayOptions from(Section gateway) {
        return new GatewayOptions(gateway.intIn("maxFrameBytes", 256, 1_048_576),
            gateway.intIn("messagesPerSecond", 1, 10_000), gateway.intIn("burst", 1, 100_000));
    }
}

package org.quizengine.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for a process that is about to be started and will bind them a moment later.
 *
 * <p>A port the kernel picks ({@code bind(0)}) comes from the ephemeral range, the same range every
 * outgoing connection takes its local port from: between choosing it and the child binding it, a
 * Hazelcast or HTTP client connection could take it (CI saw a node fail with "Address already in
 * use"). These ports come from below that range instead, are never handed out twice by one process,
 * and leave a gap for Hazelcast's port auto-increment.
 */
public final class LoopbackPorts {
    private static final int LOWEST = 15_000;
    private static final int HIGHEST = 32_000;
    private static final int STEP = 3;
    private static final AtomicInteger NEXT = new AtomicInteger(
        LOWEST + ThreadLocalRandom.current().nextInt((HIGHEST - LOWEST) / STEP) * STEP);

    private LoopbackPorts() {
    }

    /** A port nothing listens on now, outside the kernel's ephemeral range, not handed out before. */
    public static int free() {
        for (int tries = 0; tries < (HIGHEST - LOWEST) / STEP; tries++) {
            int port = NEXT.getAndUpdate(p -> p + STEP >= HIGHEST ? LOWEST + (p + STEP - LOWEST) % STEP + 1 : p + STEP);
            if (bindable(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port between " + LOWEST + " and " + HIGHEST));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package org.quizengine.bench.servers;

import java.util.OptionalLong;

/**
 * One server process as the sampler sees it.
 *
 * @param name    how the report names it ({@code node-1}, {@code echo})
 * @param baseUrl {@code http://host:port}; its metrics are at {@code /metrics}
 * @param pid     the process id when it runs on this machine, for a forced GC before a heap reading
 */
public record Server(String name, String baseUrl, OptionalLong pid) {

    public static Server remote(String name, String baseUrl) {
        return new Server(name, baseUrl, OptionalLong.empty());
    }

    public static Server local(String name, String baseUrl, long pid) {
        return new Server(name, baseUrl, OptionalLong.of(pid));
    }

    /** Whether its process is known to be gone (only a local one can be known so). */
    boolean knownDead() {
        return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(p -> !p.isAlive()).orElse(true);
    }
}

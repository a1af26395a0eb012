package org.quizengine.bench.servers;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a run plays against: nodes the harness started, nodes somewhere else, or the echo server.
 * Closing it stops whatever the harness started and leaves anything else alone.
 */
public interface Target extends AutoCloseable {

    /** One line for the console and the report. */
    String describe();

    /** Base URLs ({@code http://host:port}) players connect to, in the order they fall back through. */
    List<String> urls();

    /** The servers whose metrics are read once a second. */
    List<Server> servers();

    /** Where the results are stored, so the audit can read them; empty when unknown. */
    Optional<StoreUris> stores();

    /**
     * The processes on this machine that serve the players, as of now (a replaced node has a new pid),
     * so their CPU can be read from {@code /proc}; empty when they run elsewhere.
     */
    Optional<Processes> processes();

    @Override
    void close();

    /** The PostgreSQL and Redis URIs the nodes write to. */
    record StoreUris(String postgres, String redis) {
    }

    /**
     * Process ids of what a production deployment would run too: the node JVMs (or the echo server),
     * the PostgreSQL postmaster and the redis-server; empty where there is none (the echo server has no
     * stores) or its pid file cannot be read just now. The JVM that launches the stores for the
     * harness is left out: production would not have it.
     */
    record Processes(List<Long> nodes, OptionalLong postgres, OptionalLong redis) {
    }
}

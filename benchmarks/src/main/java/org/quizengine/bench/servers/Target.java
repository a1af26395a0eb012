package org.quizengine.bench.servers;

import java.util.List;
import java.util.Optional;

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

    @Override
    void close();

    /** The PostgreSQL and Redis URIs the nodes write to. */
    record StoreUris(String postgres, String redis) {
    }
}

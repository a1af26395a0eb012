package org.quizengine.bench.chaos;

import io.vertx.core.json.JsonObject;

/**
 * One fault the chaos run caused, and the stretch of the run it is answerable for: from its start
 * until the next fault starts (or the run ends), so whatever players felt in between is its doing.
 *
 * @param name            unique within the run ({@code kill}, {@code freeze}, {@code postgres}, {@code redis})
 * @param kind            what was done
 * @param label           for a reader, e.g. {@code kill -9 node-2}
 * @param startMillis     when it began (epoch ms, this machine's clock, as the players' times)
 * @param recoveredMillis when it ended: the same as the start for a kill, SIGCONT for a freeze, the
 *                        store reachable again for an outage
 * @param windowEndMillis when the next fault began, or the measured part of the run ended
 * @param details         what the report shows besides the figures (node, live matches on it...)
 */
public record Fault(String name, Kind kind, String label, long startMillis, long recoveredMillis, long windowEndMillis,
                    JsonObject details) {

    /** The faults a chaos run can cause, in the order it causes them. */
    public enum Kind {
        KILL("kill"), FREEZE("freeze"), POSTGRES("postgres"), REDIS("redis");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** A store taken away: its results must land within the limit of its return. */
        public boolean storeOutage() {
            return this == POSTGRES || this == REDIS;
        }

        public static Kind named(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown fault '" + id + "'; known: kill, freeze, postgres, redis");
        }
    }

    /** Whether {@code atMillis} falls in this fault's stretch of the run. */
    public boolean covers(long atMillis) {
        return atMillis >= startMillis && atMillis < windowEndMillis;
    }

    public double lastedSeconds() {
        return (recoveredMillis - startMillis) / 1000.0;
    }
}

package org.quizengine.shared.bus;

import java.util.UUID;

/** Every event-bus address and shared-map name the engine uses, in one place. */
public final class Addresses {
    /** The matchmaker: quick-match queues and private lobbies. */
    public static final String MATCHMAKING = "quiz.matchmaking";

    /**
     * Published (to every node) when sessions are revoked: a {@link SessionsRevoked} as JSON text.
     * Each node's WebSocket gateway closes the sockets opened with those sessions.
     */
    public static final String SESSIONS_REVOKED = "quiz.sessions.revoked";

    /**
     * A moderator changed the question bank (any text): the matchmaker reloads it and replies, so new
     * matches see the change at once. Live matches keep the copies they started with.
     */
    public static final String QUESTION_BANK_CHANGED = "quiz.questions.changed";

    /** The Hazelcast map of live matches' replicated records, by match id. */
    public static final String LIVE_MATCHES_MAP = "quiz.live-matches";

    /** The Hazelcast map of the match each player is playing, by user id (while the match lives). */
    public static final String ACTIVE_PLAYERS_MAP = "quiz.active-players";

    /** The Hazelcast map of finished matches' results not yet stored in PostgreSQL, by match id. */
    public static final String PENDING_RESULTS_MAP = "quiz.pending-results";

    /** The Hazelcast map of each node's load (live matches and players), by node id. */
    public static final String NODE_LOAD_MAP = "quiz.node-load";

    private static final String MATCH_PREFIX = "quiz.match.";
    private static final String NODE_PREFIX = "quiz.node.";

    private Addresses() {
    }

    /** Commands for one live match ({@code MatchCommand}). */
    public static String match(UUID matchId) {
        return MATCH_PREFIX + matchId;
    }

    /** Events for the players whose sockets are on one node ({@code Delivery}). */
    public static String nodeDeliveries(String nodeId) {
        return NODE_PREFIX + nodeId + ".deliver";
    }

    /** Operator requests to one node (the text {@code drain}). */
    public static String nodeAdmin(String nodeId) {
        return NODE_PREFIX + nodeId + ".admin";
    }

    /** Requests to start a match on one node ({@code MatchSpec}). */
    public static String nodeMatches(String nodeId) {
        return NODE_PREFIX + nodeId + ".matches";
    }
}

package org.quizengine.engine.config;

/**
 * How players are grouped into matches.
 *
 * @param defaultSize          players in a quick match when the player does not say
 * @param minSize              fewest players a match may start with (after the fill timeout, or a lobby)
 * @param maxSize              most players in any match
 * @param fillTimeoutMillis    how long a quick match waits to fill before starting with what it has
 * @param minSecondsPerQuestion lobby hosts may choose the question time within these bounds
 * @param maxSecondsPerQuestion
 * @param maxLobbyQuestions    the most questions a lobby host may ask for
 */
public record MatchmakingOptions(int defaultSize, int minSize, int maxSize, long fillTimeoutMillis,
                                 int minSecondsPerQuestion, int maxSecondsPerQuestion, int maxLobbyQuestions) {

    public MatchmakingOptions {
        if (minSize > maxSize) {
            throw new ConfigException("matchmaking.minSize must not exceed matchmaking.maxSize");
        }
        if (defaultSize < minSize || defaultSize > maxSize) {
            throw new ConfigException("matchmaking.defaultSize must be between minSize and maxSize");
        }
        if (minSecondsPerQuestion > maxSecondsPerQuestion) {
            throw new ConfigException("lobby.minSecondsPerQuestion must not exceed lobby.maxSecondsPerQuestion");
        }
    }

    static MatchmakingOptions from(Section matchmaking, Section lobby) {
        return new MatchmakingOptions(
            matchmaking.intIn("defaultSize", 1, 100),
            matchmaking.intIn("minSize", 1, 100),
            matchmaking.intIn("maxSize", 1, 100),
            matchmaking.longIn("fillTimeoutMillis", 0, 600_000),
            lobby.intIn("minSecondsPerQuestion", 1, 120),
            lobby.intIn("maxSecondsPerQuestion", 1, 120),
            lobby.intIn("maxQuestions", 1, 50));
    }
}

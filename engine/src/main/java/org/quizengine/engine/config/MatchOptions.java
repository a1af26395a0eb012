package org.quizengine.engine.config;

import org.quizengine.shared.match.MatchSettings;

/**
 * How matches are paced and guarded on this node.
 *
 * @param defaults             settings every quick match uses, and lobby matches start from
 * @param maxCommandsPerSecond a match's inbox bound: commands beyond it in one second are refused
 *                             with MATCH_OVERLOADED instead of queueing up on the node
 * @param lingerMillis         how long a finished match keeps answering (MATCH_FINISHED) before it goes
 */
public record MatchOptions(MatchSettings defaults, int maxCommandsPerSecond, long lingerMillis) {
    public static final int DEFAULT_MAX_COMMANDS_PER_SECOND = 500;

    static MatchOptions from(Section match) {
        MatchSettings settings;
        try {
            settings = new MatchSettings(
                match.intIn("questionCount", MatchSettings.MIN_QUESTIONS, MatchSettings.MAX_QUESTIONS),
                match.longIn("questionMillis", MatchSettings.MIN_QUESTION_MILLIS, MatchSettings.MAX_QUESTION_MILLIS),
                match.longIn("countdownMillis", 0, MatchSettings.MAX_PAUSE_MILLIS),
                match.longIn("revealMillis", 0, MatchSettings.MAX_PAUSE_MILLIS),
                match.longIn("reconnectGraceMillis", 0, MatchSettings.MAX_GRACE_MILLIS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("match settings: " + e.getMessage());
        }
        return new MatchOptions(settings, match.intIn("maxCommandsPerSecond", 10, 1_000_000),
            match.longIn("lingerMillis", 0, 600_000));
    }
}

package org.quizengine.engine.match;

/** Where a match is in its life. */
public enum Phase {
    /** Formed; the first question opens at the end of the countdown. */
    COUNTDOWN,
    /** A question is open until its deadline. */
    QUESTION,
    /** A question closed and was revealed; the next opens after the pause. */
    REVEAL,
    /** Over; the result is final. */
    FINISHED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

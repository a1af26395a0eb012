package org.quizengine.shared.match;

/** How a match was formed. */
public enum MatchKind {
    QUICK, LOBBY;

    /** The lower-case name used on the wire and in storage. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

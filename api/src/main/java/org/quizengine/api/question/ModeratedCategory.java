package org.quizengine.api.question;

/** A category as moderators create and edit it; inactive ones are hidden from players and matchmaking. */
public record ModeratedCategory(String id, String name, boolean active) {
}

package org.quizengine.api.question;

/**
 * A category as moderators list it, inactive ones included.
 *
 * @param activeQuestions how many of its questions can be asked once it is active
 */
public record CategoryOverview(String id, String name, boolean active, int activeQuestions) {
}

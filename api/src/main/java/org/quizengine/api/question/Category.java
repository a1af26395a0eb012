package org.quizengine.api.question;

/**
 * A category players can pick.
 *
 * @param id              its slug, e.g. {@code science}
 * @param activeQuestions how many of its questions can be asked now
 */
public record Category(String id, String name, int activeQuestions) {
}

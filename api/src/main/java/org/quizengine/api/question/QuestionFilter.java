package org.quizengine.api.question;

/**
 * What the moderators' question list is narrowed to; a null field does not narrow.
 *
 * @param search text the question must contain, ignoring case
 * @param after  keyset cursor: only ids greater than this
 */
record QuestionFilter(String category, Boolean active, String difficulty, String search, Long after, int limit) {
}

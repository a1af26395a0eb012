package org.quizengine.api.question;

import java.util.List;

/**
 * One page of the moderators' question list, by ascending id.
 *
 * @param nextAfter the {@code after} to ask for the next page; null on the last page
 */
public record QuestionPage(List<ModeratedQuestion> items, Long nextAfter) {
    public QuestionPage {
        items = List.copyOf(items);
    }
}

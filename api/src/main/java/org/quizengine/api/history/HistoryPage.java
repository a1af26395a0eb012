package org.quizengine.api.history;

import java.util.List;

/**
 * A page of a player's history, newest first.
 *
 * @param nextCursor pass it back for the next (older) page; {@code null} on the last page
 */
public record HistoryPage(List<HistoryItem> items, String nextCursor) {
    public HistoryPage {
        items = List.copyOf(items);
    }
}

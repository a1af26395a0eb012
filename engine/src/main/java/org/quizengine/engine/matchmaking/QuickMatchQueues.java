package org.quizengine.engine.matchmaking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Players waiting for quick matches, one first-come-first-served queue per (category, size). A
 * queue forms a match as soon as it is full, or after the fill timeout with at least the minimum.
 * Pure: time is a parameter.
 */
final class QuickMatchQueues {
    /** Which queue: {@code category} null means any category. */
    record Key(String category, int size) {
    }

    /** Players taken from one queue to play together. */
    record Group(Key key, List<Waiting> players) {
    }

    private final Map<Key, LinkedHashMap<UUID, Waiting>> queues = new HashMap<>();
    private final Map<UUID, Key> queueOf = new HashMap<>();
    /** How many wait, kept after each change for readers on other threads (the metrics). */
    private volatile int size;

    boolean contains(UUID userId) {
        return queueOf.containsKey(userId);
    }

    /** Queues a player; returns the group it completes, or {@code null}. */
    Group join(Key key, Waiting waiting) {
        LinkedHashMap<UUID, Waiting> queue = queues.computeIfAbsent(key, k -> new LinkedHashMap<>());
        queue.put(waiting.player().userId(), waiting);
        queueOf.put(waiting.player().userId(), key);
        Group group = queue.size() >= key.size() ? take(key, queue, key.size()) : null;
        size = queueOf.size();
        return group;
    }

    /** Players waiting in every queue; safe to read from any thread. */
    int size() {
        return size;
    }

    int waiting(Key key) {
        LinkedHashMap<UUID, Waiting> queue = queues.get(key);
        return queue == null ? 0 : queue.size();
    }

    /** Removes a player from whatever queue they are in; false when they were in none. */
    boolean remove(UUID userId) {
        Key key = queueOf.remove(userId);
        if (key == null) {
            return false;
        }
        LinkedHashMap<UUID, Waiting> queue = queues.get(key);
        queue.remove(userId);
        if (queue.isEmpty()) {
            queues.remove(key);
        }
        size = queueOf.size();
        return true;
    }

    /** Groups whose oldest player has waited {@code fillTimeoutMillis} and that have at least {@code minSize} players. */
    List<Group> due(long now, long fillTimeoutMillis, int minSize) {
        List<Group> groups = new ArrayList<>();
        for (Iterator<Map.Entry<Key, LinkedHashMap<UUID, Waiting>>> it = queues.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, LinkedHashMap<UUID, Waiting>> entry = it.next();
            LinkedHashMap<UUID, Waiting> queue = entry.getValue();
            Waiting oldest = queue.values().iterator().next();
            if (queue.size() >= minSize && now - oldest.since() >= fillTimeoutMillis) {
                groups.add(takeAll(entry.getKey(), queue));
                it.remove();
            }
        }
        size = queueOf.size();
        return groups;
    }

    private Group take(Key key, LinkedHashMap<UUID, Waiting> queue, int count) {
        List<Waiting> players = new ArrayList<>(count);
        Iterator<Waiting> it = queue.values().iterator();
        while (players.size() < count && it.hasNext()) {
            Waiting waiting = it.next();
            players.add(waiting);
            it.remove();
            queueOf.remove(waiting.player().userId());
        }
        if (queue.isEmpty()) {
            queues.remove(key);
        }
        return new Group(key, players);
    }

    private Group takeAll(Key key, LinkedHashMap<UUID, Waiting> queue) {
        List<Waiting> players = new ArrayList<>(queue.values());
        players.forEach(w -> queueOf.remove(w.player().userId()));
        queue.clear();
        return new Group(key, players);
    }
}

package org.quizengine.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the players received over a whole run, by frame type (how many frames, how many bytes of
 * UTF-8 text), merged from every worker, and what that weighs per question: all the bytes a player
 * got divided by the questions it got, so the match's other frames (start, acknowledgements, reveals,
 * the final ranking) are spread over its questions.
 */
final class FramesReceived {
    private final Map<String, long[]> byType = new TreeMap<>();

    /** Adds one worker's {@code framesReceived}: {@code {type: {frames, bytes}}}. */
    void add(JsonObject workerFrames) {
        if (workerFrames == null) {
            return;
        }
        workerFrames.forEach(entry -> {
            JsonObject counts = (JsonObject) entry.getValue();
            long[] sum = byType.computeIfAbsent(entry.getKey(), type -> new long[2]);
            sum[0] += counts.getLong("frames");
            sum[1] += counts.getLong("bytes");
        });
    }

    /**
     * {@code byType} (frames, bytes, bytes per frame), the totals, and {@code bytesPerPlayerPerQuestion};
     * the latter is absent when no question arrived (the echo scenario).
     */
    JsonObject toJson() {
        JsonObject types = new JsonObject();
        long frames = 0;
        long bytes = 0;
        for (Map.Entry<String, long[]> entry : byType.entrySet()) {
            long[] sum = entry.getValue();
            types.put(entry.getKey(), new JsonObject().put("frames", sum[0]).put("bytes", sum[1])
                .put("bytesPerFrame", Math.round(sum[1] / (double) sum[0])));
            frames += sum[0];
            bytes += sum[1];
        }
        JsonObject json = new JsonObject().put("frames", frames).put("bytes", bytes).put("byType", types);
        long questions = byType.getOrDefault("question", new long[2])[0];
        if (questions > 0) {
            json.put("bytesPerPlayerPerQuestion", Math.round(bytes / (double) questions));
        }
        return json;
    }
}

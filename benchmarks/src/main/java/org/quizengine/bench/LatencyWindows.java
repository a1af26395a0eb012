package org.quizengine.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Answer-ack p99 over consecutive, non-overlapping 10 s windows of a run's measured part, and how many
 * of them were over 100 ms (issue 10: no such window after the ramp). Each window's p99 comes from the
 * merged histograms of its seconds: an average of per-second p99s would let one bad second hide among
 * nine good ones, and let a second with a single slow answer sink a window. Seconds after the last
 * whole window are left out, and counted.
 */
record LatencyWindows(List<Double> p99Millis, int secondsLeftOut) {
    static final int WINDOW_SECONDS = 10;
    static final int LIMIT_MILLIS = 100;

    LatencyWindows {
        // A window without answers has no p99 (null), which List.copyOf would refuse.
        p99Millis = Collections.unmodifiableList(new ArrayList<>(p99Millis));
    }

    /** The windows over one answer-ack histogram per second of the measured part, in order. */
    static LatencyWindows of(List<Histogram> ackPerSecond) {
        List<Double> p99s = new ArrayList<>();
        int whole = ackPerSecond.size() / WINDOW_SECONDS;
        for (int w = 0; w < whole; w++) {
            Histogram merged = new Histogram(Second.HIGHEST_MICROS, 3);
            ackPerSecond.subList(w * WINDOW_SECONDS, (w + 1) * WINDOW_SECONDS).forEach(merged::add);
            p99s.add(Second.millis(merged, 99));
        }
        return new LatencyWindows(p99s, ackPerSecond.size() - whole * WINDOW_SECONDS);
    }

    /** Windows whose p99 is over the limit; a window without answers has no p99 and is not counted. */
    int over() {
        return (int) p99Millis.stream().filter(Objects::nonNull).filter(p99 -> p99 > LIMIT_MILLIS).count();
    }

    /** The report's {@code ackP99Windows}. */
    JsonObject toJson() {
        return new JsonObject()
            .put("windowSeconds", WINDOW_SECONDS)
            .put("limitMs", LIMIT_MILLIS)
            .put("p99Ms", new JsonArray(p99Millis))
            .put("windowsOver100Ms", over())
            .put("secondsLeftOut", secondsLeftOut);
    }
}

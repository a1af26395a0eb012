package org.quizengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Answer-ack p99 per 10 s window, from made-up seconds of acknowledgements: each window's p99 is that of
 * all its answers together, windows follow each other without overlapping, and a window over 100 ms counts.
 */
class LatencyWindowsTest {

    @Test
    void oneSlowSecondAmongNineQuickOnesPutsItsWindowOver() {
        List<Histogram> seconds = new ArrayList<>(repeat(9, acks(100, 5)));
        seconds.add(acks(100, 500));

        LatencyWindows windows = LatencyWindows.of(seconds);

        // The mean of the ten per-second p99s is about 54.5 ms: under the limit, and wrong.
        assertThat(windows.p99Millis()).singleElement().satisfies(p99 -> assertThat(p99).isBetween(499.0, 501.0));
        assertThat(windows.over()).isEqualTo(1);
    }

    @Test
    void oneSlowAnswerInAnOtherwiseQuickWindowDoesNotPutItOver() {
        List<Histogram> seconds = new ArrayList<>(repeat(9, acks(1_000, 5)));
        seconds.add(acks(1, 2_000));

        LatencyWindows windows = LatencyWindows.of(seconds);

        // The mean of the ten per-second p99s is about 204.5 ms; the window's own p99 is 5 ms.
        assertThat(windows.p99Millis()).singleElement().satisfies(p99 -> assertThat(p99).isBetween(4.9, 5.1));
        assertThat(windows.over()).isZero();
    }

    @Test
    void windowsFollowEachOtherAndSecondsAfterTheLastWholeWindowAreLeftOut() {
        List<Histogram> seconds = new ArrayList<>();
        seconds.addAll(repeat(10, acks(100, 5)));
        seconds.addAll(repeat(10, acks(100, 150)));
        seconds.addAll(repeat(10, acks(100, 99)));
        seconds.addAll(repeat(5, acks(100, 900)));

        LatencyWindows windows = LatencyWindows.of(seconds);

        assertThat(windows.p99Millis()).hasSize(3);
        assertThat(windows.p99Millis().get(0)).isBetween(4.9, 5.1);
        assertThat(windows.p99Millis().get(1)).isBetween(149.0, 151.0);
        assertThat(windows.p99Millis().get(2)).as("just under the limit").isBetween(98.0, 100.0);
        assertThat(windows.over()).as("the 900 ms seconds make no whole window").isEqualTo(1);
        assertThat(windows.secondsLeftOut()).isEqualTo(5);
    }

    @Test
    void aWindowWithoutAnswersHasNoP99AndIsNotOver() {
        LatencyWindows windows = LatencyWindows.of(repeat(10, new Histogram(Second.HIGHEST_MICROS, 3)));

        assertThat(windows.p99Millis()).containsExactly((Double) null);
        assertThat(windows.over()).isZero();
    }

    @Test
    void aMeasuredPartShorterThanAWindowHasNoWindows() {
        LatencyWindows windows = LatencyWindows.of(repeat(9, acks(100, 500)));

        assertThat(windows.p99Millis()).isEmpty();
        assertThat(windows.over()).isZero();
        assertThat(windows.secondsLeftOut()).isEqualTo(9);
    }

    @Test
    void theReportListsEveryWindowsP99AndCountsThoseOver() {
        List<Histogram> seconds = new ArrayList<>(repeat(10, acks(10, 200)));
        seconds.addAll(repeat(10, acks(10, 20)));

        JsonObject json = LatencyWindows.of(seconds).toJson();

        assertThat(json.getInteger("windowSeconds")).isEqualTo(10);
        assertThat(json.getInteger("limitMs")).isEqualTo(100);
        assertThat(json.getJsonArray("p99Ms")).hasSize(2);
        assertThat(json.getInteger("windowsOver100Ms")).isEqualTo(1);
        assertThat(json.getInteger("secondsLeftOut")).isZero();
    }

    /** One second's acknowledgements: {@code count} answers, each acknowledged after {@code millis}. */
    private static Histogram acks(int count, long millis) {
        Histogram second = new Histogram(Second.HIGHEST_MICROS, 3);
        second.recordValueWithCount(millis * 1_000, count);
        return second;
    }

    private static List<Histogram> repeat(int seconds, Histogram each) {
        return Collections.nCopies(seconds, each);
    }
}

package org.quizengine.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM stopped longer than its peers wait refuses to count its writes until it can have been merged back. */
class PauseWatchTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aGapPastTheThresholdIsAPauseForTheHoldTimeAndTicksOnTimeAreNot() {
        PauseWatch watch = new PauseWatch(4_000, 15_000);
        long t = System.nanoTime();
        for (int i = 1; i <= 30; i++) {
            watch.tick(t + i * 100 * MS);
        }
        long now = t + 3_000 * MS;
        assertThat(watch.recentlyPaused(now)).as("ticking every 100 ms").isFalse();

        long woke = now + 11_000 * MS; // stopped 11 s, as a SIGSTOP would
        assertThat(watch.recentlyPaused(woke)).as("woken, before the watch has run again").isTrue();
        watch.tick(woke);
        assertThat(watch.recentlyPaused(woke + 100 * MS)).as("just after").isTrue();
        for (long at = woke; at < woke + 16_000 * MS; at += 100 * MS) {
            watch.tick(at);
        }
        assertThat(watch.recentlyPaused(woke + 14_900 * MS)).as("within the hold").isTrue();
        assertThat(watch.recentlyPaused(woke + 15_050 * MS)).as("after the hold").isFalse();
    }
}

package org.quizengine.engine.cluster;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether this JVM was stopped for longer than its peers wait for a heartbeat (a SIGSTOP, a
 * very long collection pause): its peers have then likely taken it for dead and taken its matches
 * over, while its own view of the cluster, and its copies of the shared maps, are still from before.
 * A write it makes then can land on its stale copy of a partition it no longer owns and be
 * acknowledged there; so a match's writes count only while no such pause is recent
 * ({@code ClusteredReplication}'s quorum check). A thread that wakes every 100 ms notices the pause
 * as a gap; until it runs again after waking, the gap since its last run says the same.
 */
public final class PauseWatch {
    private static final Logger LOG = LoggerFactory.getLogger(PauseWatch.class);
    private static final long TICK_MILLIS = 100;

    private final long thresholdNanos;
    private final long holdNanos;
    private volatile long lastTick = System.nanoTime();
    private volatile long pausedAt;
    private volatile boolean paused;
    private volatile boolean running = true;

    /**
     * @param thresholdMillis a gap at least this long counts as a pause
     * @param holdMillis how long after a pause writes stay refused (until the node has been merged back or restarted)
     */
    PauseWatch(long thresholdMillis, long holdMillis) {
        this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
        this.holdNanos = TimeUnit.MILLISECONDS.toNanos(holdMillis);
    }

    /** A watch for a node whose peers declare it dead after {@code maxNoHeartbeatSeconds} of silence. */
    public static PauseWatch start(int maxNoHeartbeatSeconds) {
        long detection = TimeUnit.SECONDS.toMillis(maxNoHeartbeatSeconds);
        PauseWatch watch = new PauseWatch(Math.max(1_000, detection - 1_000),
            detection + TimeUnit.SECONDS.toMillis(HazelcastSetup.MERGE_FIRST_RUN_SECONDS));
        Thread thread = new Thread(watch::run, "quiz-pause-watch");
        thread.setDaemon(true);
        thread.start();
        return watch;
    }

    /** Whether this JVM was paused recently (or is being now): its writes to shared state must not count. */
    public boolean recentlyPaused() {
        return recentlyPaused(System.nanoTime());
    }

    boolean recentlyPaused(long now) {
        return now - lastTick >= thresholdNanos || (paused && now - pausedAt < holdNanos);
    }

    public void stop() {
        running = false;
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            tick(System.nanoTime());
        }
    }

    void tick(long now) {
        long gap = now - lastTick;
        if (gap >= thresholdNanos) {
            pausedAt = now;
            paused = true;
            LOG.warn("This node was paused for {} ms: its peers may have taken it for dead, so its matches write "
                + "nothing for {} s", TimeUnit.NANOSECONDS.toMillis(gap), TimeUnit.NANOSECONDS.toSeconds(holdNanos));
        }
        lastTick = now;
    }
}

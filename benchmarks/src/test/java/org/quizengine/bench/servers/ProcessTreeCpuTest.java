package org.quizengine.bench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * CPU of real process trees from {@code /proc}: busy children count towards their root, so do children
 * that have exited and been reaped, and a stat line is read right whatever its command is called.
 */
class ProcessTreeCpuTest {
    private static final double TICKS_PER_SECOND = 100;

    private final ProcessTreeCpu cpu = ProcessTreeCpu.onThisMachine().orElseThrow(() -> new AssertionError("no /proc here"));

    @Test
    void aRootCountsItsBusyChildren() throws Exception {
        Process root = new ProcessBuilder("sh", "-c", "yes > /dev/null & yes > /dev/null & wait").start();
        try {
            awaitChildren(root, 2);
            double treeBefore = treeSeconds(root);
            double ownBefore = cpu.stat(root.pid()).orElseThrow().cpuSeconds();

            Thread.sleep(1_500);

            double tree = treeSeconds(root) - treeBefore;
            double own = cpu.stat(root.pid()).orElseThrow().cpuSeconds() - ownBefore;
            // Two busy children could use 3 core-seconds here; a loaded 2-core machine may give them far less.
            assertThat(tree).as("CPU of sh and its two busy children over 1.5 s").isGreaterThanOrEqualTo(0.5).isGreaterThan(own);
        } finally {
            kill(root);
        }
    }

    @Test
    void childrenThatExitedStillCountThroughTheParentThatReapedThem() throws Exception {
        Process root = new ProcessBuilder("sh", "-c", "timeout 1 yes > /dev/null; sleep 30").start();
        try {
            double before = treeSeconds(root);
            awaitNoBusyChild(root);

            assertThat(treeSeconds(root) - before).as("CPU of a busy child that ran for 1 s and was reaped").isGreaterThanOrEqualTo(0.3);
        } finally {
            kill(root);
        }
    }

    @Test
    void aRootThatIsGoneIsLeftOut() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Map<Long, Double> byRoot = cpu.secondsByRoot(List.of(gone.pid(), ProcessHandle.current().pid()));

        assertThat(byRoot).containsOnlyKeys(ProcessHandle.current().pid());
    }

    @Test
    void aStatLineIsReadAfterTheLastParenthesisWhateverTheCommandHoldsInIts() {
        String line = "4242 (my (odd) name) ) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 50 30 20 20 0 1 0 9000 1000 50"
            + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

        ProcessTreeCpu.Stat stat = ProcessTreeCpu.Stat.parse(line, TICKS_PER_SECOND);

        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.ppid()).isEqualTo(17);
        assertThat(stat.cpuSeconds()).as("utime 250 + stime 50 + cutime 30 + cstime 20 ticks").isEqualTo(3.5);
    }

    private double treeSeconds(Process root) {
        return cpu.secondsByRoot(List.of(root.pid())).get(root.pid());
    }

    private static void awaitChildren(Process root, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (root.children().count() < count) {
            assertThat(System.nanoTime()).as(count + " children started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * Past the busy child's second, until neither it nor {@code timeout} is left: both exited and were
     * reaped (the shell may have become {@code sleep} itself, keeping what it reaped).
     */
    private static void awaitNoBusyChild(Process root) throws InterruptedException {
        Thread.sleep(1_300);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (root.descendants().anyMatch(p -> p.info().command().orElse("").matches(".*/(yes|timeout)"))) {
            assertThat(System.nanoTime()).as("the busy child exited").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void kill(Process root) {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }
}

package org.quizengine.bench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sampler's CPU from {@code /proc} for real processes standing in for a target's parts: each part's
 * CPU since the previous reading, a process that is gone counted as nothing rather than as a negative,
 * and no figure at all, with the reason, where the target's processes are not here.
 */
class ServerSamplerTest {

    @Test
    void eachPartGetsTheCpuItsTreeUsedSinceThePreviousReading() throws Exception {
        Process idleNode = new ProcessBuilder("sleep", "30").start();
        Process busyPostgres = new ProcessBuilder("sh", "-c", "yes > /dev/null & wait").start();
        try {
            ServerSampler sampler = new ServerSampler(new LocalParts(Optional.of(
                new Target.Processes(List.of(idleNode.pid()), OptionalLong.of(busyPostgres.pid()), OptionalLong.empty()))));
            assertThat(sampler.read().processes().postgresSeconds()).as("the first reading is the baseline").isZero();

            Thread.sleep(1_000);
            ServerSampler.ProcessesCpu used = sampler.read().processes();

            assertThat(used.postgresSeconds()).as("a busy child of the postmaster over 1 s").isGreaterThanOrEqualTo(0.3);
            assertThat(used.nodesSeconds()).isLessThan(used.postgresSeconds());
            assertThat(used.redisSeconds()).as("no Redis").isNull();
            assertThat(used.allInSeconds()).isEqualTo(used.nodesSeconds() + used.postgresSeconds());
            assertThat(sampler.processCpuUnavailable()).isEmpty();
        } finally {
            kill(idleNode);
            kill(busyPostgres);
        }
    }

    @Test
    void aNodeKilledBetweenReadingsCountsNothingRatherThanLessThanNothing() throws Exception {
        Process busyNode = new ProcessBuilder("sh", "-c", "yes > /dev/null & wait").start();
        try {
            ServerSampler sampler = new ServerSampler(new LocalParts(Optional.of(
                new Target.Processes(List.of(busyNode.pid()), OptionalLong.empty(), OptionalLong.empty()))));
            sampler.read();
            Thread.sleep(500);
            kill(busyNode);
            assertThat(busyNode.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(sampler.read().processes().nodesSeconds()).isZero();
        } finally {
            kill(busyNode);
        }
    }

    @Test
    void processesThatRunElsewhereHaveNoFigureAndAReason() {
        ServerSampler sampler = new ServerSampler(new LocalParts(Optional.empty()));

        assertThat(sampler.read().processes()).isNull();
        assertThat(sampler.processCpuUnavailable()).hasValueSatisfying(why -> assertThat(why).contains("--url"));
    }

    private static void kill(Process root) {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** A target with no servers to scrape, only processes (or none) to read from /proc. */
    private record LocalParts(Optional<Target.Processes> processes) implements Target {
        @Override
        public String describe() {
            return "processes standing in for a target";
        }

        @Override
        public List<String> urls() {
            return List.of();
        }

        @Override
        public List<Server> servers() {
            return List.of();
        }

        @Override
        public Optional<StoreUris> stores() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}

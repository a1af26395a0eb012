package org.quizengine.bench.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time of whole process trees, read from {@code /proc} (Linux only): a root and every live
 * descendant, each counted with its own time and that of its exited children it reaped
 * ({@code utime + stime + cutime + cstime}), so a PostgreSQL backend that came and went still counts
 * through the postmaster. Roots are expected to be disjoint trees; a root that is gone is left out.
 */
public final class ProcessTreeCpu {
    private static final Path PROC = Path.of("/proc");
    private static final long DEFAULT_TICKS_PER_SECOND = 100;

    private final double ticksPerSecond;

    private ProcessTreeCpu(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** A reader for this machine; empty where there is no {@code /proc} to read (not Linux). */
    public static Optional<ProcessTreeCpu> onThisMachine() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"))
            ? Optional.of(new ProcessTreeCpu(ticksPerSecond())) : Optional.empty();
    }

    /** CPU seconds used so far by each live root's tree, from one pass over {@code /proc}. */
    public Map<Long, Double> secondsByRoot(Collection<Long> roots) {
        Map<Long, Stat> stats = new HashMap<>();
        Map<Long, List<Long>> children = new HashMap<>();
        for (long pid : processIds()) {
            stat(pid).ifPresent(stat -> {
                stats.put(pid, stat);
                children.computeIfAbsent(stat.ppid(), parent -> new ArrayList<>()).add(pid);
            });
        }
        Map<Long, Double> byRoot = new HashMap<>();
        for (long root : roots) {
            if (!stats.containsKey(root)) {
                continue;
            }
            double seconds = 0;
            Deque<Long> tree = new ArrayDeque<>(List.of(root));
            while (!tree.isEmpty()) {
                long pid = tree.pop();
                seconds += stats.get(pid).cpuSeconds();
                // A child seen in the listing but gone before its stat was read is simply not there.
                children.getOrDefault(pid, List.of()).stream().filter(stats::containsKey).forEach(tree::push);
            }
            byRoot.put(root, seconds);
        }
        return byRoot;
    }

    /** One process's line of {@code /proc/<pid>/stat}; empty when it is gone. */
    Optional<Stat> stat(long pid) {
        try {
            // Latin-1 reads any byte, so a command name that is not ASCII cannot hide a process.
            String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
            return Optional.of(Stat.parse(line, ticksPerSecond));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // exited between the listing and the read
        }
    }

    private static List<Long> processIds() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(path -> path.getFileName().toString())
                .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code getconf CLK_TCK}: the unit of the times in {@code /proc/<pid>/stat}; 100 when it cannot be asked. */
    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : DEFAULT_TICKS_PER_SECOND;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_TICKS_PER_SECOND;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_TICKS_PER_SECOND;
        }
    }

    /**
     * What the tree needs of one process's stat line.
     *
     * @param cpuSeconds its own user and system time plus that of the children it reaped
     */
    record Stat(long pid, long ppid, double cpuSeconds) {
        // Fields after the command's closing parenthesis, counted from 0: state, ppid, ..., utime at 11.
        private static final int PPID = 1;
        private static final int UTIME = 11;
        private static final int CSTIME = 14;

        /**
         * Parses {@code pid (comm) state ppid ...}. The command is in parentheses and may itself hold
         * spaces and parentheses, so the fields are counted from the last {@code ')'}.
         */
        static Stat parse(String line, double ticksPerSecond) {
            int close = line.lastIndexOf(')');
            if (close < 0) {
                throw new IllegalArgumentException("not a /proc stat line: " + line);
            }
            String[] fields = line.substring(close + 1).trim().split("\\s+");
            long ticks = 0;
            for (int i = UTIME; i <= CSTIME; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            long pid = Long.parseLong(line.substring(0, line.indexOf('(')).trim());
            return new Stat(pid, Long.parseLong(fields[PPID]), ticks / ticksPerSecond);
        }
    }
}

package org.quizengine.bench.floor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's JIT compiler threads, from {@code /proc/<pid>/task} (Linux only). Three JVMs
 * sharing two cores were still compiling for 80 to 100 s after they started, at up to two thirds of
 * their CPU: a window with compilation in it measures the JIT, not the messaging.
 */
final class CompilerThreads {
    /** The unit of the times in {@code /proc}: USER_HZ, 100 a second on every architecture Linux runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private CompilerThreads() {
    }

    /** CPU seconds so far of each live compiler thread of {@code pid}, by thread id. */
    static Map<Long, Double> secondsByThread(long pid) {
        Map<Long, Double> seconds = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1);
                    // HotSpot names them "C1 CompilerThread0" and so on, which the kernel cuts at 15 characters.
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).matches("C\\d CompilerThre.*")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        seconds.put(Long.parseLong(task.getFileName().toString()),
                            (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            });
        } catch (IOException e) {
            // The process is gone.
        }
        return seconds;
    }

    /**
     * The compiler threads' CPU seconds between two readings of one JVM; a thread that ended in
     * between is missing from {@code after}, so this is at least what they used.
     */
    static double between(Map<Long, Double> before, Map<Long, Double> after) {
        return after.entrySet().stream().mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum();
    }
}

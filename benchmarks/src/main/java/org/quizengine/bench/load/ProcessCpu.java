package org.quizengine.bench.load;

import java.lang.management.ManagementFactory;

/** CPU time this JVM has used, all threads: how a saturated generator shows itself. */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Nanoseconds of CPU used so far, or 0 where the JVM cannot tell. */
    public static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : 0;
    }
}

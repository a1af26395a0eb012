package org.quizengine.api.auth;

/**
 * The cost of one Argon2id computation. The checks are Argon2's own structural limits plus a sane
 * ceiling, not a security floor: tests deliberately run with less memory than production.
 */
public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
    /** Argon2 itself needs at least 8 KiB of memory per lane. */
    public static final int MIN_MEMORY_KIB_PER_LANE = 8;
    /** 4 GiB; more than this is a typo, not a setting. */
    public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    public static final int MAX_ITERATIONS = 100;
    public static final int MAX_PARALLELISM = 64;

    public Argon2Cost {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
        if (memoryKib < MIN_MEMORY_KIB_PER_LANE * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be " + MIN_MEMORY_KIB_PER_LANE * parallelism
                + ".." + MAX_MEMORY_KIB + " KiB for parallelism " + parallelism + ", was " + memoryKib);
        }
    }
}

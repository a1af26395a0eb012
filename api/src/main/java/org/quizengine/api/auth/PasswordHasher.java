package org.quizengine.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). Every computation runs on a worker pool
 * sized to the cores, never on an event loop: a hash is deliberately slow and memory-hungry, and
 * the pool's size bounds how much CPU and memory a burst of logins can take.
 */
public final class PasswordHasher {
    public static final String WORKER_POOL_NAME = "quiz-password-hashing";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
        "\\$argon2id\\$v=19\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{11,})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Argon2Cost cost;
    private final WorkerExecutor workers;
    private final SecureRandom random = new SecureRandom();
    /** A well-formed hash of nothing anyone knows, verified against when the user does not exist. */
    private final String dummyHash;

    public PasswordHasher(Vertx vertx, Argon2Cost cost) {
        this.cost = Objects.requireNonNull(cost, "cost");
        this.workers = vertx.createSharedWorkerExecutor(WORKER_POOL_NAME, Runtime.getRuntime().availableProcessors());
        byte[] unknowable = new byte[HASH_BYTES];
        random.nextBytes(unknowable);
        this.dummyHash = format(cost, randomSalt(), unknowable);
    }

    /** A new PHC string for {@code password}, with a fresh random salt and this hasher's cost. */
    public Future<String> hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = randomSalt();
        return workers.executeBlocking(() -> format(cost, salt, derive(password, salt, cost, HASH_BYTES)), false);
    }

    /**
     * Whether {@code password} matches {@code phc}. A stored hash that cannot be parsed fails the
     * Future: that is corrupt data, not a wrong password.
     */
    public Future<Boolean> verify(String password, String phc) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(phc, "phc");
        return workers.executeBlocking(() -> {
            StoredHash stored = StoredHash.parse(phc);
            byte[] actual = derive(password, stored.salt(), stored.cost(), stored.hash().length);
            return MessageDigest.isEqual(actual, stored.hash());
        }, false);
    }

    /**
     * Does the work of a {@link #verify} for a user that does not exist, so that "no such user"
     * takes as long as "wrong password". Always {@code false}.
     */
    public Future<Boolean> verifyAgainstDummy(String password) {
        return verify(password, dummyHash).map(false);
    }

    /** Whether {@code phc} was made with a different cost than this hasher's, and so should be redone on login. */
    public boolean needsRehash(String phc) {
        try {
            return !StoredHash.parse(phc).cost().equals(cost);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    public Argon2Cost cost() {
        return cost;
    }

    /** Releases this hasher's share of the worker pool. */
    public Future<Void> close() {
        return workers.close();
    }

    private byte[] randomSalt() {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    private static byte[] derive(String password, byte[] salt, Argon2Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return out;
    }

    private static String format(Argon2Cost cost, byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
            + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private record StoredHash(Argon2Cost cost, byte[] salt, byte[] hash) {
        static StoredHash parse(String phc) {
            Matcher matcher = PHC.matcher(phc);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Not an Argon2id v19 PHC string");
            }
            Argon2Cost cost = new Argon2Cost(
                Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
            return new StoredHash(cost, B64_DECODER.decode(matcher.group(4)), B64_DECODER.decode(matcher.group(5)));
        }
    }
}

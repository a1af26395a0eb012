package org.quizengine.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static final Argon2Cost SMALL = new Argon2Cost(1024, 1, 1);

    private static Vertx vertx;
    private static PasswordHasher hasher;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        hasher = new PasswordHasher(vertx, SMALL);
    }

    @AfterAll
    static void stop() throws Exception {
        await(hasher.close());
        await(vertx.close());
    }

    @Test
    void hashIsAnArgon2idPhcStringWithTheConfiguredCost() throws Exception {
        String phc = await(hasher.hash("correct horse battery staple"));

        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void theRightPasswordVerifiesAndAWrongOneDoesNot() throws Exception {
        String phc = await(hasher.hash("correct horse battery staple"));

        assertThat(await(hasher.verify("correct horse battery staple", phc))).isTrue();
        assertThat(await(hasher.verify("correct horse battery stapler", phc))).isFalse();
        assertThat(await(hasher.verify("", phc))).isFalse();
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() throws Exception {
        String first = await(hasher.hash("same password"));
        String second = await(hasher.hash("same password"));

        assertThat(first).isNotEqualTo(second);
        assertThat(await(hasher.verify("same password", second))).isTrue();
    }

    @Test
    void nonAsciiPasswordsRoundTrip() throws Exception {
        String phc = await(hasher.hash("pässwörd-密码-🔑"));

        assertThat(await(hasher.verify("pässwörd-密码-🔑", phc))).isTrue();
        assertThat(await(hasher.verify("passwoerd-密码-🔑", phc))).isFalse();
    }

    @Test
    void aHashMadeWithAnotherCostStillVerifiesAndIsFlaggedForRehash() throws Exception {
        PasswordHasher other = new PasswordHasher(vertx, new Argon2Cost(2048, 2, 2));
        try {
            String phc = await(other.hash("migrating password"));

            assertThat(phc).contains("$m=2048,t=2,p=2$");
            assertThat(await(hasher.verify("migrating password", phc))).isTrue();
            assertThat(hasher.needsRehash(phc)).isTrue();
            assertThat(other.needsRehash(phc)).isFalse();
        } finally {
            await(other.close());
        }
    }

    @Test
    void verifiesHashesMadeByTheReferenceArgon2Implementation() throws Exception {
        // Made with the reference CLI (Debian's argon2 package):
        //   echo -n "correct horse battery staple" | argon2 saltsaltsaltsalt -id -t 1 -k 1024 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$5Tx9YkNNWfq1gl0Huxrt8T0TE4IsPYoxCIG6y6JJZ6I";
        //   echo -n "pässwörd-🔑" | argon2 0123456789abcdef -id -t 2 -k 2048 -p 2 -l 32 -e
        String referenceUtf8 = "$argon2id$v=19$m=2048,t=2,p=2$MDEyMzQ1Njc4OWFiY2RlZg$Pjhf0xQsqUR9KOmIjpiypYF7K3JFFppHnPjLqqL3LuI";

        assertThat(await(hasher.verify("correct horse battery staple", reference))).isTrue();
        assertThat(await(hasher.verify("correct horse battery stapl", reference))).isFalse();
        assertThat(await(hasher.verify("pässwörd-🔑", referenceUtf8))).isTrue();
    }

    @Test
    void aStoredHashOffByOneCharacterDoesNotVerify() throws Exception {
        String phc = await(hasher.hash("vector12"));
        // The first character of the hash part: all six of its bits are data. (The last one of a
        // 32-byte hash carries two, so changing it may only touch padding bits the decoder drops.)
        int first = phc.lastIndexOf('$') + 1;
        char original = phc.charAt(first);
        String tampered = phc.substring(0, first) + (original == 'A' ? 'B' : 'A') + phc.substring(first + 1);

        assertThat(await(hasher.verify("vector12", tampered))).isFalse();
    }

    @Test
    void aCorruptStoredHashFailsInsteadOfAnsweringFalse() {
        assertThatThrownBy(() -> await(hasher.verify("whatever", "$2a$10$notargon")))
            .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(hasher.verify("whatever", "$argon2id$v=19$m=1,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZXNhbHRzb21lc2FsdA")))
            .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashingDoesNotBlockTheCallingEventLoop() throws Exception {
        PasswordHasher slow = new PasswordHasher(vertx, new Argon2Cost(64 * 1024, 3, 1));
        try {
            await(slow.hash("warm up the JIT"));
            long[] callMillis = new long[1];
            long start = System.nanoTime();
            await(Future.<String>future(promise -> vertx.runOnContext(v -> {
                long before = System.nanoTime();
                Future<String> hashing = slow.hash("a slow password");
                callMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
                hashing.onComplete(promise);
            })));
            long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(totalMillis).as("the hash itself is slow").isGreaterThan(40);
            assertThat(callMillis[0]).as("the event loop only hands it off").isLessThan(totalMillis / 4);
        } finally {
            await(slow.close());
        }
    }

    @Test
    void anUnknownUserCostsAboutAsMuchAsAWrongPassword() throws Exception {
        // Big enough that skipping the hash would be obvious (tens of milliseconds per verify).
        PasswordHasher realistic = new PasswordHasher(vertx, new Argon2Cost(16 * 1024, 2, 1));
        try {
            String phc = await(realistic.hash("the real password"));
            await(realistic.verify("warm up", phc));
            // Interleaved, so a burst of load elsewhere on the machine slows both sides alike.
            long[] known = new long[9];
            long[] unknown = new long[9];
            for (int i = 0; i < known.length; i++) {
                known[i] = timeNanos(() -> realistic.verify("a wrong password", phc));
                unknown[i] = timeNanos(() -> realistic.verifyAgainstDummy("a wrong password"));
            }

            assertThat(await(realistic.verifyAgainstDummy("the real password"))).isFalse();
            assertThat((double) median(unknown) / median(known)).isBetween(0.33, 3.0);
        } finally {
            await(realistic.close());
        }
    }

    private static long timeNanos(Supplier<Future<Boolean>> verification) throws Exception {
        long start = System.nanoTime();
        await(verification.get());
        return System.nanoTime() - start;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

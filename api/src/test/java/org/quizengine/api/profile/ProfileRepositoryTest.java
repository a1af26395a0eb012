package org.quizengine.api.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quizengine.api.testing.StoreFixtures.await;
import static org.quizengine.api.testing.StoreFixtures.insertUser;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quizengine.api.history.MatchResultStore;
import org.quizengine.api.storage.Stores;
import org.quizengine.api.testing.StoreFixtures;
import org.quizengine.api.testing.TestMatches;
import org.quizengine.shared.match.MatchResult;

@ExtendWith(VertxExtension.class)
class ProfileRepositoryTest {
    @TempDir
    static Path dataDir;
    private static Vertx vertx;
    private static Stores stores;
    private static Pool pool;
    private static MatchResultStore results;
    private static ProfileRepository profiles;

    /** The extension closes this Vert.x after the class. */
    @BeforeAll
    static void start(Vertx classVertx) {
        vertx = classVertx;
        stores = StoreFixtures.start(vertx, dataDir);
        pool = stores.pool();
        results = new MatchResultStore(pool);
        profiles = new ProfileRepository(pool);
    }

    @AfterAll
    static void stop() {
        await(stores.close());
    }

    @Test
    void someoneWhoHasNotPlayedHasZeros() {
        PlayerStats stats = await(profiles.stats(insertUser(pool, "fresh")));
        assertThat(stats).isEqualTo(new PlayerStats(0, 0, 0, 0, 0, 0, 0.0, 0, new Level(1, 0, 5_000, 5_000), null));
        assertThat(await(profiles.stats(UUID.randomUUID()))).isEqualTo(PlayerStats.NONE);
    }

    @Test
    void addsUpEveryMatchOnce() {
        UUID ann = insertUser(pool, "ann-stats");
        UUID bob = insertUser(pool, "bob-stats");
        UUID cid = insertUser(pool, "cid-stats");
        long later = 1_763_900_000_000L;
        long earlier = later - 86_400_000L;
        // Match 1 (later, saved first): bob is player 1, right on questions 0 and 4 of 6, best streak
        // 1, answering after 1500 ms for 850 points each. ann (player 0) wins.
        MatchResult first = TestMatches.match(UUID.randomUUID(), later, 6, List.of(ann, bob));
        // Match 2 (earlier, saved second): bob is player 0: right on all 4 after 1000 ms, 900 points
        // each, streak 4; he wins.
        MatchResult second = TestMatches.match(UUID.randomUUID(), earlier, 4, List.of(bob, cid));
        await(results.save(first));
        await(results.save(second));
        // A retry changes nothing.
        await(results.save(first));

        PlayerStats bobStats = await(profiles.stats(bob));

        assertThat(bobStats.matchesPlayed()).isEqualTo(2);
        assertThat(bobStats.wins()).isEqualTo(1);
        assertThat(bobStats.totalScore()).isEqualTo(2 * 850 + 4 * 900);
        assertThat(bobStats.bestScore()).isEqualTo(4 * 900);
        assertThat(bobStats.questionsAnswered()).isEqualTo(10);
        assertThat(bobStats.correctAnswers()).isEqualTo(6);
        assertThat(bobStats.accuracy()).isCloseTo(0.6, within(1e-9));
        assertThat(bobStats.bestStreak()).isEqualTo(4);
        // The later match was saved first; saving an older one must not move this back.
        assertThat(bobStats.lastPlayedAt()).isEqualTo(later);

        PlayerStats annStats = await(profiles.stats(ann));
        assertThat(annStats.matchesPlayed()).isEqualTo(1);
        assertThat(annStats.wins()).isEqualTo(1);
        assertThat(annStats.accuracy()).isEqualTo(1.0);
        assertThat(annStats.bestStreak()).isEqualTo(6);
    }
}

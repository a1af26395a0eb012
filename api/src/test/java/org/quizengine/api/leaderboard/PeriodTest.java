package org.quizengine.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodTest {

    @Test
    void namesBoardsByUtcIsoWeekAndDay() {
        Instant sundayNight = Instant.parse("2026-11-22T23:59:59.999Z");
        assertThat(Period.ALL.key(sundayNight)).isEqualTo("lb:all");
        assertThat(Period.WEEK.key(sundayNight)).isEqualTo("lb:week:2026-W47");
        assertThat(Period.DAY.key(sundayNight)).isEqualTo("lb:day:2026-11-22");

        Instant mondayMidnight = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(Period.WEEK.key(mondayMidnight)).isEqualTo("lb:week:2026-W48");
        assertThat(Period.DAY.key(mondayMidnight)).isEqualTo("lb:day:2026-11-23");
    }

    @Test
    void usesUtcNotTheLocalTimeOfThePlayer() {
        // 23:30 in New York on the 22nd is already the 23rd, and a new ISO week, in UTC.
        Instant evening = java.time.OffsetDateTime.parse("2026-11-22T23:30:00-05:00").toInstant();
        assertThat(Period.DAY.key(evening)).isEqualTo("lb:day:2026-11-23");
        assertThat(Period.WEEK.key(evening)).isEqualTo("lb:week:2026-W48");
    }

    @Test
    void weeksBelongToTheirIsoWeekBasedYear() {
        assertThat(Period.WEEK.key(Instant.parse("2024-12-30T10:00:00Z"))).isEqualTo("lb:week:2025-W01");
        assertThat(Period.WEEK.key(Instant.parse("2027-01-01T10:00:00Z"))).isEqualTo("lb:week:2026-W53");
        assertThat(Period.WEEK.key(Instant.parse("2026-01-05T00:00:00Z"))).isEqualTo("lb:week:2026-W02");
    }

    @Test
    void periodBoardsExpireAfterTheirPeriodEnds() {
        Instant sundayNight = Instant.parse("2026-11-22T23:59:59Z");
        assertThat(Period.DAY.expiresAt(sundayNight)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(Period.WEEK.expiresAt(sundayNight)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        // A Monday is the first day of its week, not the end of the previous one.
        assertThat(Period.WEEK.expiresAt(Instant.parse("2026-11-23T00:00:00Z")))
            .isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
        assertThat(Period.ALL.expiresAt(sundayNight)).isNull();
    }
}

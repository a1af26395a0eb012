package org.quizengine.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodTest {

    @Test
    void namesBoardsByUtcIsoWeekAndDay() {
        Instant sundayNight = Instant.parse("2026-11-22T23:59:59.999Z");
        assertThat(Period.ALL.boardId(sundayNight)).isEqualTo("all");
        assertThat(Period.WEEK.boardId(sundayNight)).isEqualTo("week:2026-W47");
        assertThat(Period.DAY.boardId(sundayNight)).isEqualTo("day:2026-11-22");

        Instant mondayMidnight = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(Period.WEEK.boardId(mondayMidnight)).isEqualTo("week:2026-W48");
        assertThat(Period.DAY.boardId(mondayMidnight)).isEqualTo("day:2026-11-23");
    }

    @Test
    void usesUtcNotTheLocalTimeOfThePlayer() {
        // 23:30 in New York on the 22nd is already the 23rd, and a new ISO week, in UTC.
        Instant evening = java.time.OffsetDateTime.parse("2026-11-22T23:30:00-05:00").toInstant();
        assertThat(Period.DAY.boardId(evening)).isEqualTo("day:2026-11-23");
        assertThat(Period.WEEK.boardId(evening)).isEqualTo("week:2026-W48");
    }

    @Test
    void weeksBelongToTheirIsoWeekBasedYear() {
        assertThat(Period.WEEK.boardId(Instant.parse("2024-12-30T10:00:00Z"))).isEqualTo("week:2025-W01");
        assertThat(Period.WEEK.boardId(Instant.parse("2027-01-01T10:00:00Z"))).isEqualTo("week:2026-W53");
        assertThat(Period.WEEK.boardId(Instant.parse("2026-01-05T00:00:00Z"))).isEqualTo("week:2026-W02");
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

    @Test
    void periodsRunFromMidnightUtcAndWeeksFromMonday() {
        Instant wednesday = Instant.parse("2026-11-25T13:00:00Z");
        assertThat(Period.WEEK.start(wednesday)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(Period.WEEK.end(wednesday)).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(Period.DAY.start(wednesday)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(Period.DAY.end(wednesday)).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(Period.ALL.start(wednesday)).isNull();
    }

    @Test
    void previousBoardsJustAfterTheBoundaryAreTheOnesThatJustEnded() {
        Instant justAfterMondayMidnight = Instant.parse("2026-11-23T00:00:00.001Z");
        assertThat(Board.WEEK.boardId(justAfterMondayMidnight)).isEqualTo("week:2026-W48");
        assertThat(Board.PREVIOUS_WEEK.boardId(justAfterMondayMidnight)).isEqualTo("week:2026-W47");
        assertThat(Board.DAY.boardId(justAfterMondayMidnight)).isEqualTo("day:2026-11-23");
        assertThat(Board.PREVIOUS_DAY.boardId(justAfterMondayMidnight)).isEqualTo("day:2026-11-22");
        // The previous boards are kept until they stop being previous, plus a day.
        assertThat(Period.WEEK.expiresAt(Board.PREVIOUS_WEEK.within(justAfterMondayMidnight)))
            .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(Period.DAY.expiresAt(Board.PREVIOUS_DAY.within(justAfterMondayMidnight)))
            .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(Board.fromPath("previous-week")).contains(Board.PREVIOUS_WEEK);
        assertThat(Board.fromPath("PREVIOUS_WEEK")).isEmpty();
    }

    @Test
    void membersOrderEarlierTotalsFirstAndRoundTrip() {
        java.util.UUID user = java.util.UUID.randomUUID();
        Instant earlier = Instant.parse("2026-11-23T10:00:00.123Z");
        String early = TieBreak.member(user, earlier);
        String late = TieBreak.member(user, earlier.plusMillis(1));
        // ZREVRANGE puts the larger member first among equal scores.
        assertThat(early).isGreaterThan(late);
        assertThat(TieBreak.userId(early)).isEqualTo(user);
        assertThat(TieBreak.reachedAt(early)).isEqualTo(earlier);
    }
}

package org.quizengine.engine.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchResult.AnswerRecord;
import org.quizengine.shared.match.MatchResult.PlayerResult;
import org.quizengine.shared.match.MatchResult.QuestionResult;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSnapshot;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.AnswerResult;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.Standing;

/**
 * The rules of one live match: a state machine driven by calls that each take {@code now} (epoch
 * millis on the owner's clock) and return a {@link Step}. No I/O, no timers, no threads: the owner
 * calls {@link #onTimer} at {@link #nextWakeAt()} and delivers what the steps return.
 *
 * <p>The state is a mutable aggregate rather than a fresh value per step so that the answer path,
 * the hottest one, allocates little; it is only ever touched by its owner's single thread.
 *
 * <p>Points earned on the open question are held back until it closes, so neither the standings
 * nor a resumed player's view can give the correct option away early.
 */
public final class Match {
    private final MatchSpec spec;
    private final MatchSettings settings;
    private final Map<UUID, Seat> seats = new LinkedHashMap<>();
    private final List<QuestionResult> closedQuestions = new ArrayList<>();
    private final List<PlayerInfo> players;

    private Phase phase = Phase.COUNTDOWN;
    private long startsAt;
    private int questionIndex = -1;
    private long openedAt;
    private long deadline;
    private long nextQuestionAt;
    private ServerEvent.Question openQuestion;
    private ServerEvent.Reveal lastReveal;
    private MatchResult result;
    private boolean resultUnreported;
    private long version;

    private Match(MatchSpec spec) {
        this.spec = spec;
        this.settings = spec.settings();
        this.players = spec.players();
        for (PlayerInfo player : spec.players()) {
            Seat seat = new Seat(player);
            seat.nodeId = spec.playerNodes().get(player.userId());
            seat.connected = seat.nodeId != null;
            seats.put(player.userId(), seat);
        }
    }

    /** A match formed from {@code spec}, not yet started. */
    public static Match create(MatchSpec spec) {
        return new Match(spec);
    }

    public UUID matchId() {
        return spec.matchId();
    }

    /** Everything this match is now, for another node to {@link #restore} and carry on from. */
    public MatchSnapshot snapshot() {
        List<MatchSnapshot.SeatState> states = new ArrayList<>(seats.size());
        for (Seat seat : seats.values()) {
            states.add(new MatchSnapshot.SeatState(seat.player.userId(), seat.nodeId, seat.connectionId, seat.connected,
                seat.left, seat.graceUntil, seat.score, seat.correctAnswers, seat.answeredQuestions, seat.streak,
                seat.bestStreak, seat.option, seat.answeredAt, seat.elapsedMs, seat.pendingCorrect, seat.pendingPoints,
                seat.pendingStreak));
        }
        return new MatchSnapshot(version, spec, phase.name(), startsAt, questionIndex, openedAt, deadline, nextQuestionAt,
            states, closedQuestions, openQuestion, lastReveal, result);
    }

    /** The match exactly as {@code snapshot} left it. */
    public static Match restore(MatchSnapshot snapshot) {
        Match match = new Match(snapshot.spec());
        match.version = snapshot.version();
        match.phase = Phase.valueOf(snapshot.phase());
        match.startsAt = snapshot.startsAt();
        match.questionIndex = snapshot.questionIndex();
        match.openedAt = snapshot.openedAt();
        match.deadline = snapshot.deadline();
        match.nextQuestionAt = snapshot.nextQuestionAt();
        match.openQuestion = snapshot.openQuestion();
        match.lastReveal = snapshot.lastReveal();
        match.result = snapshot.result();
        match.closedQuestions.addAll(snapshot.closedQuestions());
        for (MatchSnapshot.SeatState state : snapshot.seats()) {
            Seat seat = match.seats.get(state.userId());
            seat.nodeId = state.nodeId();
            seat.connectionId = state.connectionId();
            seat.connected = state.connected();
            seat.left = state.left();
            seat.graceUntil = state.graceUntil();
            seat.score = state.score();
            seat.correctAnswers = state.correctAnswers();
            seat.answeredQuestions = state.answeredQuestions();
            seat.streak = state.streak();
            seat.bestStreak = state.bestStreak();
            seat.option = state.option();
            seat.answeredAt = state.answeredAt();
            seat.elapsedMs = state.elapsedMs();
            seat.pendingCorrect = state.pendingCorrect();
            seat.pendingPoints = state.pendingPoints();
            seat.pendingStreak = state.pendingStreak();
        }
        return match;
    }

    /** Increases with every step that changed the match; a snapshot carries it. */
    public long version() {
        return version;
    }

    /**
     * Nodes have left the cluster (or this match was taken over from one): players whose sockets
     * were on a node that is gone are away, with the usual reconnect grace from now. Unlike a
     * socket's close, this closes no question early: a drained node's players are only moving, and
     * the question waits for its deadline or for them back.
     */
    public Step markLostNodesAway(Predicate<String> nodeAlive, long now) {
        List<Outgoing> events = new ArrayList<>();
        List<UUID> away = new ArrayList<>();
        for (Seat seat : seats.values()) {
            if (seat.connected && !seat.left && (seat.nodeId == null || !nodeAlive.test(seat.nodeId))) {
                seat.connected = false;
                seat.nodeId = null;
                seat.graceUntil = now + settings.reconnectGraceMillis();
                away.add(seat.player.userId());
            }
        }
        for (UUID userId : away) {
            events.add(toConnected(new ServerEvent.PlayerStatus(spec.matchId(), userId, "disconnected")));
        }
        return stepOf(events, null);
    }

    /** The nodes that connected players' sockets are on and that {@code nodeAlive} says are gone. */
    public Set<String> lostNodes(Predicate<String> nodeAlive) {
        Set<String> lost = new HashSet<>();
        for (Seat seat : seats.values()) {
            if (seat.connected && !seat.left && seat.nodeId != null && !nodeAlive.test(seat.nodeId)) {
                lost.add(seat.nodeId);
            }
        }
        return lost;
    }

    /** Everyone who plays in this match, whether still here or not. */
    public List<UUID> playerIds() {
        return List.copyOf(seats.keySet());
    }

    /** Whether {@code userId} plays in this match, whether still here or not. */
    public boolean plays(UUID userId) {
        return seats.containsKey(userId);
    }

    /** How many play in this match, whether still here or not. */
    public int seatCount() {
        return seats.size();
    }

    /** Whether {@code userId} still has a seat here: the match is not over and they have not left it. */
    public boolean holds(UUID userId) {
        Seat seat = seats.get(userId);
        return phase != Phase.FINISHED && seat != null && !seat.left;
    }

    /**
     * A fresh {@code match_state} for each connected player, to send when the match carries on on
     * another node: frames sent around the move may have been lost, and a player who had already
     * answered would otherwise hear nothing until the next reveal. Changes nothing.
     */
    public List<Outgoing> statesForConnected(long now) {
        List<Outgoing> states = new ArrayList<>();
        for (Seat seat : seats.values()) {
            if (seat.connected && !seat.left) {
                states.add(new Outgoing(List.of(seat.player.userId()), snapshotFor(seat, now)));
            }
        }
        countAnswersForHost(states);
        return states;
    }

    public Phase phase() {
        return phase;
    }

    public int questionIndex() {
        return questionIndex;
    }

    /** The node a player's socket is on, or {@code null} while they are away. */
    public String nodeOf(UUID userId) {
        Seat seat = seats.get(userId);
        return seat == null ? null : seat.nodeId;
    }

    /** The result, once {@link #phase()} is {@link Phase#FINISHED}. */
    public MatchResult result() {
        return result;
    }

    /** When {@link #onTimer} must next be called, or {@link Long#MAX_VALUE} when nothing is pending. */
    public long nextWakeAt() {
        long wake = switch (phase) {
            case COUNTDOWN -> startsAt;
            // An answer at the deadline's millisecond still counts, so the question closes just after it.
            case QUESTION -> deadline + 1;
            case REVEAL -> nextQuestionAt;
            case FINISHED -> Long.MAX_VALUE;
        };
        if (phase == Phase.FINISHED) {
            return wake;
        }
        for (Seat seat : seats.values()) {
            if (!seat.connected && !seat.left) {
                wake = Math.min(wake, seat.graceUntil);
            }
        }
        return wake;
    }

    /** Announces the match; with no countdown the first question opens at once. */
    public Step start(long now) {
        startsAt = now + settings.countdownMillis();
        for (Seat seat : seats.values()) {
            if (!seat.connected) {
                // A socket that was away when the match formed gets the same grace as one that drops later.
                seat.graceUntil = now + settings.reconnectGraceMillis();
            }
        }
        List<Outgoing> events = new ArrayList<>();
        events.add(toConnected(new ServerEvent.MatchStarting(spec.matchId(), spec.kind().wireName(), spec.category(),
            players, settings.questionCount(), settings.questionMillis(), startsAt, now)));
        if (settings.countdownMillis() == 0) {
            openNextQuestion(now, events);
        }
        return stepOf(events, null);
    }

    /** Moves the match on by the clock: opens, closes and reveals questions, and expires reconnect grace. */
    public Step onTimer(long now) {
        if (phase == Phase.FINISHED) {
            return Step.rejected(ErrorCode.MATCH_FINISHED, "The match is over.");
        }
        List<Outgoing> events = new ArrayList<>();
        expireGrace(now, events);
        if (everyoneLeft()) {
            finish(now, events, null);
        } else if (phase == Phase.COUNTDOWN && now >= startsAt) {
            openNextQuestion(now, events);
        } else if (phase == Phase.QUESTION && now > deadline) {
            closeQuestion(now, events);
        } else if (phase == Phase.REVEAL && now >= nextQuestionAt) {
            openNextQuestion(now, events);
        }
        return stepOf(events, null);
    }

    /**
     * A player answers question {@code index} with option {@code option}. Judged by {@code now}: an
     * answer at the deadline's very millisecond counts, one a millisecond later does not.
     */
    public Step answer(UUID userId, int index, int option, long now) {
        Seat seat = seats.get(userId);
        if (seat == null || seat.left) {
            return Step.rejected(ErrorCode.NOT_IN_MATCH, "You are not playing in this match.");
        }
        if (phase == Phase.FINISHED) {
            return Step.rejected(ErrorCode.MATCH_FINISHED, "The match is over.");
        }
        // During the countdown no question is current, not even "question -1".
        if (phase == Phase.COUNTDOWN || index != questionIndex) {
            return Step.rejected(ErrorCode.WRONG_QUESTION,
                "Question " + index + " is not the current question" + (questionIndex >= 0 ? " (" + questionIndex + ")." : "."));
        }
        if (phase != Phase.QUESTION || now > deadline) {
            return Step.rejected(ErrorCode.QUESTION_CLOSED, "Question " + index + " has closed.");
        }
        QuestionSpec question = currentQuestion();
        if (option < 0 || option >= question.options().size()) {
            return Step.rejected(ErrorCode.INVALID_OPTION,
                "Option must be between 0 and " + (question.options().size() - 1) + ".");
        }
        if (seat.option != null) {
            return Step.rejected(ErrorCode.ALREADY_ANSWERED, "You already answered question " + index + ".");
        }
        // Never negative, even on a node whose clock is behind the one that opened the question.
        long elapsed = Math.max(0, now - openedAt);
        boolean correct = option == question.correctOption();
        seat.option = option;
        seat.answeredAt = now;
        seat.elapsedMs = elapsed;
        seat.pendingStreak = correct ? seat.streak + 1 : 0;
        seat.pendingPoints = correct ? Scoring.correctAnswerPoints(elapsed, settings.questionMillis(), seat.pendingStreak) : 0;
        seat.pendingCorrect = correct;

        List<Outgoing> events = new ArrayList<>();
        countAnswersForHost(events);
        if (everyConnectedPlayerAnswered()) {
            closeQuestion(now, events);
        }
        return stepOf(events, new ServerEvent.AnswerAccepted(spec.matchId(), index, option, elapsed));
    }

    /**
     * The same answer sent again after the match changed owner: the lost owner may have recorded it
     * (and replicated it) without its reply reaching the player. If this very answer is on record,
     * it is acknowledged again as first judged; otherwise it is judged now like any answer. A
     * different option for an answered question is still {@code ALREADY_ANSWERED}.
     */
    public Step answerAgain(UUID userId, int index, int option, long now) {
        Seat seat = seats.get(userId);
        Long elapsed = seat == null || seat.left ? null : recordedElapsed(seat, index, option);
        if (elapsed == null) {
            return answer(userId, index, option, now);
        }
        return Step.answered(new ServerEvent.AnswerAccepted(spec.matchId(), index, option, elapsed));
    }

    /** How long the seat took to give this answer to question {@code index}, if it is on record; else null. */
    private Long recordedElapsed(Seat seat, int index, int option) {
        if (index == questionIndex && seat.option != null && seat.option == option) {
            return seat.elapsedMs; // the open question, or the one just closed (kept until the next opens)
        }
        for (QuestionResult closed : closedQuestions) {
            if (closed.index() != index) {
                continue;
            }
            for (AnswerRecord answer : closed.answers()) {
                if (answer.userId().equals(seat.player.userId()) && answer.option() == option) {
                    return answer.elapsedMs();
                }
            }
        }
        return null;
    }

    /**
     * A player's socket is on {@code nodeId} (first connect or a reconnect within the grace). The
     * reply is everything the player needs to carry on.
     */
    public Step attach(UUID userId, String nodeId, String connectionId, long now) {
        Seat seat = seats.get(userId);
        if (seat == null) {
            return Step.rejected(ErrorCode.NOT_IN_MATCH, "You are not playing in this match.");
        }
        if (seat.left) {
            return Step.rejected(ErrorCode.NOT_IN_MATCH, "You left this match.");
        }
        if (phase == Phase.FINISHED) {
            // Back just after the end (its socket was away when match_finished went out): the final ranking.
            return Step.answered(new ServerEvent.MatchFinished(spec.matchId(), standings(), result.finishedAt(),
                result.endReason()));
        }
        boolean wasAway = !seat.connected;
        seat.nodeId = nodeId;
        seat.connectionId = connectionId;
        seat.connected = true;
        List<Outgoing> events = new ArrayList<>();
        if (wasAway) {
            events.add(toConnectedExcept(userId, new ServerEvent.PlayerStatus(spec.matchId(), userId, "connected")));
        }
        if (userId.equals(spec.hostId())) {
            countAnswersForHost(events); // match_state does not carry the count
        }
        return stepOf(events, snapshotFor(seat, now));
    }

    /** A player's socket closed. Ignored when a newer connection has already attached. */
    public Step detach(UUID userId, String connectionId, long now) {
        Seat seat = seats.get(userId);
        if (seat == null || seat.left || !seat.connected || phase == Phase.FINISHED
            || (seat.connectionId != null && !seat.connectionId.equals(connectionId))) {
            return Step.answered(null); // nothing changes: nothing to replicate, even after the record is gone
        }
        seat.connected = false;
        seat.nodeId = null;
        seat.graceUntil = now + settings.reconnectGraceMillis();
        List<Outgoing> events = new ArrayList<>();
        events.add(toConnected(new ServerEvent.PlayerStatus(spec.matchId(), userId, "disconnected")));
        if (settings.reconnectGraceMillis() == 0) {
            markLeft(seat, events);
        }
        afterSomeoneWentAway(now, events);
        return stepOf(events, null);
    }

    /** A player leaves for good; their points so far stay in the standings. */
    public Step leave(UUID userId, long now) {
        Seat seat = seats.get(userId);
        if (seat == null || seat.left) {
            return Step.rejected(ErrorCode.NOT_IN_MATCH, "You are not playing in this match.");
        }
        if (phase == Phase.FINISHED) {
            return Step.rejected(ErrorCode.MATCH_FINISHED, "The match is over.");
        }
        seat.connected = false;
        seat.nodeId = null;
        List<Outgoing> events = new ArrayList<>();
        markLeft(seat, events);
        afterSomeoneWentAway(now, events);
        return stepOf(events, null);
    }

    /** What an operator sees of the match now, run on {@code node}; before the first question opens, question 0. */
    public MatchView view(String node) {
        return new MatchView(spec.matchId(), node, spec.kind().wireName(), spec.category(), phase.wireName(), Math.max(0, questionIndex),
            settings.questionCount(), startsAt, phase == Phase.QUESTION ? deadline : null, standings());
    }

    /**
     * An operator ends the match now, before its last question: an open question is not revealed (its
     * answers earn nothing), the points so far are final, and every connected player is told why.
     */
    public Step end(String reason, long now) {
        if (phase == Phase.FINISHED) {
            return Step.rejected(ErrorCode.MATCH_FINISHED, "The match is over.");
        }
        List<Outgoing> events = new ArrayList<>();
        finish(now, events, reason);
        return stepOf(events, null);
    }

    /** The standings as they are now; ties share a rank. Points of the open question are not in them. */
    public List<Standing> standings() {
        List<Seat> ordered = new ArrayList<>(seats.values());
        ordered.sort(Comparator.comparingInt((Seat s) -> -s.score));
        List<Standing> standings = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            Seat seat = ordered.get(i);
            int rank = i == 0 || ordered.get(i - 1).score != seat.score ? i + 1 : standings.get(i - 1).rank();
            standings.add(new Standing(rank, seat.player.userId(), seat.player.username(), seat.score,
                seat.correctAnswers, seat.streak, seat.status()));
        }
        return standings;
    }

    private void afterSomeoneWentAway(long now, List<Outgoing> events) {
        if (everyoneLeft()) {
            finish(now, events, null);
        } else if (phase == Phase.QUESTION && everyConnectedPlayerAnswered()) {
            closeQuestion(now, events);
        }
    }

    private void expireGrace(long now, List<Outgoing> events) {
        for (Seat seat : seats.values()) {
            if (!seat.connected && !seat.left && now >= seat.graceUntil) {
                markLeft(seat, events);
            }
        }
    }

    private void markLeft(Seat seat, List<Outgoing> events) {
        seat.left = true;
        events.add(toConnected(new ServerEvent.PlayerStatus(spec.matchId(), seat.player.userId(), "left")));
        countAnswersForHost(events); // one fewer can answer
    }

    /**
     * A lobby's host screen shows how many have answered the open question, never who or what: the
     * count goes to the host alone, and a match without a host (every quick match) pays one check.
     * Players who left count neither as answered nor as able to answer, so {@code answered <= of}.
     */
    private void countAnswersForHost(List<Outgoing> events) {
        UUID hostId = spec.hostId();
        if (hostId == null || phase != Phase.QUESTION) {
            return;
        }
        Seat host = seats.get(hostId);
        if (!host.connected || host.left) {
            return;
        }
        int answered = 0;
        int of = 0;
        for (Seat seat : seats.values()) {
            if (!seat.left) {
                of++;
                if (seat.option != null) {
                    answered++;
                }
            }
        }
        events.add(new Outgoing(List.of(hostId), new ServerEvent.AnswerCount(spec.matchId(), questionIndex, answered, of)));
    }

    private void openNextQuestion(long now, List<Outgoing> events) {
        questionIndex++;
        openedAt = now;
        deadline = now + settings.questionMillis();
        phase = Phase.QUESTION;
        // Only a player coming back during the reveal is sent it again: let it go with the question
        // it was about, rather than hold it (~1 KB a match) through the next one.
        lastReveal = null;
        for (Seat seat : seats.values()) {
            seat.clearAnswer();
        }
        QuestionSpec question = currentQuestion();
        openQuestion = new ServerEvent.Question(spec.matchId(), questionIndex, settings.questionCount(),
            question.category(), question.difficulty(), question.text(), question.options(), openedAt, deadline, now);
        events.add(toConnected(openQuestion));
        countAnswersForHost(events);
    }

    private void closeQuestion(long now, List<Outgoing> events) {
        QuestionSpec question = currentQuestion();
        List<AnswerResult> results = new ArrayList<>(seats.size());
        List<AnswerRecord> answers = new ArrayList<>(seats.size());
        for (Seat seat : seats.values()) {
            if (seat.option != null) {
                seat.score += seat.pendingPoints;
                seat.streak = seat.pendingStreak;
                seat.answeredQuestions++;
                if (seat.pendingCorrect) {
                    seat.correctAnswers++;
                }
                answers.add(new AnswerRecord(seat.player.userId(), seat.option, seat.pendingCorrect, seat.pendingPoints,
                    seat.elapsedMs, seat.answeredAt, seat.streak));
            } else {
                seat.streak = 0;
            }
            seat.bestStreak = Math.max(seat.bestStreak, seat.streak);
            results.add(new AnswerResult(seat.player.userId(), seat.option, seat.option != null && seat.pendingCorrect,
                seat.option != null ? seat.pendingPoints : 0, seat.streak, seat.option != null ? seat.elapsedMs : null));
        }
        closedQuestions.add(new QuestionResult(questionIndex, question, openedAt, now, answers));
        boolean last = questionIndex + 1 >= settings.questionCount();
        nextQuestionAt = now + settings.revealMillis();
        openQuestion = null;
        lastReveal = new ServerEvent.Reveal(spec.matchId(), questionIndex, question.correctOption(), results, standings(),
            now, last ? null : nextQuestionAt);
        events.add(toConnected(lastReveal));
        phase = Phase.REVEAL;
        if (last) {
            finish(now, events, null);
        } else if (settings.revealMillis() == 0) {
            openNextQuestion(now, events);
        }
    }

    private void finish(long now, List<Outgoing> events, String endReason) {
        phase = Phase.FINISHED;
        openQuestion = null;
        lastReveal = null;
        List<Standing> ranking = standings();
        List<PlayerResult> playerResults = new ArrayList<>(ranking.size());
        for (Standing standing : ranking) {
            Seat seat = seats.get(standing.userId());
            playerResults.add(new PlayerResult(standing.userId(), standing.username(), standing.rank(), seat.score,
                seat.correctAnswers, seat.answeredQuestions, seat.bestStreak, seat.left));
        }
        result = new MatchResult(spec.matchId(), spec.kind(), spec.category(), startsAt, now, playerResults,
            closedQuestions, endReason);
        resultUnreported = true;
        events.add(toConnected(new ServerEvent.MatchFinished(spec.matchId(), ranking, now, endReason)));
    }

    private ServerEvent.MatchState snapshotFor(Seat seat, long now) {
        ServerEvent.Question question = null;
        long remaining = switch (phase) {
            case COUNTDOWN -> startsAt - now;
            case QUESTION -> deadline - now;
            case REVEAL -> nextQuestionAt - now;
            case FINISHED -> 0;
        };
        if (phase == Phase.QUESTION) {
            ServerEvent.Question open = openQuestion;
            question = new ServerEvent.Question(open.matchId(), open.index(), open.total(), open.category(),
                open.difficulty(), open.text(), open.options(), open.openedAt(), open.deadline(), now);
        }
        return new ServerEvent.MatchState(spec.matchId(), phase.wireName(), settings.questionCount(), players,
            standings(), question, phase == Phase.QUESTION ? seat.option : null, Math.max(0, remaining),
            phase == Phase.REVEAL ? lastReveal : null, now);
    }

    private boolean everyConnectedPlayerAnswered() {
        boolean anyConnected = false;
        for (Seat seat : seats.values()) {
            if (seat.connected && !seat.left) {
                anyConnected = true;
                if (seat.option == null) {
                    return false;
                }
            }
        }
        return anyConnected;
    }

    private boolean everyoneLeft() {
        for (Seat seat : seats.values()) {
            if (!seat.left) {
                return false;
            }
        }
        return true;
    }

    private QuestionSpec currentQuestion() {
        return spec.questions().get(questionIndex);
    }

    private Outgoing toConnected(ServerEvent event) {
        return toConnectedExcept(null, event);
    }

    private Outgoing toConnectedExcept(UUID excluded, ServerEvent event) {
        List<UUID> recipients = new ArrayList<>(seats.size());
        for (Seat seat : seats.values()) {
            if (seat.connected && !seat.left && !seat.player.userId().equals(excluded)) {
                recipients.add(seat.player.userId());
            }
        }
        return new Outgoing(recipients, event);
    }

    private Step stepOf(List<Outgoing> events, ServerEvent reply) {
        version++;
        MatchResult finished = resultUnreported ? result : null;
        resultUnreported = false;
        return new Step(events, reply, null, null, finished, true);
    }

    /** One player's place in the match. */
    private static final class Seat {
        final PlayerInfo player;
        String nodeId;
        String connectionId;
        boolean connected;
        boolean left;
        long graceUntil;
        int score;
        int correctAnswers;
        int answeredQuestions;
        int streak;
        int bestStreak;
        // The answer to the open question, scored but not yet counted.
        Integer option;
        long answeredAt;
        long elapsedMs;
        boolean pendingCorrect;
        int pendingPoints;
        int pendingStreak;

        Seat(PlayerInfo player) {
            this.player = player;
        }

        void clearAnswer() {
            option = null;
            pendingCorrect = false;
            pendingPoints = 0;
            pendingStreak = 0;
        }

        String status() {
            return left ? "left" : connected ? "connected" : "disconnected";
        }
    }
}

package org.quizengine.engine.matchmaking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quizengine.engine.support.BusReplies.outcome;
import static org.quizengine.engine.support.BusReplies.refusal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quizengine.engine.bus.Codecs;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.engine.config.MatchmakingOptions;
import org.quizengine.engine.match.ActivePlayers;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.engine.support.BusRecorder;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.matchmaking.MatchmakingCommand;
import org.quizengine.shared.matchmaking.MatchmakingCommand.CreateLobby;
import org.quizengine.shared.matchmaking.MatchmakingCommand.JoinLobby;
import org.quizengine.shared.matchmaking.MatchmakingCommand.JoinQueue;
import org.quizengine.shared.matchmaking.MatchmakingCommand.LeaveLobby;
import org.quizengine.shared.matchmaking.MatchmakingCommand.LeaveQueue;
import org.quizengine.shared.matchmaking.MatchmakingCommand.PlayerGone;
import org.quizengine.shared.matchmaking.MatchmakingCommand.StartLobby;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerEvent.Lobby;
import org.quizengine.shared.protocol.ServerEvent.LobbyClosed;
import org.quizengine.shared.protocol.ServerEvent.QueueLeft;
import org.quizengine.shared.protocol.ServerEvent.Queued;

/**
 * The matchmaker as the nodes around it see it: real event bus, real fill-timeout checks, this test
 * playing the nodes the players' sockets are on and the node that is asked to start each match.
 */
@ExtendWith(VertxExtension.class)
class MatchmakingVerticleTest {
    private static final PlayerInfo ANN = player("a", "ann");
    private static final PlayerInfo BOB = player("b", "bob");
    private static final PlayerInfo CAT = player("c", "cat");
    private static final PlayerInfo DAN = player("d", "dan");
    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";
    /** Long enough that, within a test's timeout, only a full queue can start a match. */
    private static final long NEVER = 60_000;
    private static final int SCIENCE_QUESTIONS = 16;
    private static final int HISTORY_QUESTIONS = 4;
    private static final List<QuestionSpec> QUESTIONS = Stream.concat(
        questions("science", 1, SCIENCE_QUESTIONS), questions("history", 101, HISTORY_QUESTIONS)).toList();
    /** Quick matches are 5 questions: more than history has. */
    private static final MatchSettings DEFAULTS = new MatchSettings(5, 10_000, 3_000, 2_000, 15_000);
    private static final String CODE_PATTERN = "[" + Lobbies.CODE_ALPHABET + "]{6}";

    private Vertx vertx;
    private BusRecorder<Delivery> nodeA;
    private BusRecorder<Delivery> nodeB;
    /** The specs node-a is asked to start, in order; it says yes to each. */
    private BusRecorder<MatchSpec> started;

    @BeforeEach
    void playTheNodes(Vertx vertx, VertxTestContext ctx) {
        this.vertx = vertx;
        Codecs.registerAll(vertx.eventBus());
        Future.all(
                BusRecorder.<Delivery>listen(vertx, Addresses.nodeDeliveries(NODE_A)).onSuccess(r -> nodeA = r),
                BusRecorder.<Delivery>listen(vertx, Addresses.nodeDeliveries(NODE_B)).onSuccess(r -> nodeB = r),
                BusRecorder.<MatchSpec>listen(vertx, Addresses.nodeMatches(NODE_A),
                    message -> message.reply(message.body().matchId().toString())).onSuccess(r -> started = r))
            .onComplete(ctx.succeedingThenComplete());
    }

    // Quick-match queues

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aFullQueueStartsAMatchAtOnceWithItsPlayersTheirNodesAndQuestionsOfItsCategory(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "Science", 3)))
            .compose(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 3, 1));
                return ask(new JoinQueue(BOB, NODE_B, "science", 3));
            })
            .compose(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 3, 2));
                // No size means the default size, 3: cat joins the same queue and fills it.
                return ask(new JoinQueue(CAT, NODE_A, "science", null));
            })
            .compose(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 3, 3));
                return started.first(any());
            })
            .map(spec -> {
                assertThat(spec.kind()).isEqualTo(MatchKind.QUICK);
                assertThat(spec.hostId()).as("a quick match has no host").isNull();
                assertThat(spec.category()).isEqualTo("science");
                assertThat(spec.players()).containsExactly(ANN, BOB, CAT);
                assertThat(spec.playerNodes()).isEqualTo(Map.of(
                    ANN.userId(), NODE_A, BOB.userId(), NODE_B, CAT.userId(), NODE_A));
                assertThat(spec.settings()).isEqualTo(DEFAULTS);
                assertDistinctQuestionsOf(spec, "science", DEFAULTS.questionCount());
                return null;
            })
            // The queue was emptied into the match: ann may queue again and waits alone.
            .compose(v -> ask(new JoinQueue(ANN, NODE_A, "science", 3)))
            .map(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 3, 1));
                assertThat(started.received()).hasSize(1);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void categoriesAreTrimmedAndAnyInAnyCaseMeansTheMixedQueue(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, " ANY ", 3)))
            .compose(reply -> {
                assertThat(reply).isEqualTo(new Queued(null, 3, 1));
                return ask(new JoinQueue(BOB, NODE_A, " any", 3));
            })
            .compose(reply -> {
                assertThat(reply).as("the same queue as ann's").isEqualTo(new Queued(null, 3, 2));
                return ask(new JoinQueue(CAT, NODE_A, "\tScience  ", 3));
            })
            .map(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 3, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aQueueShortOfFullStartsWithWhoIsThereOnceTheFillTimeoutHasPassedAndNotBefore(VertxTestContext ctx) {
        long fillTimeout = 400;
        AtomicLong firstJoined = new AtomicLong();

        deploy(fillTimeout, NODE_A)
            .compose(id -> {
                firstJoined.set(System.currentTimeMillis());
                return ask(new JoinQueue(ANN, NODE_A, "science", 4));
            })
            .compose(reply -> ask(new JoinQueue(BOB, NODE_B, "science", 4)))
            .compose(reply -> started.first(any()))
            .map(spec -> {
                assertThat(System.currentTimeMillis() - firstJoined.get()).as("started only after the fill timeout")
                    .isGreaterThanOrEqualTo(fillTimeout);
                assertThat(spec.players()).containsExactly(ANN, BOB);
                assertThat(spec.playerNodes()).isEqualTo(Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_B));
                assertThat(spec.category()).isEqualTo("science");
                assertDistinctQuestionsOf(spec, "science", DEFAULTS.questionCount());
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aLonePlayerNeverStartsAMatchAndKeepsWaiting(VertxTestContext ctx) {
        long fillTimeout = 200;

        deploy(fillTimeout, NODE_A)
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "science", 3)))
            // Nothing is supposed to happen, so there is no event to await: give it several fill checks past the timeout.
            .compose(reply -> vertx.timer(fillTimeout + 800))
            .compose(v -> {
                assertThat(started.received()).as("matches started").isEmpty();
                assertThat(nodeA.received()).as("deliveries to ann's node").isEmpty();
                return ask(new LeaveQueue(ANN.userId()));
            })
            .map(reply -> {
                assertThat(reply).as("still waiting in the queue").isInstanceOf(QueueLeft.class);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aPlayerWhoseSocketClosedIsTakenOutOfTheQueue(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "science", 3)))
            .compose(reply -> ask(new JoinQueue(BOB, NODE_B, "science", 3)))
            .compose(reply -> ask(new PlayerGone(ANN.userId())))
            .compose(reply -> ask(new JoinQueue(CAT, NODE_A, "science", 3)))
            .compose(reply -> {
                assertThat(reply).as("ann no longer counts").isEqualTo(new Queued("science", 3, 2));
                return ask(new JoinQueue(DAN, NODE_B, "science", 3));
            })
            .compose(reply -> started.first(any()))
            .map(spec -> {
                assertThat(spec.players()).containsExactly(BOB, CAT, DAN);
                return null;
            })
            .compose(v -> ask(new JoinQueue(ANN, NODE_A, "science", 3)))
            .map(reply -> {
                assertThat(reply).as("ann is free to queue again").isEqualTo(new Queued("science", 3, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void whenTheChosenNodeCannotStartTheMatchItsPlayersAreToldSo(VertxTestContext ctx) {
        Checkpoint toldOnEachNode = ctx.checkpoint(2);
        Predicate<Delivery> error = d -> d.event() instanceof ServerEvent.Error;

        deploy(NEVER, "node-gone")
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "science", 2)))
            .compose(reply -> ask(new JoinQueue(BOB, NODE_B, "science", 2)))
            .onComplete(ctx.succeeding(reply -> {
                nodeA.first(error).onComplete(ctx.succeeding(d -> ctx.verify(() -> {
                    assertThat(d.recipients()).containsExactly(ANN.userId());
                    assertThat(d.event()).isEqualTo(new ServerEvent.Error(ErrorCode.SERVICE_UNAVAILABLE.name(),
                        "The match could not start; please try again.", "quick_match"));
                    toldOnEachNode.flag();
                })));
                nodeB.first(error).onComplete(ctx.succeeding(d -> ctx.verify(() -> {
                    assertThat(d.recipients()).containsExactly(BOB.userId());
                    toldOnEachNode.flag();
                })));
            }));
    }

    // Refusals

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void anUnknownCategoryIsRefusedAndNothingIsQueued(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> refusal(ask(new JoinQueue(ANN, NODE_A, "geography", 3))))
            .compose(code -> {
                assertThat(code).isEqualTo(ErrorCode.UNKNOWN_CATEGORY);
                return refusal(ask(new CreateLobby(ANN, NODE_A, "geography", null, null, null)));
            })
            .compose(code -> {
                assertThat(code).isEqualTo(ErrorCode.UNKNOWN_CATEGORY);
                return refusal(ask(new LeaveQueue(ANN.userId())));
            })
            .map(code -> {
                assertThat(code).as("ann was never queued").isEqualTo(ErrorCode.NOT_QUEUED);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMatchSizeOutsideTheAllowedRangeIsRefusedAndItsBoundsAreAccepted(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> Future.all(
                refusal(ask(new JoinQueue(ANN, NODE_A, "science", 1))),
                refusal(ask(new JoinQueue(ANN, NODE_A, "science", 5)))))
            .compose(codes -> {
                assertThat(codes.<ErrorCode>list()).containsOnly(ErrorCode.INVALID_MATCH_SIZE);
                return Future.all(
                    ask(new JoinQueue(ANN, NODE_A, "science", 2)),
                    ask(new JoinQueue(BOB, NODE_B, "science", 4)));
            })
            .map(replies -> {
                assertThat(replies.<ServerEvent>list()).containsExactly(
                    new Queued("science", 2, 1), new Queued("science", 4, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aPlayerAlreadyWaitingCannotQueueOrOpenALobbyAsWell(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "science", 3)))
            .compose(reply -> Future.all(
                refusal(ask(new JoinQueue(ANN, NODE_A, "history", 2))),
                refusal(ask(new JoinQueue(ANN, NODE_A, "science", 3))),
                refusal(ask(new CreateLobby(ANN, NODE_A, null, null, null, null)))))
            .compose(codes -> {
                assertThat(codes.<ErrorCode>list()).containsOnly(ErrorCode.ALREADY_QUEUED);
                return ask(new JoinQueue(BOB, NODE_B, "science", 3));
            })
            .map(reply -> {
                assertThat(reply).as("ann is in the queue once").isEqualTo(new Queued("science", 3, 2));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void twoQuickMatchRequestsSentTogetherPlaceThePlayerInOneMatchOnly(VertxTestContext ctx) {
        // The reproduced bug: the first request completes a group, which leaves the queue at once;
        // the second, 0-50 ms later, found the player nowhere and queued them for a second match.
        deploy(NEVER, NODE_A, claimsOfStartedMatches())
            .compose(id -> ask(new JoinQueue(BOB, NODE_B, "science", 2)))
            .compose(reply -> Future.all(
                outcome(ask(new JoinQueue(ANN, NODE_A, "science", 2))),
                outcome(ask(new JoinQueue(ANN, NODE_A, "science", 2)))))
            .compose(outcomes -> {
                assertThat(outcomes.<String>list()).containsExactly("Queued", ErrorCode.ALREADY_IN_MATCH.name());
                return started.first(any());
            })
            .compose(spec -> {
                assertThat(spec.players()).containsExactly(BOB, ANN);
                // Once more after the match started: the claim its node made says she plays.
                return refusal(ask(new JoinQueue(ANN, NODE_A, "science", 2)));
            })
            .map(code -> {
                assertThat(code).isEqualTo(ErrorCode.ALREADY_IN_MATCH);
                assertThat(started.received()).as("matches started").hasSize(1);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void playersOfAMatchWhoseNodeHasNotAnsweredYetAreHeldAsPlaced(VertxTestContext ctx) {
        List<Message<MatchSpec>> unanswered = new ArrayList<>();
        BusRecorder.<MatchSpec>listen(vertx, Addresses.nodeMatches("node-slow"), unanswered::add)
            .compose(r -> deploy(NEVER, "node-slow", LiveMatches.none()))
            .compose(id -> ask(new JoinQueue(ANN, NODE_A, "science", 2)))
            .compose(reply -> ask(new JoinQueue(BOB, NODE_B, "science", 2)))
            .compose(reply -> until(() -> !unanswered.isEmpty()))
            .compose(v -> Future.all(
                refusal(ask(new JoinQueue(ANN, NODE_A, "history", 2))),
                refusal(ask(new CreateLobby(BOB, NODE_B, null, null, null, null)))))
            .compose(codes -> {
                assertThat(codes.<ErrorCode>list()).containsOnly(ErrorCode.ALREADY_IN_MATCH);
                // The node could not start it: they are free again (and told so).
                unanswered.get(0).fail(ErrorCode.INTERNAL_ERROR.busCode(), "could not start");
                return nodeA.first(isA(ServerEvent.Error.class));
            })
            .compose(told -> ask(new JoinQueue(ANN, NODE_A, "science", 2)))
            .map(reply -> {
                assertThat(reply).isEqualTo(new Queued("science", 2, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aPlayerInALiveMatchOnAnyNodeCannotQueueOrOpenOrJoinALobby(VertxTestContext ctx) {
        UUID annsMatch = UUID.randomUUID();
        LiveMatches live = player -> Future.succeededFuture(player.equals(ANN.userId()) ? annsMatch : null);
        deploy(NEVER, NODE_A, live)
            .compose(id -> ask(new CreateLobby(BOB, NODE_B, null, null, null, null)))
            .compose(lobby -> Future.all(
                refusal(ask(new JoinQueue(ANN, NODE_A, "science", 3))),
                refusal(ask(new CreateLobby(ANN, NODE_A, null, null, null, null))),
                refusal(ask(new JoinLobby(ANN, NODE_A, ((Lobby) lobby).code())))))
            .compose(codes -> {
                assertThat(codes.<ErrorCode>list()).containsOnly(ErrorCode.ALREADY_IN_MATCH);
                return ask(new JoinQueue(CAT, NODE_A, "science", 3));
            })
            .map(reply -> {
                assertThat(reply).as("others are not held up").isEqualTo(new Queued("science", 3, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void whenWhereAPlayerPlaysCannotBeToldTheyAreAskedToTryAgainAndNotQueued(VertxTestContext ctx) {
        LiveMatches unreachable = player -> Future.failedFuture(new IllegalStateException("cluster map unreachable"));
        deploy(NEVER, NODE_A, unreachable)
            .compose(id -> refusal(ask(new JoinQueue(ANN, NODE_A, "science", 3))))
            .compose(code -> {
                assertThat(code).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                return refusal(ask(new LeaveQueue(ANN.userId())));
            })
            .map(code -> {
                assertThat(code).as("ann was not queued").isEqualTo(ErrorCode.NOT_QUEUED);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aClaimWhoseMatchNoLongerHoldsThePlayerIsClearedAndLocksNobodyOut(VertxTestContext ctx) {
        ActivePlayers claims = new ActivePlayers(vertx);
        UUID gone = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        ClaimedMatches matches = new ClaimedMatches(claims, (matchId, player) -> Future.succeededFuture(matchId.equals(live)));
        claims.claim(List.of(ANN.userId()), gone)
            .compose(v -> claims.claim(List.of(BOB.userId()), live))
            .compose(v -> Future.all(matches.matchOf(ANN.userId()), matches.matchOf(BOB.userId()),
                matches.matchOf(CAT.userId())))
            .compose(found -> {
                assertThat(found.<UUID>list()).containsExactly(null, live, null);
                return Future.all(claims.matchOf(ANN.userId()), claims.matchOf(BOB.userId()));
            })
            .map(claimed -> {
                assertThat(claimed.<UUID>list()).as("ann's stale claim cleared, bob's kept").containsExactly(null, live);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void cancellingWhenNotQueuedIsRefused(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> refusal(ask(new LeaveQueue(ANN.userId()))))
            .compose(code -> {
                assertThat(code).isEqualTo(ErrorCode.NOT_QUEUED);
                return ask(new JoinQueue(ANN, NODE_A, "science", 3));
            })
            .compose(reply -> ask(new LeaveQueue(ANN.userId())))
            .compose(reply -> {
                assertThat(reply).isInstanceOf(QueueLeft.class);
                return refusal(ask(new LeaveQueue(ANN.userId())));
            })
            .map(code -> {
                assertThat(code).as("cancelling twice").isEqualTo(ErrorCode.NOT_QUEUED);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMatchThatWouldNeedMoreQuestionsThanItsCategoryHasIsRefused(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> refusal(ask(new JoinQueue(ANN, NODE_A, "history", 3))))
            .compose(code -> {
                assertThat(code).as("a quick match of %s questions in history", DEFAULTS.questionCount())
                    .isEqualTo(ErrorCode.NOT_ENOUGH_QUESTIONS);
                return refusal(ask(new CreateLobby(ANN, NODE_A, "history", 2, HISTORY_QUESTIONS + 1, 10)));
            })
            .compose(code -> {
                assertThat(code).isEqualTo(ErrorCode.NOT_ENOUGH_QUESTIONS);
                return ask(new CreateLobby(ANN, NODE_A, "history", 2, HISTORY_QUESTIONS, 10));
            })
            .map(reply -> {
                assertThat(reply).as("every question the category has is enough").isInstanceOf(Lobby.class);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    // Lobbies

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aLobbyWithoutAQuestionCountGetsTheMatchDefaultKeptWithinTheLobbyMaximum(VertxTestContext ctx) {
        // Matches have 5 questions by default; this node's lobbies may have at most 3.
        deploy(new MatchmakingOptions(3, 2, 4, NEVER, 5, 30, 3), NODE_A, () -> Future.succeededFuture(QUESTIONS),
                LiveMatches.none())
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, null, null, null, null)))
            .map(reply -> {
                assertThat(((Lobby) reply).questionCount()).as("not INVALID_SETTINGS for a default").isEqualTo(3);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aLobbyIsJoinedByItsCodeAndOnlyItsHostStartsItsMatchWithTheLobbysSettings(VertxTestContext ctx) {
        AtomicReference<String> code = new AtomicReference<>();

        deploy(NEVER, NODE_A)
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, "Science", 3, 4, 7)))
            .compose(reply -> {
                Lobby lobby = (Lobby) reply;
                assertThat(lobby.code()).matches(CODE_PATTERN);
                assertThat(lobby).isEqualTo(new Lobby(lobby.code(), ANN.userId(), "science", 3, 4, 7, List.of(ANN)));
                code.set(lobby.code());
                return ask(new JoinLobby(BOB, NODE_B, lobby.code().toLowerCase()));
            })
            .compose(reply -> {
                assertThat(reply).isEqualTo(lobbyOf(code.get(), List.of(ANN, BOB)));
                return nodeA.first(isA(Lobby.class));
            })
            .compose(delivery -> {
                assertThat(delivery).as("the host is told who joined")
                    .isEqualTo(new Delivery(List.of(ANN.userId()), lobbyOf(code.get(), List.of(ANN, BOB))));
                return refusal(ask(new StartLobby(BOB.userId())));
            })
            .compose(refused -> {
                assertThat(refused).isEqualTo(ErrorCode.NOT_LOBBY_HOST);
                return ask(new StartLobby(ANN.userId()));
            })
            .compose(reply -> started.first(any()))
            .map(spec -> {
                assertThat(spec.kind()).isEqualTo(MatchKind.LOBBY);
                assertThat(spec.hostId()).as("the host, whose screen is told how many have answered").isEqualTo(ANN.userId());
                assertThat(spec.category()).isEqualTo("science");
                assertThat(spec.players()).containsExactly(ANN, BOB);
                assertThat(spec.playerNodes()).isEqualTo(Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_B));
                assertThat(spec.settings()).isEqualTo(new MatchSettings(4, 7_000, DEFAULTS.countdownMillis(),
                    DEFAULTS.revealMillis(), DEFAULTS.reconnectGraceMillis()));
                assertDistinctQuestionsOf(spec, "science", 4);
                assertThat(started.received()).as("bob's refused start started nothing").hasSize(1);
                assertThat(nodeB.received()).as("bob had his replies; nothing was delivered to him twice").isEmpty();
                return null;
            })
            .compose(v -> refusal(ask(new JoinLobby(CAT, NODE_A, code.get()))))
            .map(refused -> {
                assertThat(refused).as("a started lobby takes no one else").isEqualTo(ErrorCode.LOBBY_NOT_FOUND);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aHostAloneInTheLobbyCannotStartItAndTheLobbyStaysOpen(VertxTestContext ctx) {
        deploy(NEVER, NODE_A)
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, "science", 3, 4, 7)))
            .compose(lobby -> refusal(ask(new StartLobby(ANN.userId())))
                .compose(refused -> {
                    assertThat(refused).isEqualTo(ErrorCode.NOT_ENOUGH_PLAYERS);
                    assertThat(started.received()).isEmpty();
                    return ask(new JoinLobby(BOB, NODE_B, ((Lobby) lobby).code()));
                }))
            .map(reply -> {
                assertThat(((Lobby) reply).players()).containsExactly(ANN, BOB);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void whenTheHostLeavesTheLobbyClosesForEveryMemberOnEveryNode(VertxTestContext ctx) {
        AtomicReference<String> code = new AtomicReference<>();
        Predicate<Delivery> closed = isA(LobbyClosed.class);

        deploy(NEVER, NODE_A)
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, "science", 4, 4, 7)))
            .compose(reply -> {
                code.set(((Lobby) reply).code());
                return ask(new JoinLobby(BOB, NODE_B, code.get()));
            })
            .compose(reply -> ask(new JoinLobby(CAT, NODE_A, code.get())))
            .compose(reply -> ask(new LeaveLobby(ANN.userId())))
            .compose(reply -> {
                assertThat(reply).as("the host's own reply").isEqualTo(new LobbyClosed(code.get(), "left"));
                return Future.all(nodeA.first(closed), nodeB.first(closed));
            })
            .compose(both -> {
                LobbyClosed hostLeft = new LobbyClosed(code.get(), "host_left");
                assertThat(both.<Delivery>resultAt(0)).isEqualTo(new Delivery(List.of(CAT.userId()), hostLeft));
                assertThat(both.<Delivery>resultAt(1)).isEqualTo(new Delivery(List.of(BOB.userId()), hostLeft));
                return refusal(ask(new JoinLobby(DAN, NODE_A, code.get())));
            })
            .compose(refused -> {
                assertThat(refused).as("the code is gone").isEqualTo(ErrorCode.LOBBY_NOT_FOUND);
                return ask(new JoinQueue(BOB, NODE_B, "science", 3));
            })
            .map(reply -> {
                assertThat(reply).as("bob is free to play elsewhere").isEqualTo(new Queued("science", 3, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMemberWhoseSocketClosedLeavesTheLobbyAndTheOthersSeeIt(VertxTestContext ctx) {
        AtomicReference<String> code = new AtomicReference<>();

        deploy(NEVER, NODE_A)
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, "science", 3, 4, 7)))
            .compose(reply -> {
                code.set(((Lobby) reply).code());
                return ask(new JoinLobby(BOB, NODE_B, code.get()));
            })
            .compose(reply -> ask(new PlayerGone(BOB.userId())))
            .compose(reply -> nodeA.first(d -> d.event() instanceof Lobby lobby && lobby.players().size() == 1))
            .map(delivery -> {
                assertThat(delivery).isEqualTo(new Delivery(List.of(ANN.userId()), lobbyOf(code.get(), List.of(ANN))));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aFullLobbyRefusesTheNextPlayerAndTheRefusedPlayerIsNotInIt(VertxTestContext ctx) {
        AtomicReference<String> code = new AtomicReference<>();

        deploy(NEVER, NODE_A)
            .compose(id -> ask(new CreateLobby(ANN, NODE_A, "science", 2, 4, 7)))
            .compose(reply -> {
                code.set(((Lobby) reply).code());
                return ask(new JoinLobby(BOB, NODE_B, code.get()));
            })
            .compose(reply -> refusal(ask(new JoinLobby(CAT, NODE_A, code.get()))))
            .compose(refused -> {
                assertThat(refused).isEqualTo(ErrorCode.LOBBY_FULL);
                return ask(new JoinQueue(CAT, NODE_A, "science", 3));
            })
            .compose(reply -> {
                assertThat(reply).as("cat is free to play elsewhere").isInstanceOf(Queued.class);
                return ask(new StartLobby(ANN.userId()));
            })
            .compose(reply -> started.first(any()))
            .map(spec -> {
                assertThat(spec.players()).containsExactly(ANN, BOB);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    // Question bank changes

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aQuestionBankChangeNoticeReloadsTheBankBeforeItIsAnswered(VertxTestContext ctx) {
        AtomicReference<List<QuestionSpec>> bank = new AtomicReference<>(QUESTIONS);
        List<QuestionSpec> withGeography = Stream.concat(QUESTIONS.stream(), questions("geography", 201, 6)).toList();

        deploy(NEVER, NODE_A, () -> Future.succeededFuture(bank.get()))
            .compose(id -> refusal(ask(new JoinQueue(ANN, NODE_A, "geography", 3))))
            .compose(refused -> {
                assertThat(refused).isEqualTo(ErrorCode.UNKNOWN_CATEGORY);
                bank.set(withGeography); // a moderator added a category and its questions
                return vertx.eventBus().request(Addresses.QUESTION_BANK_CHANGED, "test");
            })
            .compose(reloaded -> {
                assertThat(reloaded.body()).isEqualTo("reloaded");
                return ask(new JoinQueue(ANN, NODE_A, "geography", 3));
            })
            .map(reply -> {
                assertThat(reply).isEqualTo(new Queued("geography", 3, 1));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    private Future<String> deploy(long fillTimeoutMillis, String placementNode) {
        return deploy(fillTimeoutMillis, placementNode, () -> Future.succeededFuture(QUESTIONS));
    }

    private Future<String> deploy(long fillTimeoutMillis, String placementNode, LiveMatches liveMatches) {
        return deploy(fillTimeoutMillis, placementNode, () -> Future.succeededFuture(QUESTIONS), liveMatches);
    }

    private Future<String> deploy(long fillTimeoutMillis, String placementNode,
                                  java.util.function.Supplier<Future<List<QuestionSpec>>> questionSource) {
        return deploy(fillTimeoutMillis, placementNode, questionSource, LiveMatches.none());
    }

    private Future<String> deploy(long fillTimeoutMillis, String placementNode,
                                  java.util.function.Supplier<Future<List<QuestionSpec>>> questionSource,
                                  LiveMatches liveMatches) {
        return deploy(new MatchmakingOptions(3, 2, 4, fillTimeoutMillis, 5, 30, 10), placementNode, questionSource, liveMatches);
    }

    private Future<String> deploy(MatchmakingOptions options, String placementNode,
                                  java.util.function.Supplier<Future<List<QuestionSpec>>> questionSource,
                                  LiveMatches liveMatches) {
        return vertx.deployVerticle(new MatchmakingVerticle(options, new MatchOptions(DEFAULTS, 500, 1_000),
            questionSource, () -> placementNode, liveMatches, GameMeters.unexported(), System::currentTimeMillis, new Random(7)));
    }

    /** As the nodes' claims would say: a player of a match node-a was asked to start plays in it. */
    private LiveMatches claimsOfStartedMatches() {
        return player -> Future.succeededFuture(started.received().stream()
            .filter(spec -> spec.players().stream().anyMatch(p -> p.userId().equals(player)))
            .map(MatchSpec::matchId).reduce((first, last) -> last).orElse(null));
    }

    /** Completes once {@code condition} holds, checking every 10 ms. */
    private Future<Void> until(BooleanSupplier condition) {
        Promise<Void> done = Promise.promise();
        vertx.setPeriodic(10, id -> {
            if (condition.getAsBoolean()) {
                vertx.cancelTimer(id);
                done.tryComplete();
            }
        });
        return done.future();
    }

    private Future<ServerEvent> ask(MatchmakingCommand command) {
        return vertx.eventBus().<ServerEvent>request(Addresses.MATCHMAKING, command).map(Message::body);
    }

    private static void assertDistinctQuestionsOf(MatchSpec spec, String category, int count) {
        assertThat(spec.questions()).hasSize(count).allSatisfy(q -> assertThat(q.category()).isEqualTo(category));
        assertThat(spec.questions()).extracting(QuestionSpec::questionId).doesNotHaveDuplicates();
    }

    private static Lobby lobbyOf(String code, List<PlayerInfo> players) {
        return new Lobby(code, ANN.userId(), "science", 3, 4, 7, players);
    }

    private static <T> Predicate<T> any() {
        return x -> true;
    }

    private static Predicate<Delivery> isA(Class<? extends ServerEvent> type) {
        return d -> type.isInstance(d.event());
    }

    private static Stream<QuestionSpec> questions(String category, long firstId, int count) {
        return IntStream.range(0, count).mapToObj(i -> new QuestionSpec(firstId + i, category, "easy",
            category + " question " + i, List.of("a", "b", "c", "d"), i % 4));
    }

    private static PlayerInfo player(String tag, String name) {
        return new PlayerInfo(UUID.fromString("00000000-0000-4000-8000-00000000000" + tag), name);
    }
}

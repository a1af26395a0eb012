package org.quizengine.engine.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.quizengine.engine.support.BusReplies.outcome;
import static org.quizengine.engine.support.BusReplies.refusal;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quizengine.engine.bus.Codecs;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.engine.support.BusRecorder;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.bus.Addresses;
import org.quizengine.shared.match.AdoptMatch;
import org.quizengine.shared.match.Delivery;
import org.quizengine.shared.match.MatchCommand;
import org.quizengine.shared.match.MatchCommand.Attach;
import org.quizengine.shared.match.MatchCommand.Detach;
import org.quizengine.shared.match.MatchCommand.SubmitAnswer;
import org.quizengine.shared.match.MatchKind;
import org.quizengine.shared.match.MatchResult;
import org.quizengine.shared.match.MatchSettings;
import org.quizengine.shared.match.MatchSnapshot;
import org.quizengine.shared.match.MatchSpec;
import org.quizengine.shared.match.QuestionSpec;
import org.quizengine.shared.protocol.AnswerResult;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.quizengine.shared.protocol.ServerEvent.AnswerAccepted;
import org.quizengine.shared.protocol.ServerEvent.MatchFinished;
import org.quizengine.shared.protocol.ServerEvent.MatchStarting;
import org.quizengine.shared.protocol.ServerEvent.MatchState;
import org.quizengine.shared.protocol.ServerEvent.Question;
import org.quizengine.shared.protocol.ServerEvent.Reveal;
import org.quizengine.shared.protocol.ServerFrame;

/**
 * A live match as the nodes around it see it: real event bus, real timers (kept short), this test
 * playing the nodes the players' sockets are on and the store that takes the result.
 */
@ExtendWith(VertxExtension.class)
class MatchVerticleTest {
    private static final PlayerInfo ANN = new PlayerInfo(UUID.randomUUID(), "ann");
    private static final PlayerInfo BOB = new PlayerInfo(UUID.randomUUID(), "bob");
    private static final String NODE_A = "node-a";
    private static final String NODE_B = "node-b";
    private static final long COUNTDOWN_MILLIS = 50;
    private static final long REVEAL_MILLIS = 50;
    private static final long LINGER_MILLIS = 200;
    private static final Runnable NOTHING = () -> { };

    private Vertx vertx;
    private BusRecorder<Delivery> nodeA;
    private BusRecorder<Delivery> nodeB;
    private RecordingSink sink;

    @BeforeEach
    void playTheNodes(Vertx vertx, VertxTestContext ctx) {
        this.vertx = vertx;
        Codecs.registerAll(vertx.eventBus());
        sink = new RecordingSink();
        Future.all(
                BusRecorder.<Delivery>listen(vertx, Addresses.nodeDeliveries(NODE_A)).onSuccess(r -> nodeA = r),
                BusRecorder.<Delivery>listen(vertx, Addresses.nodeDeliveries(NODE_B)).onSuccess(r -> nodeB = r))
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMatchNobodyAnswersRunsToTheEndOnItsOwnTimersAndEachNodeHearsEveryStepOnce(VertxTestContext ctx) {
        MatchSpec spec = spec(3, 500, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_B));
        ActivePlayers activePlayers = new ActivePlayers(vertx);
        Checkpoint stoppedByItself = ctx.checkpoint();
        Checkpoint checked = ctx.checkpoint();
        Promise<Void> stopped = Promise.promise();

        deploy(spec, options(500), () -> {
            stopped.tryComplete();
            stoppedByItself.flag();
        })
            .compose(id -> nodeA.first(question(0)))
            .compose(q -> matchesOf(activePlayers))
            .map(matches -> {
                assertThat(matches).as("while it runs, both players are in the match")
                    .containsExactly(spec.matchId(), spec.matchId());
                return null;
            })
            .compose(v -> Future.all(nodeA.first(finished()), nodeB.first(finished())))
            // The match answers on its own context, so once it has answered it has done everything finishing does.
            .compose(v -> refusal(command(spec, new SubmitAnswer(ANN.userId(), 2, 0))))
            .compose(code -> {
                assertThat(code).as("a late answer").isEqualTo(ErrorCode.MATCH_FINISHED);
                return matchesOf(activePlayers);
            })
            .map(matches -> {
                assertThat(matches).as("once it finished, neither player is in a match").containsExactly(null, null);
                return null;
            })
            .compose(v -> stopped.future())
            .map(v -> {
                List<String> everyStep = List.of("match_starting", "question 0", "reveal 0", "question 1", "reveal 1",
                    "question 2", "reveal 2", "match_finished");
                assertEachNodeHeard(nodeA, ANN, everyStep);
                assertEachNodeHeard(nodeB, BOB, everyStep);
                MatchStarting starting = (MatchStarting) nodeA.received().get(0).event();
                assertThat(starting.players()).containsExactly(ANN, BOB);
                assertThat(starting.questionCount()).isEqualTo(3);
                assertThat(starting.questionMillis()).isEqualTo(500);
                assertThat(nodeA.received()).extracting(d -> d.event().matchId()).containsOnly(spec.matchId());

                assertThat(sink.results()).singleElement().satisfies(result -> {
                    assertThat(result.matchId()).isEqualTo(spec.matchId());
                    assertThat(result.questions()).hasSize(3).allSatisfy(q -> assertThat(q.answers()).isEmpty());
                    assertThat(result.players()).extracting(MatchResult.PlayerResult::userId).containsExactlyInAnyOrder(
                        ANN.userId(), BOB.userId());
                    assertThat(result.players()).allSatisfy(p -> {
                        assertThat(p.score()).isZero();
                        assertThat(p.rank()).as("a tie at zero").isEqualTo(1);
                    });
                });
                return null;
            })
            .onComplete(ctx.succeeding(v -> checked.flag()));
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void stepsThatArriveWhileAWriteIsInFlightAreAcknowledgedAfterOneWriteThatHoldsThemAll(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        int correct = spec.questions().get(0).correctOption();
        GatedReplication replication = new GatedReplication();
        AtomicReference<Future<ServerEvent>> annReply = new AtomicReference<>();
        AtomicReference<Future<ServerEvent>> bobReply = new AtomicReference<>();
        AtomicReference<Future<ServerEvent>> annMoves = new AtomicReference<>();
        AtomicReference<Integer> writesBefore = new AtomicReference<>();

        deploy(spec, options(500), replication, NOTHING)
            .compose(id -> nodeA.first(question(0)))
            .compose(open -> {
                writesBefore.set(replication.updates().size());
                replication.hold();
                annReply.set(command(spec, new SubmitAnswer(ANN.userId(), 0, correct)));
                return replication.awaitUpdates(writesBefore.get() + 1);
            })
            .compose(annWriting -> {
                // Two more steps while ann's write is in flight: bob answers, ann's socket moves to node B.
                bobReply.set(command(spec, new SubmitAnswer(BOB.userId(), 0, correct)));
                annMoves.set(command(spec, new Attach(ANN.userId(), NODE_B, "second-socket")));
                return later(300);
            })
            .compose(v -> {
                assertThat(replication.updates()).as("the later steps wait for ann's write instead of starting their own")
                    .hasSize(writesBefore.get() + 1);
                assertThat(annReply.get().isComplete()).as("ann is not acknowledged before her write lands").isFalse();
                assertThat(bobReply.get().isComplete()).isFalse();
                assertThat(annMoves.get().isComplete()).isFalse();
                replication.release();
                return Future.all(annReply.get(), bobReply.get(), annMoves.get());
            })
            .map(replies -> {
                assertThat(annReply.get().result()).isInstanceOf(AnswerAccepted.class);
                assertThat(bobReply.get().result()).isInstanceOf(AnswerAccepted.class);
                assertThat(annMoves.get().result()).isInstanceOf(MatchState.class);
                List<MatchInput> covering = replication.updates().get(writesBefore.get() + 1);
                assertThat(covering.subList(0, 2)).as("the one write after ann's holds bob's answer and ann's move (then what the timer did)").satisfiesExactly(
                    bob -> assertThat(bob).isEqualTo(new MatchInput.Answer(BOB.userId(), 0, correct, false,
                        ((MatchInput.Answer) bob).at())),
                    ann -> assertThat(ann).isInstanceOfSatisfying(MatchInput.Attach.class,
                        attach -> assertThat(attach.nodeId()).isEqualTo(NODE_B)));
                assertThat(replication.record(spec.matchId()).rebuild().nodeOf(ANN.userId())).isEqualTo(NODE_B);
                return null;
            })
            .compose(v -> nodeA.first(reveal(0)))
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMatchWhoseRecordAnotherNodeTookOverStopsAtItsNextWriteAndTellsNobody(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        MapReplication replication = new MapReplication();
        Promise<Void> stopped = Promise.promise();
        AtomicReference<Integer> heardBefore = new AtomicReference<>();

        deploy(spec, options(500), replication, stopped::tryComplete)
            .compose(id -> nodeA.first(question(0)))
            .compose(open -> {
                // Node B takes the match over (as failover would, from the record it was handed), in epoch 2.
                LiveMatchRecord handed = replication.record(spec.matchId());
                assertThat(handed.fence()).isEqualTo(new Replication.Fence(NODE_A, 1));
                heardBefore.set(nodeA.received().size());
                MatchSnapshot snapshot = handed.rebuild().snapshot();
                return replication.takeOver(handed.fence(), handed.version(), NODE_B, snapshot)
                    .compose(v -> replication.takeOver(handed.fence(), handed.version(), "node-c", snapshot)
                        .transform(Future::succeededFuture));
            })
            .compose(secondAdopter -> {
                assertThat(secondAdopter.failed()).as("a second takeover from the same record").isTrue();
                assertThat(replication.record(spec.matchId()).fence()).as("only the first adopter wins")
                    .isEqualTo(new Replication.Fence(NODE_B, 2));
                return refusal(command(spec, new SubmitAnswer(ANN.userId(), 0, 1)));
            })
            .compose(refused -> {
                assertThat(refused).as("the old owner's write is refused, so it stops").isEqualTo(ErrorCode.MATCH_NOT_FOUND);
                return stopped.future();
            })
            .compose(v -> later(200))
            .map(v -> {
                assertThat(nodeA.received()).as("nothing from the old owner after it lost the record").hasSize(heardBefore.get());
                assertThat(replication.record(spec.matchId()).fence()).isEqualTo(new Replication.Fence(NODE_B, 2));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void answersAreAcknowledgedOnceAndTheQuestionIsRevealedAsSoonAsEveryoneHasAnswered(VertxTestContext ctx) {
        MatchSpec spec = spec(1, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        int correct = spec.questions().get(0).correctOption();
        int wrong = (correct + 1) % 4;
        AtomicReference<Question> open = new AtomicReference<>();

        deploy(spec, options(500), NOTHING)
            .compose(id -> nodeA.first(question(0)))
            .compose(delivery -> {
                open.set((Question) delivery.event());
                return command(spec, new SubmitAnswer(ANN.userId(), 0, wrong));
            })
            .compose(reply -> {
                assertThat(reply).isInstanceOfSatisfying(AnswerAccepted.class, accepted -> {
                    assertThat(accepted.matchId()).isEqualTo(spec.matchId());
                    assertThat(accepted.index()).isZero();
                    assertThat(accepted.option()).isEqualTo(wrong);
                    assertThat(accepted.elapsedMs()).isBetween(0L, 3_000L);
                });
                return refusal(command(spec, new SubmitAnswer(ANN.userId(), 0, correct)));
            })
            .compose(code -> {
                assertThat(code).as("changing an answer").isEqualTo(ErrorCode.ALREADY_ANSWERED);
                return command(spec, new SubmitAnswer(BOB.userId(), 0, correct));
            })
            .compose(reply -> {
                assertThat(reply).isInstanceOf(AnswerAccepted.class);
                return nodeA.first(reveal(0));
            })
            .map(delivery -> {
                assertThat(System.currentTimeMillis()).as("revealed before the deadline: everyone had answered")
                    .isLessThan(open.get().deadline());
                Reveal reveal = (Reveal) delivery.event();
                assertThat(reveal.correctOption()).isEqualTo(correct);
                assertThat(reveal.results()).filteredOn(r -> r.userId().equals(ANN.userId())).singleElement()
                    .satisfies(ann -> {
                        assertThat(ann.option()).as("the first answer stands").isEqualTo(wrong);
                        assertThat(ann.correct()).isFalse();
                        assertThat(ann.points()).isZero();
                    });
                assertThat(reveal.results()).filteredOn(r -> r.userId().equals(BOB.userId())).singleElement()
                    .satisfies(bob -> {
                        assertThat(bob.correct()).isTrue();
                        assertThat(bob.points()).isPositive();
                    });
                assertThat(reveal.standings().get(0).userId()).isEqualTo(BOB.userId());
                return null;
            })
            .compose(v -> sink.first())
            .map(result -> {
                MatchResult.QuestionResult asked = result.questions().get(0);
                assertThat(asked.closedAt()).isLessThan(open.get().deadline());
                assertThat(asked.answers()).extracting(MatchResult.AnswerRecord::userId, MatchResult.AnswerRecord::option)
                    .containsExactlyInAnyOrder(
                        tuple(ANN.userId(), wrong),
                        tuple(BOB.userId(), correct));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aFinishedMatchAnswersMatchFinishedWhileItLingersThenGoesAwayAndItsHostForgetsIt(VertxTestContext ctx) {
        MatchHost host = new MatchHost(NODE_A, options(500), sink, Replication.none(), node -> true,
            new ActivePlayers(vertx), GameMeters.unexported(), System::currentTimeMillis);
        MatchSpec spec = spec(1, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        AtomicReference<MatchFinished> finished = new AtomicReference<>();

        vertx.deployVerticle(host)
            .compose(id -> vertx.eventBus().<String>request(Addresses.nodeMatches(NODE_A), spec))
            .compose(started -> {
                assertThat(started.body()).isEqualTo(spec.matchId().toString());
                assertThat(host.liveMatches()).isEqualTo(1);
                return nodeA.first(question(0));
            })
            .compose(q -> Future.all(
                command(spec, new SubmitAnswer(ANN.userId(), 0, 0)),
                command(spec, new SubmitAnswer(BOB.userId(), 0, 1))))
            .compose(v -> nodeA.first(finished()))
            .compose(delivery -> {
                finished.set((MatchFinished) delivery.event());
                return attachUntilNobodyListens(spec, Collections.synchronizedList(new ArrayList<>()));
            })
            .map(attempts -> {
                Attempt gone = attempts.get(attempts.size() - 1);
                assertThat(gone.outcome()).as("in the end the match's address has no handler").isEqualTo("NO_HANDLERS");
                assertThat(attempts.subList(0, attempts.size() - 1))
                    .as("every reconnect before that, during the linger, is handed the final ranking")
                    .isNotEmpty()
                    .extracting(Attempt::outcome).containsOnly(MatchFinished.class.getSimpleName());
                assertThat(gone.at()).as("not gone before its linger was over")
                    .isGreaterThanOrEqualTo(finished.get().finishedAt() + LINGER_MILLIS);
                assertThat(host.liveMatches()).as("the host counted the match as stopped").isZero();
                assertThat(sink.results()).hasSize(1);
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    /**
     * Players' commands keep arriving, from another thread, across the instant the linger ends and the
     * match stops listening: each is answered as the match would answer it, or finds no match; none is
     * left without an answer (a reconnecting player would wait for the request timeout).
     */
    @Test
    @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
    void commandsThatReachAMatchAsItsLingerEndsAreAnsweredNotDropped(VertxTestContext ctx) {
        commandsAsTheLingerEnds((host, spec, c) -> outcome(command(spec, c)), "NO_HANDLERS")
            .onComplete(ctx.succeedingThenComplete());
    }

    /** The same through the host: from the match's end on, the host no longer has it and the bus is asked. */
    @Test
    @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
    void commandsAskedThroughTheHostAsTheLingerEndsAreAnsweredNotDropped(VertxTestContext ctx) {
        commandsAsTheLingerEnds(MatchVerticleTest::askedHere, "not here").onComplete(ctx.succeedingThenComplete());
    }

    /** One way of asking a match: its reply, refusal or failure as one word ({@link org.quizengine.engine.support.BusReplies#outcome}). */
    @FunctionalInterface
    private interface Asking {
        Future<String> ask(MatchHost host, MatchSpec spec, MatchCommand command);
    }

    /**
     * Plays a one-question match to its end through {@code asking}, then sends late attaches from
     * another thread until one finds the match {@code gone}; every one must come back with the final
     * ranking or {@code gone}.
     */
    private Future<Void> commandsAsTheLingerEnds(Asking asking, String gone) {
        // A linger of a second: the sender starts well within it, however slow the machine.
        MatchOptions lingerASecond = new MatchOptions(options(1_000_000).defaults(), 1_000_000, 1_000);
        MatchHost host = new MatchHost(NODE_A, lingerASecond, sink, Replication.none(), node -> true,
            new ActivePlayers(vertx), GameMeters.unexported(), System::currentTimeMillis);
        MatchSpec spec = spec(1, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();

        return vertx.deployVerticle(host)
            .compose(id -> vertx.eventBus().<String>request(Addresses.nodeMatches(NODE_A), spec))
            .compose(started -> nodeA.first(question(0)))
            .compose(q -> Future.all(
                asking.ask(host, spec, new SubmitAnswer(ANN.userId(), 0, 0)),
                asking.ask(host, spec, new SubmitAnswer(BOB.userId(), 0, 1))))
            .compose(v -> nodeA.first(finished()))
            .compose(delivery -> vertx.<Void>executeBlocking(() -> {
                List<Future<String>> sent = new ArrayList<>();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < until && outcomes.getOrDefault(gone, 0) == 0) {
                    sent.add(asking.ask(host, spec, new Attach(ANN.userId(), NODE_A, "late-socket"))
                        .onSuccess(outcome -> outcomes.merge(outcome, 1, Integer::sum)));
                    LockSupport.parkNanos(20_000);
                }
                Future.all(sent).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return null;
            }))
            .map(v -> {
                assertThat(outcomes.keySet()).as("what the late attaches came back with: %s", outcomes)
                    .containsExactlyInAnyOrder(MatchFinished.class.getSimpleName(), gone);
                return null;
            });
    }

    /**
     * A node that is not clustered asks its own matches through their host instead of the event bus:
     * the answers and refusals are the ones the bus carries, and both ways change the same match.
     */
    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aMatchAskedThroughItsHostAnswersAsItDoesOverTheBus(VertxTestContext ctx) {
        MatchHost host = new MatchHost(NODE_A, options(500), sink, Replication.none(), node -> true,
            new ActivePlayers(vertx), GameMeters.unexported(), System::currentTimeMillis);
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        UUID outsider = UUID.randomUUID();
        List<String> outcomes = new ArrayList<>();

        vertx.deployVerticle(host)
            .compose(id -> vertx.eventBus().<String>request(Addresses.nodeMatches(NODE_A), spec))
            .compose(started -> nodeA.first(question(0)))
            .compose(q -> askedHere(host, spec, new SubmitAnswer(outsider, 0, 1))).map(outcomes::add)
            .compose(v -> askedHere(host, spec, new SubmitAnswer(ANN.userId(), 0, 0))).map(outcomes::add)
            .compose(v -> outcome(command(spec, new SubmitAnswer(ANN.userId(), 0, 2)))).map(outcomes::add)
            .compose(v -> askedHere(host, spec, new SubmitAnswer(ANN.userId(), 0, 3))).map(outcomes::add)
            .compose(v -> outcome(command(spec, new SubmitAnswer(BOB.userId(), 0, 1)))).map(outcomes::add)
            .compose(v -> nodeA.first(reveal(0)))
            .map(v -> {
                assertThat(outcomes).as("outsider, ann, ann again over the bus, ann again, bob over the bus")
                    .containsExactly(ErrorCode.NOT_IN_MATCH.name(), AnswerAccepted.class.getSimpleName(),
                        ErrorCode.ALREADY_ANSWERED.name(), ErrorCode.ALREADY_ANSWERED.name(),
                        AnswerAccepted.class.getSimpleName());
                assertThat(host.ask(UUID.randomUUID(), new Attach(ANN.userId(), NODE_A, "socket")))
                    .as("a match not played here is left to the bus").isNull();
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    /**
     * A match stopped here before its end (its node shutting down) answers a command its gateway asks
     * directly as the bus answered one its stopped consumer dropped: a timeout at once, not silence
     * (the direct way has no timeout of its own) and not a step of a match that no longer runs.
     */
    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aCommandAskedDirectlyOfAMatchStoppedBeforeItsEndTimesOutAtOnce(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        MatchVerticle match = MatchVerticle.formed(spec, services(Replication.none(), options(500)), NOTHING);

        vertx.deployVerticle(match)
            .compose(id -> nodeA.first(question(0)).compose(q -> vertx.undeploy(id)))
            .compose(v -> outcome(match.ask(new SubmitAnswer(ANN.userId(), 0, 1))))
            .map(outcome -> {
                assertThat(outcome).as("an answer asked of the stopped match").isEqualTo("TIMEOUT");
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void commandsBeyondAPlayersShareOfTheInboxAreRefusedAndNeitherOutsidersNorThatPlayerCrowdOutTheOthers(
            VertxTestContext ctx) {
        MatchSpec spec = spec(1, 5_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        int budget = 10;
        int share = budget / 2; // two seats
        int burst = 30;
        UUID outsider = UUID.randomUUID();

        deploy(spec, options(budget), NOTHING)
            .compose(id -> nodeA.first(question(0)))
            // Start just after a second begins, so that the bursts fall within one of the inbox's one-second windows.
            .compose(q -> vertx.timer(untilNextSecond()))
            .compose(v -> {
                long firstSecond = System.currentTimeMillis() / 1_000;
                List<Future<String>> outsiders = IntStream.range(0, burst)
                    .mapToObj(i -> outcome(command(spec, new SubmitAnswer(outsider, 0, 1)))).toList();
                List<Future<String>> anns = IntStream.range(0, burst)
                    .mapToObj(i -> outcome(command(spec, new SubmitAnswer(ANN.userId(), 0, 1)))).toList();
                Future<String> bobs = outcome(command(spec, new SubmitAnswer(BOB.userId(), 0, 0)));
                List<Future<String>> all = new ArrayList<>(outsiders);
                all.addAll(anns);
                all.add(bobs);
                return Future.join(new ArrayList<>(all)).map(done -> {
                    long windows = System.currentTimeMillis() / 1_000 - firstSecond + 1;
                    assertThat(outsiders).extracting(Future::result).as("outsiders are refused, whatever the budget")
                        .containsOnly(ErrorCode.NOT_IN_MATCH.name());
                    assertThat(bobs.result()).as("bob's answer, after ann's burst").isEqualTo("AnswerAccepted");
                    List<String> got = anns.stream().map(Future::result).toList();
                    long overloaded = got.stream().filter(ErrorCode.MATCH_OVERLOADED.name()::equals).count();
                    assertThat(burst - overloaded).as("ann's handled, of %s over %s second(s): %s", burst, windows, got)
                        .isLessThanOrEqualTo(share * windows);
                    if (windows == 1) {
                        List<String> expected = new ArrayList<>();
                        expected.add("AnswerAccepted");
                        expected.addAll(Collections.nCopies(share - 1, ErrorCode.ALREADY_ANSWERED.name()));
                        expected.addAll(Collections.nCopies(burst - share, ErrorCode.MATCH_OVERLOADED.name()));
                        assertThat(got).as("ann's first %s are handled in order, the rest refused, not queued", share)
                            .containsExactlyElementsOf(expected);
                    }
                    return null;
                });
            })
            .compose(v -> nodeA.first(reveal(0)))
            .map(delivery -> {
                Reveal reveal = (Reveal) delivery.event();
                assertThat(reveal.results()).as("ann's one accepted answer stands, and bob's")
                    .extracting(AnswerResult::userId, AnswerResult::option)
                    .containsExactlyInAnyOrder(tuple(ANN.userId(), 1), tuple(BOB.userId(), 0));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void attachingFromAnotherNodeMovesThatPlayersDeliveriesThere(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 800, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));

        deploy(spec, options(500), NOTHING)
            .compose(id -> nodeA.first(question(0)))
            .compose(delivery -> {
                assertThat(delivery.recipients()).as("one delivery for both players on the node")
                    .containsExactlyInAnyOrder(ANN.userId(), BOB.userId());
                return command(spec, new Attach(BOB.userId(), NODE_B, "bob-second-socket"));
            })
            .compose(reply -> {
                assertThat(reply).isInstanceOfSatisfying(MatchState.class, state -> {
                    assertThat(state.matchId()).isEqualTo(spec.matchId());
                    assertThat(state.phase()).isEqualTo("question");
                    assertThat(state.question().index()).isZero();
                    assertThat(state.yourAnswer()).isNull();
                });
                return Future.all(nodeA.first(finished()), nodeB.first(finished()));
            })
            .map(v -> {
                assertThat(nodeA.received()).extracting(d -> label(d.event())).containsExactly(
                    "match_starting", "question 0", "reveal 0", "question 1", "reveal 1", "match_finished");
                assertThat(nodeA.received().subList(0, 2)).allSatisfy(d ->
                    assertThat(d.recipients()).containsExactlyInAnyOrder(ANN.userId(), BOB.userId()));
                assertThat(nodeA.received().subList(2, 6)).as("after bob moved, node-a only carries ann's")
                    .allSatisfy(d -> assertThat(d.recipients()).containsExactly(ANN.userId()));
                assertEachNodeHeard(nodeB, BOB, List.of("reveal 0", "question 1", "reveal 1", "match_finished"));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void commandsThatComeWhileTheMatchIsStartingWaitUntilItsPlayersHaveHeardItStart(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 800, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        Promise<Void> claiming = Promise.promise();
        Promise<Void> claimsWritten = Promise.promise();
        // The match listens before its players' claims are written; here they take as long as the test wants.
        ActivePlayers slowClaims = new ActivePlayers(vertx) {
            @Override
            public Future<Void> claim(Collection<UUID> players, UUID matchId) {
                claiming.tryComplete();
                return claimsWritten.future().compose(v -> super.claim(players, matchId));
            }
        };
        MatchServices services = new MatchServices(NODE_A, Replication.none(), node -> true, options(500), sink,
            slowClaims, GameMeters.unexported(), System::currentTimeMillis);
        vertx.deployVerticle(MatchVerticle.formed(spec, services, NOTHING));

        claiming.future()
            .compose(v -> {
                // Bob's socket closes and he comes back on node B, while the match is still starting.
                Future<ServerEvent> detached = command(spec, new Detach(BOB.userId(), "bob-first-socket"));
                Future<ServerEvent> attached = command(spec, new Attach(BOB.userId(), NODE_B, "bob-second-socket"));
                return later(COUNTDOWN_MILLIS * 4).map(waited -> {
                    assertThat(nodeA.received()).as("nothing goes out before the match has started").isEmpty();
                    assertThat(nodeB.received()).isEmpty();
                    assertThat(attached.isComplete()).as("bob is answered once the match runs").isFalse();
                    claimsWritten.complete();
                    return attached;
                }).compose(reply -> reply);
            })
            .compose(reply -> {
                assertThat(reply).isInstanceOf(MatchState.class);
                return Future.all(nodeA.first(question(0)), nodeB.first(question(0)));
            })
            .map(v -> {
                // Ann's node hears of bob going and coming back (player_status) between the two.
                assertThat(nodeA.received()).extracting(d -> label(d.event())).filteredOn(label -> !label.equals("PlayerStatus"))
                    .startsWith("match_starting", "question 0");
                assertThat(nodeA.received().get(0).recipients()).containsExactlyInAnyOrder(ANN.userId(), BOB.userId());
                assertThat(nodeB.received()).extracting(d -> label(d.event())).startsWith("question 0");
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    /** What a player polling a match got, and when. */
    private record Attempt(String outcome, long at) {
    }

    /** A player keeps trying to attach, every 20 ms, until nothing listens on the match's address any more. */
    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void anAdoptedMatchSendsEveryConnectedPlayerAFreshMatchStateFirst(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        MapReplication replication = new MapReplication();
        replication.create(NODE_B, Match.create(spec).snapshot())
            .compose(v -> adopt(spec, NODE_B, replication))
            .compose(id -> nodeA.first(question(0)))
            .map(q -> {
                List<Delivery> heard = nodeA.received();
                assertThat(heard.get(0).event()).as("the first thing the players hear from the new node").isInstanceOf(MatchState.class);
                assertThat(heard.stream().filter(d -> d.event() instanceof MatchState).flatMap(d -> d.recipients().stream()))
                    .containsExactlyInAnyOrder(ANN.userId(), BOB.userId());
                assertThat(replication.record(spec.matchId()).fence()).isEqualTo(new Replication.Fence(NODE_A, 2));
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    @Test
    @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
    void aMatchTakenOverMidQuestionAfterACompactionPointResumesExactlyWhereItWas(VertxTestContext ctx) {
        int questions = 30;
        int takenOverAt = 25;
        MatchSpec spec = spec(questions, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        MapReplication replication = new MapReplication();
        long created = Match.create(spec).version();
        AtomicReference<String> firstOwner = new AtomicReference<>();
        AtomicReference<Reveal> lastReveal = new AtomicReference<>();
        int annOption = spec.questions().get(takenOverAt).correctOption();

        deploy(spec, options(500), replication, NOTHING)
            .compose(id -> {
                firstOwner.set(id);
                return bothAnswer(spec, 0, takenOverAt);
            })
            .compose(v -> nodeA.first(reveal(takenOverAt - 1)))
            .compose(reveal -> {
                lastReveal.set((Reveal) reveal.event());
                return nodeA.first(question(takenOverAt));
            })
            .compose(open -> command(spec, new SubmitAnswer(ANN.userId(), takenOverAt, annOption)))
            .compose(accepted -> {
                LiveMatchRecord record = replication.record(spec.matchId());
                assertThat(record.snapshotVersion()).as("a compaction point since the match formed").isGreaterThan(created + 1);
                assertThat(record.steps()).as("inputs after it, ann's answer last").isNotEmpty().last()
                    .isInstanceOf(MatchInput.Answer.class);
                // Node A dies (its verticle goes, its record stays); node B is handed the record.
                return vertx.undeploy(firstOwner.get());
            })
            .compose(v -> vertx.deployVerticle(MatchVerticle.adopted(new AdoptMatch(spec.matchId(), NODE_A, 1),
                services(NODE_B, replication, options(500)), NOTHING)))
            .compose(id -> statesHeard(2))
            .compose(states -> {
                assertThat(states).hasSize(2).allSatisfy(resumed -> {
                    assertThat(resumed.question().index()).isEqualTo(takenOverAt);
                    assertThat(resumed.standings()).as("the standings of the last reveal").isEqualTo(lastReveal.get().standings());
                });
                assertThat(states).extracting(MatchState::yourAnswer).as("ann's answer is on record, bob's is not")
                    .containsExactlyInAnyOrder(annOption, null);
                assertThat(replication.record(spec.matchId()).fence()).isEqualTo(new Replication.Fence(NODE_B, 2));
                return command(spec, new SubmitAnswer(BOB.userId(), takenOverAt, 0));
            })
            .compose(bobAccepted -> nodeA.first(reveal(takenOverAt)))
            .map(revealed -> {
                Reveal reveal = (Reveal) revealed.event();
                assertThat(reveal.results()).filteredOn(result -> result.userId().equals(ANN.userId())).singleElement()
                    .satisfies(ann -> assertThat(ann.option()).isEqualTo(annOption))
                    .satisfies(ann -> assertThat(ann.points()).isPositive());
                assertThat(reveal.results()).filteredOn(result -> result.userId().equals(BOB.userId())).singleElement()
                    .satisfies(bob -> assertThat(bob.option()).isZero());
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    /** The first {@code count} match_states node A heard, once it has heard them. */
    private Future<List<MatchState>> statesHeard(int count) {
        List<MatchState> states = nodeA.received().stream().map(Delivery::event).filter(MatchState.class::isInstance)
            .map(MatchState.class::cast).toList();
        return states.size() >= count ? Future.succeededFuture(states.subList(0, count))
            : later(10).compose(v -> statesHeard(count));
    }

    /** Both players answer questions {@code from} to {@code to} (exclusive) correctly as each opens. */
    private Future<Void> bothAnswer(MatchSpec spec, int from, int to) {
        if (from == to) {
            return Future.succeededFuture();
        }
        int correct = spec.questions().get(from).correctOption();
        return nodeA.first(question(from))
            .compose(open -> Future.all(command(spec, new SubmitAnswer(ANN.userId(), from, correct)),
                command(spec, new SubmitAnswer(BOB.userId(), from, correct))))
            .compose(answered -> bothAnswer(spec, from + 1, to));
    }

    @Test
    @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
    void aRecordOfAMatchThatAlreadyHasAResultIsDroppedNotReplayed(VertxTestContext ctx) {
        MatchSpec spec = spec(2, 3_000, Map.of(ANN.userId(), NODE_A, BOB.userId(), NODE_A));
        MapReplication replication = new MapReplication();
        // A copy from question 0 that a split's merge brought back after the match had finished elsewhere.
        replication.create(NODE_B, Match.create(spec).snapshot())
            .compose(v -> {
                sink.alreadyHas(spec.matchId());
                return adopt(spec, NODE_B, replication);
            })
            .compose(id -> later(COUNTDOWN_MILLIS + 300))
            .map(v -> {
                assertThat(replication.record(spec.matchId())).as("the stale record is removed").isNull();
                assertThat(nodeA.received()).as("no frame of a match that is over").isEmpty();
                assertThat(nodeB.received()).isEmpty();
                assertThat(sink.results()).as("no second result").isEmpty();
                return null;
            })
            .onComplete(ctx.succeedingThenComplete());
    }

    private Future<List<Attempt>> attachUntilNobodyListens(MatchSpec spec, List<Attempt> attempts) {
        return outcome(command(spec, new Attach(ANN.userId(), NODE_A, "late-socket"))).compose(outcome -> {
            attempts.add(new Attempt(outcome, System.currentTimeMillis()));
            if (outcome.equals("NO_HANDLERS") || attempts.size() >= 250) {
                return Future.succeededFuture(attempts);
            }
            return vertx.timer(20).compose(v -> attachUntilNobodyListens(spec, attempts));
        });
    }

    private static void assertEachNodeHeard(BusRecorder<Delivery> node, PlayerInfo player, List<String> steps) {
        assertThat(node.received()).extracting(d -> label(d.event())).containsExactlyElementsOf(steps);
        assertThat(node.received()).allSatisfy(d -> assertThat(d.recipients()).containsExactly(player.userId()));
    }

    private static long untilNextSecond() {
        return 1_000 - System.currentTimeMillis() % 1_000 + 5;
    }

    private Future<String> deploy(MatchSpec spec, MatchOptions options, Runnable onStopped) {
        return deploy(spec, options, Replication.none(), onStopped);
    }

    /** Node A takes the match over from {@code owner}'s record (epoch 1), as failover hands it, with both players' node alive. */
    private Future<String> adopt(MatchSpec spec, String owner, Replication replication) {
        return vertx.deployVerticle(MatchVerticle.adopted(new AdoptMatch(spec.matchId(), owner, 1), services(replication,
            options(500)), NOTHING));
    }

    private Future<String> deploy(MatchSpec spec, MatchOptions options, Replication replication, Runnable onStopped) {
        return vertx.deployVerticle(MatchVerticle.formed(spec, services(replication, options), onStopped));
    }

    private MatchServices services(Replication replication, MatchOptions options) {
        return services(NODE_A, replication, options);
    }

    private MatchServices services(String nodeId, Replication replication, MatchOptions options) {
        return new MatchServices(nodeId, replication, node -> true, options, sink, new ActivePlayers(vertx),
            GameMeters.unexported(), System::currentTimeMillis);
    }

    private Future<Void> later(long millis) {
        Promise<Void> elapsed = Promise.promise();
        vertx.setTimer(millis, id -> elapsed.complete());
        return elapsed.future();
    }

    /**
     * The match map (Vert.x's own, local here), with a gate the test can close: writes made while it
     * is closed wait until it opens, as a slow cluster's would. Every snapshot written is kept.
     */
    /** Replication whose appends can be held in flight, recording the inputs of each. */
    private final class GatedReplication extends MapReplication {
        private final List<List<MatchInput>> updates = Collections.synchronizedList(new ArrayList<>());
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        synchronized void hold() {
            holding = true;
        }

        synchronized void release() {
            holding = false;
            held.forEach(Runnable::run);
            held.clear();
        }

        List<List<MatchInput>> updates() {
            return List.copyOf(updates);
        }

        Future<Void> awaitUpdates(int count) {
            return updates.size() >= count ? Future.succeededFuture() : later(10).compose(v -> awaitUpdates(count));
        }

        @Override
        public synchronized Future<Void> append(UUID matchId, Fence fence, long firstVersion, List<MatchInput> inputs) {
            updates.add(inputs);
            if (!holding) {
                return super.append(matchId, fence, firstVersion, inputs);
            }
            // Finish the write on the match's own context, as a real one would.
            io.vertx.core.Context match = vertx.getOrCreateContext();
            Promise<Void> written = Promise.promise();
            held.add(() -> match.runOnContext(v -> super.append(matchId, fence, firstVersion, inputs).onComplete(written)));
            return written.future();
        }
    }

    private Future<ServerEvent> command(MatchSpec spec, MatchCommand command) {
        return vertx.eventBus().<ServerFrame>request(Addresses.match(spec.matchId()), command)
            .map(reply -> reply.body() == null ? null : reply.body().event());
    }

    /** Asks the match through its host, as the gateway of a node that is not clustered does; "not here" when the host has no such match. */
    private static Future<String> askedHere(MatchHost host, MatchSpec spec, MatchCommand command) {
        Future<ServerFrame> answer = host.ask(spec.matchId(), command);
        return answer == null ? Future.succeededFuture("not here")
            : outcome(answer.map(frame -> frame == null ? null : frame.event()));
    }

    /** The live match ActivePlayers has for ann and for bob (null for none). */
    private static Future<List<UUID>> matchesOf(ActivePlayers activePlayers) {
        return Future.all(activePlayers.matchOf(ANN.userId()), activePlayers.matchOf(BOB.userId()))
            .map(CompositeFuture::<UUID>list);
    }

    private static MatchSpec spec(int questionCount, long questionMillis, Map<UUID, String> playerNodes) {
        List<QuestionSpec> questions = IntStream.range(0, questionCount)
            .mapToObj(i -> new QuestionSpec(i + 1, "science", "easy", "Question " + i, List.of("a", "b", "c", "d"), i % 4))
            .toList();
        MatchSettings settings = new MatchSettings(questionCount, questionMillis, COUNTDOWN_MILLIS, REVEAL_MILLIS, 5_000);
        return new MatchSpec(UUID.randomUUID(), MatchKind.QUICK, "science", List.of(ANN, BOB), questions, settings,
            playerNodes);
    }

    private static MatchOptions options(int maxCommandsPerSecond) {
        return new MatchOptions(new MatchSettings(1, 500, COUNTDOWN_MILLIS, REVEAL_MILLIS, 5_000), maxCommandsPerSecond,
            LINGER_MILLIS);
    }

    private static Predicate<Delivery> question(int index) {
        return d -> d.event() instanceof Question q && q.index() == index;
    }

    private static Predicate<Delivery> reveal(int index) {
        return d -> d.event() instanceof Reveal r && r.index() == index;
    }

    private static Predicate<Delivery> finished() {
        return d -> d.event() instanceof MatchFinished;
    }

    /** A short name for an event, with the question's index where there is one. */
    private static String label(ServerEvent event) {
        if (event instanceof Question q) {
            return "question " + q.index();
        }
        if (event instanceof Reveal r) {
            return "reveal " + r.index();
        }
        if (event instanceof MatchStarting) {
            return "match_starting";
        }
        if (event instanceof MatchFinished) {
            return "match_finished";
        }
        return event.getClass().getSimpleName();
    }

    /** Keeps every result it is given, as a store would. */
    private static final class RecordingSink implements ResultSink {
        private final List<MatchResult> results = Collections.synchronizedList(new ArrayList<>());
        private final Promise<MatchResult> first = Promise.promise();

        @Override
        public Future<Void> submit(MatchResult result) {
            results.add(result);
            first.tryComplete(result);
            return Future.succeededFuture();
        }

        List<MatchResult> results() {
            return List.copyOf(results);
        }

        private final Set<UUID> had = ConcurrentHashMap.newKeySet();

        /** From now on, {@code matchId} counts as having a result already. */
        void alreadyHas(UUID matchId) {
            had.add(matchId);
        }

        @Override
        public Future<Boolean> hasResult(UUID matchId) {
            return Future.succeededFuture(had.contains(matchId));
        }

        Future<MatchResult> first() {
            return first.future();
        }
    }
}

package org.quizengine.engine.matchmaking;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.quizengine.engine.config.MatchOptions;
import org.quizengine.engine.config.MatchmakingOptions;
import org.quizengine.engine.metrics.GameMeters;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matchmaker: quick-match queues and private lobbies. It forms groups, draws their questions,
 * and asks a node (chosen by {@link MatchPlacement}) to start each match. Replies are server
 * events; refusals are failures with an error code. A player has one place at most: a queue, a
 * lobby, a match being started, or a live match on any node ({@link LiveMatches}).
 */
public final class MatchmakingVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchmakingVerticle.class);
    private static final long FILL_CHECK_MILLIS = 200;
    private static final long QUESTION_RELOAD_MILLIS = 60_000;
    /**
     * How long a node has to start a grouped match (deploy it, claim its players, and in a cluster
     * write its first record) before the players are told it failed: long, as a node that answers
     * late has still started it, and players told otherwise would find themselves in it.
     */
    private static final DeliveryOptions START_OPTIONS = new DeliveryOptions().setSendTimeout(30_000);

    private final MatchmakingOptions options;
    private final MatchOptions matchOptions;
    private final Supplier<Future<List<QuestionSpec>>> questionSource;
    private final MatchPlacement placement;
    private final LongSupplier clock;
    private final Random random;
    private final QuickMatchQueues queues = new QuickMatchQueues();
    private final Lobbies lobbies;
    private final LiveMatches liveMatches;
    private final GameMeters meters;
    /** Players of matches asked to start whose node has not answered yet, to the match's id. */
    private final Map<UUID, UUID> placing = new HashMap<>();
    /** Each player's command being handled, so the next one waits for it. */
    private final Map<UUID, Future<ServerEvent>> inFlight = new HashMap<>();
    private QuestionPicker picker = new QuestionPicker(List.of());
    private MessageConsumer<MatchmakingCommand> consumer;
    private long loadsStarted;
    private long loadApplied;

    public MatchmakingVerticle(MatchmakingOptions options, MatchOptions matchOptions,
                               Supplier<Future<List<QuestionSpec>>> questionSource, MatchPlacement placement,
                               LiveMatches liveMatches, GameMeters meters, LongSupplier clock, Random random) {
        this.options = options;
        this.matchOptions = matchOptions;
        this.questionSource = questionSource;
        this.placement = placement;
        this.liveMatches = liveMatches;
        this.meters = meters;
        this.clock = clock;
        this.random = random;
        this.lobbies = new Lobbies(random);
    }

    @Override
    public Future<?> start() {
        return reloadQuestions().compose(v -> {
            consumer = vertx.eventBus().consumer(Addresses.MATCHMAKING, this::onCommand);
            vertx.setPeriodic(FILL_CHECK_MILLIS, id -> startDueGroups());
            // Questions edited by moderators reach new matches without a restart; live matches keep
            // the copies they started with. A moderation write asks for a reload at once; the
            // periodic one is the safety net for a notice that never came (no matchmaker then, say).
            MessageConsumer<String> changes = vertx.eventBus().consumer(Addresses.QUESTION_BANK_CHANGED,
                this::onQuestionBankChanged);
            vertx.setPeriodic(QUESTION_RELOAD_MILLIS, id -> reloadQuestions());
            return Future.all(consumer.completion(), changes.completion());
        });
    }

    private void onQuestionBankChanged(Message<String> message) {
        reloadQuestions().onComplete(done -> {
            if (done.succeeded()) {
                message.reply("reloaded");
            } else {
                message.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(), "The question bank could not be reloaded.");
            }
        });
    }

    private Future<Void> reloadQuestions() {
        // Loads may overlap (periodic and on notice); one that started earlier never replaces a later one.
        long load = ++loadsStarted;
        return questionSource.get()
            .onSuccess(questions -> {
                if (load > loadApplied) {
                    loadApplied = load;
                    picker = new QuestionPicker(questions);
                }
            })
            .onFailure(e -> LOG.warn("Could not load the question bank; keeping the previous one", e))
            .mapEmpty();
    }

    /**
     * Commands of one player are handled one after another (another player's need not wait): a
     * second quick_match sent while the first is still being checked sees where the first put them.
     */
    private void onCommand(Message<MatchmakingCommand> message) {
        MatchmakingCommand command = message.body();
        UUID userId = command.userId();
        Future<ServerEvent> before = inFlight.get(userId);
        Future<ServerEvent> reply = before == null ? handle(command) : before.transform(done -> handle(command));
        inFlight.put(userId, reply);
        reply.onComplete(done -> {
            inFlight.remove(userId, reply);
            if (done.succeeded()) {
                message.reply(done.result());
            } else if (done.cause() instanceof QuizException refused) {
                message.fail(refused.code().busCode(), refused.getMessage());
            } else {
                LOG.atWarn().addKeyValue("user", userId)
                    .log("Could not tell where player {} plays", userId, done.cause());
                message.fail(ErrorCode.SERVICE_UNAVAILABLE.busCode(), "Matchmaking could not check your place; try again.");
            }
        });
    }

    private Future<ServerEvent> handle(MatchmakingCommand command) {
        try {
            return dispatch(command);
        } catch (QuizException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<ServerEvent> dispatch(MatchmakingCommand command) {
        if (command instanceof JoinQueue join) {
            return whenFree(join.userId(), () -> joinQueue(join));
        }
        if (command instanceof CreateLobby create) {
            return whenFree(create.userId(), () -> createLobby(create));
        }
        if (command instanceof JoinLobby join) {
            return whenFree(join.userId(), () -> joinLobby(join));
        }
        if (command instanceof LeaveQueue) {
            if (!queues.remove(command.userId())) {
                throw new QuizException(ErrorCode.NOT_QUEUED, "You are not waiting for a quick match.");
            }
            return Future.succeededFuture(new ServerEvent.QueueLeft());
        }
        if (command instanceof LeaveLobby) {
            Lobbies.Departure departure = leaveLobby(command.userId());
            if (departure == null) {
                throw new QuizException(ErrorCode.NOT_IN_LOBBY, "You are not in a lobby.");
            }
            return Future.succeededFuture(new ServerEvent.LobbyClosed(departure.lobby().code, "left"));
        }
        if (command instanceof StartLobby) {
            Lobbies.Lobby lobby = lobbies.start(command.userId(), options.minSize());
            startMatch(MatchKind.LOBBY, lobby.settings.category(), new ArrayList<>(lobby.members.values()),
                lobbySettings(lobby.settings), lobby.hostId);
            return Future.succeededFuture();
        }
        if (command instanceof PlayerGone) {
            // The socket closed: free the player's place wherever it is.
            queues.remove(command.userId());
            leaveLobby(command.userId());
            return Future.succeededFuture();
        }
        throw new IllegalStateException("Unknown matchmaking command " + command);
    }

    /**
     * Runs {@code then} if the player is nowhere yet: not in a queue or lobby here, not in a match
     * this matchmaker is starting, and not in a live match on any node (looked up last, as it is
     * the one that asks the cluster).
     */
    private Future<ServerEvent> whenFree(UUID userId, Supplier<ServerEvent> then) {
        requireFree(userId);
        return liveMatches.matchOf(userId).map(matchId -> {
            if (matchId != null) {
                throw new QuizException(ErrorCode.ALREADY_IN_MATCH, "You are already playing a match.");
            }
            requireFree(userId);
            return then.get();
        });
    }

    private ServerEvent joinQueue(JoinQueue join) {
        int size = join.size() == null ? options.defaultSize() : join.size();
        if (size < options.minSize() || size > options.maxSize()) {
            throw new QuizException(ErrorCode.INVALID_MATCH_SIZE,
                "Match size must be between " + options.minSize() + " and " + options.maxSize() + ".");
        }
        String category = category(join.category());
        requireQuestions(category, matchOptions.defaults().questionCount());
        QuickMatchQueues.Key key = new QuickMatchQueues.Key(category, size);
        QuickMatchQueues.Group group = queues.join(key, new Waiting(join.player(), join.nodeId(), clock.getAsLong()));
        int waiting = group == null ? queues.waiting(key) : size;
        if (group != null) {
            recordWaits(group);
            // Let the reply reach the player before the match announces itself; its players are
            // held from now, so a request of theirs handled in between finds them placed.
            UUID matchId = hold(group.players());
            vertx.runOnContext(v -> startMatch(MatchKind.QUICK, category, group.players(), matchOptions.defaults(), null,
                matchId));
        }
        return new ServerEvent.Queued(category, size, waiting);
    }

    private ServerEvent createLobby(CreateLobby create) {
        String category = category(create.category());
        int maxPlayers = within("maxPlayers", create.maxPlayers(), options.defaultSize(), options.minSize(), options.maxSize());
        int questions = within("questionCount", create.questionCount(),
            Math.min(matchOptions.defaults().questionCount(), options.maxLobbyQuestions()), 1, options.maxLobbyQuestions());
        int defaultSeconds = (int) Math.max(options.minSecondsPerQuestion(), Math.min(options.maxSecondsPerQuestion(),
            matchOptions.defaults().questionMillis() / 1000));
        int seconds = within("secondsPerQuestion", create.secondsPerQuestion(), defaultSeconds,
            options.minSecondsPerQuestion(), options.maxSecondsPerQuestion());
        requireQuestions(category, questions);
        Lobbies.Lobby lobby = lobbies.create(new Waiting(create.player(), create.nodeId(), clock.getAsLong()),
            new Lobbies.Settings(category, maxPlayers, questions, seconds));
        return lobby.view();
    }

    private ServerEvent joinLobby(JoinLobby join) {
        Lobbies.Lobby lobby = lobbies.join(join.code(), new Waiting(join.player(), join.nodeId(), clock.getAsLong()));
        ServerEvent.Lobby view = lobby.view();
        deliver(lobby.members.values(), join.userId(), view);
        return view;
    }

    private Lobbies.Departure leaveLobby(UUID userId) {
        Lobbies.Departure departure = lobbies.leave(userId);
        if (departure == null) {
            return null;
        }
        Lobbies.Lobby lobby = departure.lobby();
        ServerEvent update = departure.closed() ? new ServerEvent.LobbyClosed(lobby.code, "host_left") : lobby.view();
        deliver(lobby.members.values(), userId, update);
        return departure;
    }

    private void startDueGroups() {
        for (QuickMatchQueues.Group group : queues.due(clock.getAsLong(), options.fillTimeoutMillis(), options.minSize())) {
            recordWaits(group);
            startMatch(MatchKind.QUICK, group.key().category(), group.players(), matchOptions.defaults(), null);
        }
    }

    private void recordWaits(QuickMatchQueues.Group group) {
        long now = clock.getAsLong();
        for (Waiting waiting : group.players()) {
            meters.matchmakingWaited(now - waiting.since());
        }
    }

    /** Players waiting in the quick-match queues; read from any thread (the metrics). */
    public int queued() {
        return queues.size();
    }

    /** {@code hostId} is the lobby's host, {@code null} for a quick match. */
    private void startMatch(MatchKind kind, String category, List<Waiting> players, MatchSettings settings,
                            UUID hostId) {
        startMatch(kind, category, players, settings, hostId, hold(players));
    }

    /**
     * Until the chosen node answers, the match's claim on its players ({@code quiz.active-players})
     * may not exist yet: this matchmaker holds them as placed meanwhile. Returns the new match's id.
     */
    private UUID hold(List<Waiting> players) {
        UUID matchId = UUID.randomUUID();
        players.forEach(waiting -> placing.put(waiting.player().userId(), matchId));
        return matchId;
    }

    private void unhold(List<Waiting> players, UUID matchId) {
        players.forEach(waiting -> placing.remove(waiting.player().userId(), matchId));
    }

    private void startMatch(MatchKind kind, String category, List<Waiting> players, MatchSettings settings,
                            UUID hostId, UUID matchId) {
        List<PlayerInfo> infos = new ArrayList<>(players.size());
        Map<UUID, String> nodes = new HashMap<>();
        for (Waiting waiting : players) {
            infos.add(waiting.player());
            nodes.put(waiting.player().userId(), waiting.nodeId());
        }
        MatchSpec spec;
        try {
            spec = new MatchSpec(matchId, kind, category, infos,
                picker.pick(category, settings.questionCount(), random), settings, nodes, hostId);
        } catch (IllegalStateException e) {
            unhold(players, matchId);
            failStart(kind, players, ErrorCode.NOT_ENOUGH_QUESTIONS, "There are not enough questions for this match.", e);
            return;
        }
        String node = placement.chooseNode();
        vertx.eventBus().request(Addresses.nodeMatches(node), spec, START_OPTIONS)
            .onComplete(started -> unhold(players, matchId))
            .onFailure(e -> failStart(kind, players, ErrorCode.SERVICE_UNAVAILABLE,
                "The match could not start; please try again.", e));
    }

    private void failStart(MatchKind kind, List<Waiting> players, ErrorCode code, String message, Throwable cause) {
        LOG.error("A {}-player match could not start", players.size(), cause);
        String ref = kind == MatchKind.LOBBY ? "start_lobby" : "quick_match";
        deliver(players, null, new ServerEvent.Error(code.name(), message, ref));
    }

    private MatchSettings lobbySettings(Lobbies.Settings settings) {
        return matchOptions.defaults()
            .withQuestionCount(settings.questionCount())
            .withQuestionMillis(settings.secondsPerQuestion() * 1000L);
    }

    private void requireFree(UUID userId) {
        if (placing.containsKey(userId)) {
            throw new QuizException(ErrorCode.ALREADY_IN_MATCH, "You are already playing a match.");
        }
        if (queues.contains(userId) || lobbies.contains(userId)) {
            throw new QuizException(ErrorCode.ALREADY_QUEUED, "You are already waiting in a queue or a lobby.");
        }
    }

    private String category(String requested) {
        String category = requested == null ? "" : requested.strip().toLowerCase(Locale.ROOT);
        if (category.isEmpty() || category.equals("any")) {
            return null;
        }
        if (!picker.knowsCategory(category)) {
            throw new QuizException(ErrorCode.UNKNOWN_CATEGORY, "There is no category '" + requested + "'.");
        }
        return category;
    }

    private void requireQuestions(String category, int count) {
        if (picker.available(category) < count) {
            throw new QuizException(ErrorCode.NOT_ENOUGH_QUESTIONS, "There are not enough questions for "
                + (category == null ? "a match" : "category '" + category + "'") + " of " + count + " questions.");
        }
    }

    private static int within(String name, Integer value, int fallback, int min, int max) {
        int chosen = value == null ? fallback : value;
        if (chosen < min || chosen > max) {
            throw new QuizException(ErrorCode.INVALID_SETTINGS, name + " must be between " + min + " and " + max + ".");
        }
        return chosen;
    }

    /** Sends an event to lobby or queue members, one message per node, leaving out {@code except}. */
    private void deliver(Iterable<Waiting> members, UUID except, ServerEvent event) {
        Map<String, List<UUID>> byNode = new HashMap<>();
        for (Waiting member : members) {
            if (!member.player().userId().equals(except)) {
                byNode.computeIfAbsent(member.nodeId(), n -> new ArrayList<>()).add(member.player().userId());
            }
        }
        byNode.forEach((node, users) -> vertx.eventBus().send(Addresses.nodeDeliveries(node), new Delivery(users, event)));
    }
}

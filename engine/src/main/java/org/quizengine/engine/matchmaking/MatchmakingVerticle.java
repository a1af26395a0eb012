package org.quizengine.engine.matchmaking;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matchmaker: quick-match queues and private lobbies. It forms groups, draws their questions,
 * and asks a node (chosen by {@link MatchPlacement}) to start each match. Replies are server
 * events; refusals are failures with an error code.
 */
public final class MatchmakingVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MatchmakingVerticle.class);
    private static final long FILL_CHECK_MILLIS = 200;
    private static final long QUESTION_RELOAD_MILLIS = 60_000;

    private final MatchmakingOptions options;
    private final MatchOptions matchOptions;
    private final Supplier<Future<List<QuestionSpec>>> questionSource;
    private final MatchPlacement placement;
    private final LongSupplier clock;
    private final Random random;
    private final QuickMatchQueues queues = new QuickMatchQueues();
    private final Lobbies lobbies;
    private QuestionPicker picker = new QuestionPicker(List.of());
    private MessageConsumer<MatchmakingCommand> consumer;
    private long loadsStarted;
    private long loadApplied;

    public MatchmakingVerticle(MatchmakingOptions options, MatchOptions matchOptions,
                               Supplier<Future<List<QuestionSpec>>> questionSource, MatchPlacement placement,
                               LongSupplier clock, Random random) {
        this.options = options;
        this.matchOptions = matchOptions;
        this.questionSource = questionSource;
        this.placement = placement;
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

    private void onCommand(Message<MatchmakingCommand> message) {
        try {
            ServerEvent reply = handle(message.body());
            message.reply(reply);
        } catch (QuizException e) {
            message.fail(e.code().busCode(), e.getMessage());
        }
    }

    private ServerEvent handle(MatchmakingCommand command) {
        if (command instanceof JoinQueue join) {
            return joinQueue(join);
        }
        if (command instanceof CreateLobby create) {
            return createLobby(create);
        }
        if (command instanceof JoinLobby join) {
            return joinLobby(join);
        }
        if (command instanceof MatchmakingCommand.LeaveQueue) {
            if (!queues.remove(command.userId())) {
                throw new QuizException(ErrorCode.NOT_QUEUED, "You are not waiting for a quick match.");
            }
            return new ServerEvent.QueueLeft();
        }
        if (command instanceof MatchmakingCommand.LeaveLobby) {
            Lobbies.Departure departure = leaveLobby(command.userId());
            if (departure == null) {
                throw new QuizException(ErrorCode.NOT_IN_LOBBY, "You are not in a lobby.");
            }
            return new ServerEvent.LobbyClosed(departure.lobby().code, "left");
        }
        if (command instanceof MatchmakingCommand.StartLobby) {
            Lobbies.Lobby lobby = lobbies.start(command.userId(), options.minSize());
            startMatch(MatchKind.LOBBY, lobby.settings.category(), new ArrayList<>(lobby.members.values()),
                lobbySettings(lobby.settings));
            return null;
        }
        // PlayerGone: the socket closed; free the player's place wherever it is.
        queues.remove(command.userId());
        leaveLobby(command.userId());
        return null;
    }

    private ServerEvent joinQueue(JoinQueue join) {
        requireFree(join.userId());
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
            // Let the reply reach the player before the match announces itself.
            vertx.runOnContext(v -> startMatch(MatchKind.QUICK, category, group.players(), matchOptions.defaults()));
        }
        return new ServerEvent.Queued(category, size, waiting);
    }

    private ServerEvent createLobby(CreateLobby create) {
        requireFree(create.userId());
        String category = category(create.category());
        int maxPlayers = within("maxPlayers", create.maxPlayers(), options.defaultSize(), options.minSize(), options.maxSize());
        int questions = within("questionCount", create.questionCount(), matchOptions.defaults().questionCount(), 1,
            options.maxLobbyQuestions());
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
        requireFree(join.userId());
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
            startMatch(MatchKind.QUICK, group.key().category(), group.players(), matchOptions.defaults());
        }
    }

    private void startMatch(MatchKind kind, String category, List<Waiting> players, MatchSettings settings) {
        List<PlayerInfo> infos = new ArrayList<>(players.size());
        Map<UUID, String> nodes = new HashMap<>();
        for (Waiting waiting : players) {
            infos.add(waiting.player());
            nodes.put(waiting.player().userId(), waiting.nodeId());
        }
        MatchSpec spec;
        try {
            spec = new MatchSpec(UUID.randomUUID(), kind, category, infos,
                picker.pick(category, settings.questionCount(), random), settings, nodes);
        } catch (IllegalStateException e) {
            failStart(kind, players, ErrorCode.NOT_ENOUGH_QUESTIONS, "There are not enough questions for this match.", e);
            return;
        }
        String node = placement.chooseNode();
        vertx.eventBus().request(Addresses.nodeMatches(node), spec)
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
        if (queues.contains(userId) || lobbies.contains(userId)) {
            throw new QuizException(ErrorCode.ALREADY_QUEUED, "You are already waiting in a queue or a lobby.");
        }
    }

    private String category(String requested) {
        if (requested == null || requested.isBlank() || requested.equalsIgnoreCase("any")) {
            return null;
        }
        String category = requested.trim().toLowerCase(Locale.ROOT);
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

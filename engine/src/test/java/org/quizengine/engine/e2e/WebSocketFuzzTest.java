package org.quizengine.engine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.quizengine.engine.support.Eventually;
import org.quizengine.engine.support.RawWebSocket;
import org.quizengine.engine.support.TestNode;
import org.quizengine.engine.support.TestPlayer;

/**
 * Hostile sockets send generated input while three honest players play a quick match on the same
 * node: mutated frames of every client type, wrong JSON types, huge numbers, deep nesting, text
 * that is not UTF-8, binary frames, fragments (with control frames between them, and never
 * finished), protocol violations, messages over both size limits, floods, and the honest match's
 * own id in other people's frames. The honest players must get every event on time and the
 * scores protocol.md section 7 gives; every hostile frame must be answered with a code
 * protocol.md documents (section 5 for error frames, section 2 for close codes, both read from the
 * document itself), and once the hostile sockets are gone the node's open files and heap must be
 * back where they were.
 *
 * <p>The generator is seeded; the seed is printed. Replay a failure with {@code -Dfuzz.seed=<seed>}
 * (each hostile socket's cases are then the same; how they interleave is up to the scheduler).
 */
class WebSocketFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int HOSTILES = 6;
    private static final int QUESTIONS = 6;
    private static final int QUESTION_MILLIS = 3000;
    private static final int MAX_FRAME = 4096;
    private static final int HARD_LIMIT = 16 * MAX_FRAME;
    /** How late an honest event may be; the CI machine has two noisy cores. */
    private static final long LATE_MILLIS = 2500;
    /** How long a hostile frame may wait for its answer before it counts as a hang. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
    private static final Path PROTOCOL = Stream.of(Path.of("../docs/protocol.md"), Path.of("docs/protocol.md"))
        .filter(Files::exists).findFirst().orElseThrow();

    private final Set<String> documentedErrors = documentedSocketErrorCodes();
    private final Set<Short> documentedCloses = documentedCloseCodes();
    private final Map<String, AtomicInteger> errorsSeen = new ConcurrentHashMap<>();
    private final Map<Short, AtomicInteger> closesSeen = new ConcurrentHashMap<>();
    private final Map<Kind, AtomicInteger> casesRun = new ConcurrentHashMap<>();
    private final AtomicInteger framesSent = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;
    private volatile String honestMatchId = UUID.randomUUID().toString();

    /** What a hostile case sends, each with what it must be answered with. */
    enum Kind {
        MUTATED, WRONG_TYPE, DEEP_NESTING, NOT_UTF8, VALID_FRAGMENTS, BINARY, UNFINISHED, PROTOCOL_VIOLATION,
        OVER_FRAME_LIMIT, OVER_HARD_LIMIT, FLOOD, BIG_FLOOD, OUTSIDER
    }

    @Test
    void hostileSocketsNeitherHarmAnHonestMatchNorTheNode() throws Exception {
        System.out.println("WebSocketFuzzTest seed: " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        long started = System.nanoTime();
        Map<String, String> env = TestNode.fastMatches();
        env.put("QUIZ_MATCH_QUESTION_COUNT", Integer.toString(QUESTIONS));
        env.put("QUIZ_MATCH_QUESTION_MILLIS", Integer.toString(QUESTION_MILLIS));
        env.put("QUIZ_MATCH_COUNTDOWN_MILLIS", "500");
        try (TestNode node = TestNode.start(env)) {
            String run = Long.toString(System.nanoTime() % 100_000);
            List<TestPlayer> honest = new ArrayList<>();
            for (String name : List.of("ann", "ben", "cat")) {
                honest.add(node.register(name + run).connect());
            }
            List<TestPlayer> hostileAccounts = new ArrayList<>();
            for (int i = 0; i < HOSTILES; i++) {
                TestPlayer account = node.register("hostile" + i + "x" + run);
                account.close();
                hostileAccounts.add(account);
            }
            Baseline before = Baseline.measure();

            for (TestPlayer player : honest) {
                player.next("no_match");
                player.send(new JsonObject().put("type", "quick_match").put("size", 3));
            }
            JsonObject starting = honest.get(0).next("match_starting");
            honestMatchId = starting.getString("matchId");

            List<Thread> hostiles = new ArrayList<>();
            for (int i = 0; i < HOSTILES; i++) {
                Hostile hostile = new Hostile(node.port(), hostileAccounts.get(i), new Random(SEED * 31 + i), i < 2);
                Thread thread = new Thread(hostile, "hostile-" + i);
                thread.start();
                hostiles.add(thread);
            }
            try {
                new HonestMatch(honest, starting, new Random(SEED)).play();
            } finally {
                stop = true;
                for (Thread thread : hostiles) {
                    thread.join(ANSWER_WAIT.toMillis() + 5_000);
                }
            }

            assertThat(problems).as("hostile frames answered wrongly or not at all (seed %d)", SEED).isEmpty();
            assertThat(framesSent.get()).as("frames sent").isGreaterThan(500);
            assertThat(casesRun.keySet()).as("every kind of case ran").containsAll(Set.of(Kind.values()));
            assertThat(errorsSeen.keySet()).as("error codes the hostile sockets got, all in protocol.md section 5")
                .isSubsetOf(documentedErrors).doesNotContain("INTERNAL_ERROR");
            assertThat(closesSeen.keySet()).as("close codes the hostile sockets got, all in protocol.md section 2")
                .isSubsetOf(documentedClosesAndDrops());
            HttpResponse<Buffer> ready = honest.get(0).anonymous("/health/ready");
            assertThat(ready.statusCode()).as("the node is still ready: %s", ready.bodyAsString()).isEqualTo(200);
            before.assertRecovered();
            for (TestPlayer player : honest) {
                assertThat(player.all("error")).as("errors %s was sent", player.username).isEmpty();
                player.close();
            }
            System.out.printf("WebSocketFuzzTest seed %d: %d frames in %d cases %s; errors %s; closes %s; %d s%n", SEED,
                framesSent.get(), casesRun.values().stream().mapToInt(AtomicInteger::get).sum(), new TreeMap<>(casesRun),
                new TreeMap<>(errorsSeen), new TreeMap<>(closesSeen), Eventually.millisBetween(started, System.nanoTime()) / 1000);
        }
    }

    /** 1006 is no code a server sends: a dropped connection, which protocol.md says follows one protocol error. */
    private Set<Short> documentedClosesAndDrops() {
        Set<Short> codes = new TreeSet<>(documentedCloses);
        codes.add(RawWebSocket.NO_CLOSE_FRAME);
        return codes;
    }

    /** The codes of protocol.md section 5 that can come in an {@code error} frame (not the REST-only ones). */
    private static Set<String> documentedSocketErrorCodes() {
        Set<String> codes = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| \\d+ \\| (.*) \\|$").matcher(section("## 5. Error codes", "## 6."));
        while (row.find()) {
            if (!row.group(2).startsWith("REST only") && !row.group(2).startsWith("Never a frame")) {
                codes.add(row.group(1));
            }
        }
        assertThat(codes).as("codes read from protocol.md").contains("MALFORMED_MESSAGE", "RATE_LIMITED", "NOT_IN_MATCH");
        return codes;
    }

    /** The codes of protocol.md's table "Close codes the server uses". */
    private static Set<Short> documentedCloseCodes() {
        Set<Short> codes = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d{4}) \\|").matcher(section("### Close codes the server uses", "\n### "));
        while (row.find()) {
            codes.add(Short.valueOf(row.group(1)));
        }
        assertThat(codes).as("close codes read from protocol.md").contains((short) 1008, (short) 4000);
        return codes;
    }

    private static String section(String from, String to) {
        try {
            String doc = Files.readString(PROTOCOL);
            int start = doc.indexOf(from);
            assertThat(start).as("protocol.md has '%s'", from).isNotNegative();
            int end = doc.indexOf(to, start + from.length());
            return doc.substring(start, end < 0 ? doc.length() : end);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The node's open files and heap before the hostile sockets, to compare with after. */
    private record Baseline(long files, long heap) {
        static Baseline measure() {
            return new Baseline(openFiles(), heapAfterGc());
        }

        /**
         * Some files open meanwhile for good: the PostgreSQL pool grows to its 8 connections, and the
         * honest players' REST clients keep theirs alive (about 12 in all); a socket the node failed
         * to let go would leave hundreds, one per hostile connection.
         */
        void assertRecovered() {
            Eventually.await("open files back near " + files + " (now " + openFiles() + ")", Duration.ofSeconds(15),
                () -> openFiles() <= files + 20);
            Eventually.await("heap back near " + heap / 1_048_576 + " MiB (now " + heapAfterGc() / 1_048_576 + " MiB)",
                Duration.ofSeconds(15), () -> heapAfterGc() <= heap + 96L * 1_048_576);
            System.out.printf("WebSocketFuzzTest: open files %d before, %d after; heap %d MiB before, %d MiB after%n", files,
                openFiles(), heap / 1_048_576, heapAfterGc() / 1_048_576);
        }

        private static long openFiles() {
            try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
                return files.count();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        private static long heapAfterGc() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /**
     * Three honest players play the match to its end: ann always answers right, ben right on even
     * questions, cat always wrong and not at all on question 2 (which then closes at its deadline).
     * The right options come from the question bank the node was seeded with.
     */
    private final class HonestMatch {
        private final List<TestPlayer> players;
        private final JsonObject starting;
        private final Random random;
        private final Map<String, Integer> correctByText = questionBank();
        private final Map<UUID, Integer> totals = new HashMap<>();
        private final Map<UUID, Integer> streaks = new HashMap<>();
        private final long wallAtNano0 = System.currentTimeMillis();
        private final long nano0 = System.nanoTime();

        HonestMatch(List<TestPlayer> players, JsonObject starting, Random random) {
            this.players = players;
            this.starting = starting;
            this.random = random;
        }

        void play() throws InterruptedException {
            for (TestPlayer player : players.subList(1, players.size())) {
                assertThat(player.next("match_starting").getString("matchId")).isEqualTo(honestMatchId);
            }
            long opensAt = starting.getLong("startsAt");
            JsonObject lastReveal = null;
            for (int index = 0; index < QUESTIONS; index++) {
                lastReveal = playQuestion(index, opensAt);
                Long next = lastReveal.getLong("nextQuestionAt");
                assertThat(next == null).as("nextQuestionAt absent only after the last question").isEqualTo(index == QUESTIONS - 1);
                opensAt = next == null ? 0 : next;
            }
            for (TestPlayer player : players) {
                JsonObject finished = player.next("match_finished");
                assertThat(finished.getString("matchId")).isEqualTo(honestMatchId);
                assertThat(wallClock(player.arrivedAt(finished)) - finished.getLong("finishedAt"))
                    .as("match_finished on time").isLessThan(LATE_MILLIS);
                for (Object o : finished.getJsonArray("ranking")) {
                    JsonObject standing = (JsonObject) o;
                    assertThat(standing.getInteger("score")).as("final score of %s", standing.getString("username"))
                        .isEqualTo(totals.get(UUID.fromString(standing.getString("userId"))));
                }
            }
            assertStoredAsShown(players.get(0), lastReveal);
        }

        /** Plays one question and checks its reveal; returns the reveal. */
        private JsonObject playQuestion(int index, long opensAt) throws InterruptedException {
            Map<TestPlayer, JsonObject> questions = new HashMap<>();
            for (TestPlayer player : players) {
                JsonObject question = player.next("question", f -> f.getInteger("index") == index);
                long openedAt = question.getLong("openedAt");
                assertThat(openedAt).as("question %d opened when announced", index).isBetween(opensAt, opensAt + LATE_MILLIS);
                assertThat(question.getLong("deadline") - openedAt).isEqualTo(QUESTION_MILLIS);
                assertThat(wallClock(player.arrivedAt(question)) - openedAt).as("question %d reached %s on time", index,
                    player.username).isLessThan(LATE_MILLIS);
                questions.put(player, question);
            }
            JsonObject question = questions.get(players.get(0));
            int correct = correctByText.get(question.getString("text"));
            int options = question.getJsonArray("options").size();
            Map<TestPlayer, Integer> chosen = new HashMap<>();
            chosen.put(players.get(0), correct);
            chosen.put(players.get(1), index % 2 == 0 ? correct : (correct + 1) % options);
            if (index != 2) {
                chosen.put(players.get(2), (correct + 1 + random.nextInt(options - 1)) % options);
            }
            Map<TestPlayer, JsonObject> accepted = new HashMap<>();
            for (TestPlayer player : players) {
                if (chosen.containsKey(player)) {
                    Thread.sleep(100 + random.nextInt(400));
                    player.send(new JsonObject().put("type", "answer").put("index", index).put("option", chosen.get(player)));
                }
            }
            for (TestPlayer player : chosen.keySet()) {
                JsonObject acceptance = player.next("answer_accepted", f -> f.getInteger("index") == index);
                assertThat(acceptance.getInteger("option")).isEqualTo(chosen.get(player));
                accepted.put(player, acceptance);
            }
            JsonObject reveal = null;
            for (TestPlayer player : players) {
                reveal = player.next("reveal", f -> f.getInteger("index") == index);
                assertThat(wallClock(player.arrivedAt(reveal)) - question.getLong("deadline"))
                    .as("reveal %d reached %s by the deadline", index, player.username).isLessThan(LATE_MILLIS);
            }
            assertThat(reveal.getInteger("correctOption")).as("the bank's answer").isEqualTo(correct);
            for (TestPlayer player : players) {
                assertScored(reveal, player, chosen.get(player), accepted.get(player));
            }
            return reveal;
        }

        /** Checks a player's result against protocol.md section 7, and the standings against the sums. */
        private void assertScored(JsonObject reveal, TestPlayer player, Integer option, JsonObject acceptance) {
            JsonObject result = find(reveal.getJsonArray("results"), player.userId);
            int points = 0;
            int streak = 0;
            if (option != null) {
                assertThat(result.getInteger("option")).isEqualTo(option);
                long elapsed = acceptance.getLong("elapsedMs");
                assertThat(result.getLong("elapsedMs")).isEqualTo(elapsed);
                boolean right = option.equals(reveal.getInteger("correctOption"));
                assertThat(result.getBoolean("correct")).isEqualTo(right);
                if (right) {
                    streak = streaks.getOrDefault(player.userId, 0) + 1;
                    long clamped = Math.max(0, Math.min(QUESTION_MILLIS, elapsed));
                    points = 500 + (int) (500 * (QUESTION_MILLIS - clamped) / QUESTION_MILLIS) + 100 * Math.min(streak - 1, 5);
                }
            } else {
                assertThat(result.containsKey("option")).as("%s did not answer", player.username).isFalse();
            }
            assertThat(result.getInteger("points")).as("points of %s on question %d", player.username,
                reveal.getInteger("index")).isEqualTo(points);
            assertThat(result.getInteger("streak")).isEqualTo(streak);
            streaks.put(player.userId, streak);
            totals.merge(player.userId, points, Integer::sum);
            assertThat(find(reveal.getJsonArray("standings"), player.userId).getInteger("score"))
                .isEqualTo(totals.get(player.userId));
        }

        /** What REST stored for the match is what the reveals showed. */
        private void assertStoredAsShown(TestPlayer player, JsonObject lastReveal) {
            Eventually.await("the match is stored", Duration.ofSeconds(15),
                () -> player.get("/api/v1/matches/" + honestMatchId).statusCode() == 200);
            JsonArray stored = player.getJson("/api/v1/matches/" + honestMatchId).getJsonArray("questions");
            assertThat(stored).hasSize(QUESTIONS);
            List<JsonObject> reveals = player.all("reveal").stream()
                .filter(r -> r.getString("matchId").equals(honestMatchId)).toList();
            assertThat(reveals).hasSize(QUESTIONS).last().isEqualTo(lastReveal);
            for (int i = 0; i < QUESTIONS; i++) {
                for (Object o : reveals.get(i).getJsonArray("results")) {
                    JsonObject shown = (JsonObject) o;
                    Optional<JsonObject> answer = stored.getJsonObject(i).getJsonArray("answers").stream()
                        .map(JsonObject.class::cast).filter(a -> a.getString("userId").equals(shown.getString("userId")))
                        .findFirst();
                    assertThat(answer.isPresent()).isEqualTo(shown.containsKey("option"));
                    answer.ifPresent(a -> assertThat(a.getInteger("points")).isEqualTo(shown.getInteger("points")));
                }
            }
        }

        private long wallClock(long nanos) {
            return wallAtNano0 + (nanos - nano0) / 1_000_000;
        }
    }

    private static JsonObject find(JsonArray rows, UUID userId) {
        return rows.stream().map(JsonObject.class::cast).filter(r -> r.getString("userId").equals(userId.toString()))
            .findFirst().orElseThrow(() -> new AssertionError("no row for " + userId + " in " + rows));
    }

    /** The bundled question bank the node seeds itself with: question text to its right option. */
    private static Map<String, Integer> questionBank() {
        try (InputStream in = WebSocketFuzzTest.class.getResourceAsStream("/questions/bank.json")) {
            JsonObject bank = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<String, Integer> correct = new HashMap<>();
            for (Object o : bank.getJsonArray("questions")) {
                JsonObject question = (JsonObject) o;
                correct.put(question.getString("text"), question.getInteger("correct"));
            }
            return correct;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One hostile account: a loop of generated cases on a raw socket, reconnecting whenever the server closes it. */
    private final class Hostile implements Runnable {
        private final int port;
        private final TestPlayer account;
        private final Random random;
        private final HostileFrames frames;
        /** The case numbers at which this socket floods (a big flood only for some sockets). */
        private final int floodAt;
        private final int bigFloodAt;
        private int cases;
        private RawWebSocket socket;
        /** How the last message went out, for the report of a problem with it. */
        private StringBuilder shape = new StringBuilder();

        Hostile(int port, TestPlayer account, Random random, boolean bigFlood) {
            this.port = port;
            this.account = account;
            this.random = random;
            this.frames = new HostileFrames(random);
            this.floodAt = 5 + random.nextInt(30);
            this.bigFloodAt = bigFlood ? 5 + random.nextInt(30) : -1;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    if (socket == null || socket.closeStatus() != null) {
                        open();
                    }
                    Kind kind = pick();
                    socket.drain();
                    casesRun.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                    shape.setLength(0);
                    play(kind);
                    Eventually.sleep(Duration.ofMillis(50 + random.nextInt(70))); // about 10 frames a second, half the limit
                }
            } catch (RuntimeException | AssertionError e) {
                problems.add(account.username + " failed: " + e);
            } finally {
                if (socket != null) {
                    tally(socket);
                    socket.close();
                }
            }
        }

        private void open() {
            if (socket != null) {
                tally(socket);
            }
            socket = RawWebSocket.connect(port, account.token);
            socket.next("welcome");
            Optional<JsonObject> state = socket.next(f -> Set.of("no_match", "match_state", "match_finished", "error")
                .contains(f.getString("type")), ANSWER_WAIT);
            if (state.isEmpty()) {
                problems.add(account.username + ": nothing after welcome");
            }
        }

        /** Records the error codes a socket was sent. */
        private void tally(RawWebSocket ws) {
            for (JsonObject frame : ws.received()) {
                if ("error".equals(frame.getString("type"))) {
                    errorsSeen.computeIfAbsent(String.valueOf(frame.getString("code")), c -> new AtomicInteger()).incrementAndGet();
                }
            }
        }

        private Kind pick() {
            cases++;
            if (cases == bigFloodAt) {
                return Kind.BIG_FLOOD;
            }
            if (cases == floodAt) {
                return Kind.FLOOD;
            }
            Kind[] kinds = {Kind.MUTATED, Kind.MUTATED, Kind.MUTATED, Kind.WRONG_TYPE, Kind.WRONG_TYPE, Kind.DEEP_NESTING,
                Kind.NOT_UTF8, Kind.VALID_FRAGMENTS, Kind.BINARY, Kind.UNFINISHED, Kind.PROTOCOL_VIOLATION,
                Kind.OVER_FRAME_LIMIT, Kind.OVER_HARD_LIMIT, Kind.OUTSIDER, Kind.OUTSIDER};
            Kind kind = kinds[random.nextInt(kinds.length)];
            if (kind == Kind.MUTATED && random.nextInt(25) == 0) {
                return Kind.FLOOD;
            }
            return kind;
        }

        private void play(Kind kind) {
            switch (kind) {
                case MUTATED -> {
                    String text = frames.mutated(honestMatchId);
                    send(text);
                    expectAnswer(kind, text);
                }
                case WRONG_TYPE -> {
                    HostileFrames.Typed typed = frames.wrongType(honestMatchId);
                    send(typed.text());
                    expectError(kind, typed.text(), typed.codes());
                }
                case DEEP_NESTING -> {
                    HostileFrames.Typed deep = frames.deepNesting();
                    send(deep.text());
                    if (deep.codes().isEmpty()) {
                        expectAnswer(kind, "nesting " + deep.text().length());
                    } else {
                        expectError(kind, "nesting " + deep.text().length(), deep.codes());
                    }
                }
                case NOT_UTF8 -> {
                    sendFragmented(RawWebSocket.TEXT, frames.notUtf8(), random.nextInt(3) == 0);
                    expectClose(kind, "not UTF-8", Set.of((short) 1007));
                }
                case VALID_FRAGMENTS -> validFragments();
                case BINARY -> {
                    byte[] bytes = new byte[random.nextInt(3) == 0 ? MAX_FRAME + random.nextInt(MAX_FRAME) : random.nextInt(200)];
                    random.nextBytes(bytes);
                    sendFragmented(RawWebSocket.BINARY, bytes, random.nextBoolean());
                    expectError(kind, "binary of " + bytes.length, Set.of("INVALID_MESSAGE"));
                }
                case UNFINISHED -> unfinished();
                case PROTOCOL_VIOLATION -> {
                    String what = frames.violate(socket);
                    framesSent.incrementAndGet();
                    expectClose(kind, what, Set.of((short) 1002));
                }
                case OVER_FRAME_LIMIT -> overFrameLimit();
                case OVER_HARD_LIMIT -> {
                    byte[] bytes = new byte[HARD_LIMIT + 1 + random.nextInt(8_000)];
                    Arrays.fill(bytes, (byte) 'x');
                    int longest = sendFragmented(RawWebSocket.TEXT, bytes, random.nextBoolean());
                    // protocol.md: a frame over the limit is cut off while it is still coming, and the
                    // close frame can be lost; a message of smaller frames is always answered with 1009.
                    expectClose(kind, "a message of " + bytes.length + " bytes", longest > HARD_LIMIT
                        ? Set.of((short) 1009, RawWebSocket.NO_CLOSE_FRAME) : Set.of((short) 1009));
                }
                case FLOOD -> flood(40 + 20 + random.nextInt(100), kind);
                case BIG_FLOOD -> flood(2_000, kind); // until closed: over 400 dropped within a flood window
                case OUTSIDER -> outsider();
                default -> throw new IllegalStateException("no such case " + kind);
            }
        }

        private void send(String text) {
            socket.sendText(text);
            framesSent.incrementAndGet();
        }

        /**
         * Sends a message in one frame or in two to five fragments, with control frames between them
         * at times; returns the length of its longest frame.
         */
        private int sendFragmented(int opcode, byte[] bytes, boolean fragmented) {
            shape = new StringBuilder(" in frames of");
            if (!fragmented || bytes.length < 2) {
                socket.sendFrame(true, opcode, bytes);
                framesSent.incrementAndGet();
                shape.append(' ').append(bytes.length);
                return bytes.length;
            }
            int longest = 0;
            int pieces = 2 + random.nextInt(4);
            int from = 0;
            for (int i = 0; i < pieces; i++) {
                int to = i == pieces - 1 ? bytes.length : from + random.nextInt(bytes.length - from + 1);
                socket.sendFrame(i == pieces - 1, i == 0 ? opcode : RawWebSocket.CONTINUATION,
                    Arrays.copyOfRange(bytes, from, to));
                framesSent.incrementAndGet();
                shape.append(' ').append(to - from);
                longest = Math.max(longest, to - from);
                if (random.nextInt(3) == 0 && i < pieces - 1) {
                    socket.sendFrame(true, random.nextBoolean() ? RawWebSocket.PING : RawWebSocket.PONG, new byte[random.nextInt(10)]);
                    framesSent.incrementAndGet();
                    shape.append(" (control)");
                }
                from = to;
            }
            return longest;
        }

        private void validFragments() {
            long clientTime = random.nextLong() & Long.MAX_VALUE;
            String text = "{\"type\":\"ping\",\"clientTime\":" + clientTime + ",\"x\":\"" + frames.unicode(20) + "\"}";
            sendFragmented(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
            Optional<JsonObject> pong = socket.next(f -> "pong".equals(f.getString("type"))
                && Long.valueOf(clientTime).equals(f.getLong("clientTime")), ANSWER_WAIT);
            if (pong.isEmpty()) {
                problem(Kind.VALID_FRAGMENTS, "no pong for a fragmented ping " + text);
            }
        }

        /** A message whose last fragment never comes: the client gives up and drops the connection. */
        private void unfinished() {
            socket.sendFrame(false, RawWebSocket.TEXT, "{\"type\":\"pi".getBytes(StandardCharsets.UTF_8));
            framesSent.incrementAndGet();
            for (int i = random.nextInt(3); i > 0; i--) {
                socket.sendFrame(false, RawWebSocket.CONTINUATION, "ng\"".getBytes(StandardCharsets.UTF_8));
                framesSent.incrementAndGet();
            }
            if (random.nextBoolean()) {
                send("{\"type\":\"ping\"}"); // a new message before the last one ended
                // protocol.md: this one drops the connection without a close frame.
                expectClose(Kind.UNFINISHED, "a new message inside a fragmented one", Set.of((short) 1002, RawWebSocket.NO_CLOSE_FRAME));
                return;
            }
            Short closed = socket.awaitClosed(Duration.ofMillis(200));
            if (closed != null) {
                problem(Kind.UNFINISHED, "closed with " + closed + " while a message was under way");
            }
            tally(socket);
            socket.close();
            socket = null;
        }

        private void overFrameLimit() {
            String text = "{\"type\":\"ping\",\"pad\":\"" + "y".repeat(MAX_FRAME + random.nextInt(3 * MAX_FRAME)) + "\"}";
            sendFragmented(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8), random.nextBoolean());
            expectError(Kind.OVER_FRAME_LIMIT, "a frame of " + text.length() + " bytes", Set.of("FRAME_TOO_LARGE"));
        }

        /** Frames with no pause: over the rate limit, and for a big flood past the point where the socket is closed. */
        private void flood(int count, Kind kind) {
            int mark = socket.received().size();
            for (int i = 0; i < count && socket.closeStatus() == null; i++) {
                if (!socket.sendText("{\"type\":\"ping\",\"clientTime\":" + i + "}")) {
                    break;
                }
                framesSent.incrementAndGet();
                if (i % 100 == 99) {
                    Eventually.sleep(Duration.ofMillis(5)); // lets a close overtake the flood, so it stops soon after
                }
            }
            if (kind == Kind.BIG_FLOOD) {
                expectClose(kind, count + " frames at once", Set.of((short) 1008));
                return;
            }
            Optional<JsonObject> limited = socket.next(f -> "error".equals(f.getString("type"))
                && "RATE_LIMITED".equals(f.getString("code")), ANSWER_WAIT);
            if (limited.isEmpty() && socket.closeStatus() == null) {
                problem(kind, "no RATE_LIMITED after " + count + " frames (got " + socket.received().subList(mark,
                    socket.received().size()).size() + " frames)");
            }
            if (socket.closeStatus() != null) {
                expectClose(kind, count + " frames at once", Set.of((short) 1008));
            }
            Eventually.sleep(Duration.ofMillis(2_100)); // the bucket refills at 20 frames a second
        }

        /** The honest match's id in frames from someone who does not play in it. */
        private void outsider() {
            int which = random.nextInt(4);
            if (which == 0 || which == 1) {
                int index = which == 0 ? random.nextInt(QUESTIONS) : (random.nextBoolean() ? Integer.MAX_VALUE : -1);
                String text = "{\"type\":\"answer\",\"matchId\":\"" + honestMatchId + "\",\"index\":" + index
                    + ",\"option\":" + random.nextInt(4) + "}";
                send(text);
                expectError(Kind.OUTSIDER, text, Set.of("NOT_IN_MATCH", "MATCH_NOT_FOUND"));
                return;
            }
            String text = "{\"type\":\"" + (which == 2 ? "resume" : "leave_match") + "\",\"matchId\":\"" + honestMatchId + "\"}";
            send(text);
            expectAnswer(Kind.OUTSIDER, text);
        }

        /** Any frame back, or a close with a documented code. */
        private void expectAnswer(Kind kind, String what) {
            if (socket.next(f -> true, ANSWER_WAIT).isEmpty()) {
                Short closed = socket.closeStatus();
                if (closed == null) {
                    problem(kind, "no answer in " + ANSWER_WAIT + " to " + what);
                } else {
                    record(closed);
                    problem(kind, "closed with " + closed + " '" + socket.closeReason() + "' for " + what);
                }
            }
        }

        private void expectError(Kind kind, String what, Set<String> codes) {
            Optional<JsonObject> error = socket.next(f -> "error".equals(f.getString("type")), ANSWER_WAIT);
            if (error.isEmpty()) {
                Short closed = socket.closeStatus();
                if (closed != null) {
                    record(closed);
                }
                problem(kind, (closed == null ? "no error in " + ANSWER_WAIT : "closed with " + closed) + " for "
                    + abbreviate(what) + ", expected " + codes);
            } else if (!codes.contains(error.get().getString("code"))) {
                problem(kind, error.get().getString("code") + " (" + error.get().getString("message") + ") for "
                    + abbreviate(what) + ", expected " + codes);
            }
        }

        private void expectClose(Kind kind, String what, Set<Short> codes) {
            Short closed = socket.awaitClosed(ANSWER_WAIT);
            if (closed == null) {
                problem(kind, "still open after " + abbreviate(what) + ", expected a close with " + codes);
                tally(socket);
                socket.close();
                return;
            }
            record(closed);
            if (!codes.contains(closed)) {
                problem(kind, "closed with " + closed + " '" + socket.closeReason() + "' after " + abbreviate(what)
                    + ", expected " + codes);
            }
        }

        private void record(short closed) {
            closesSeen.computeIfAbsent(closed, c -> new AtomicInteger()).incrementAndGet();
        }

        private void problem(Kind kind, String what) {
            problems.add(kind + " from " + account.username + ": " + what + shape);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "... (" + text.length() + " chars)";
    }
}

package org.quizengine.engine.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.quizengine.engine.match.MatchHost;
import org.quizengine.engine.match.MatchView;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.Wire;
import org.quizengine.shared.bus.Addresses;

/**
 * An operator's requests about live matches, sent to every node's admin address (each node answers
 * for the matches it plays, so nothing depends on where the match's record is), and the answers.
 * A request is a JSON object with {@code op}: {@code list}, {@code view} or {@code end} (with
 * {@code matchId}, and {@code reason} to end).
 */
public final class LiveMatchRequests {
    /** How long the operator's node waits for each node's answer. */
    static final long TIMEOUT_MS = 3_000;
    private static final String OP = "op";

    private final Vertx vertx;
    private final ClusterView cluster;

    LiveMatchRequests(Vertx vertx, ClusterView cluster) {
        this.vertx = vertx;
        this.cluster = cluster;
    }

    /** The live matches of every node, oldest first, and the nodes that did not answer in time. */
    record Listing(List<JsonObject> matches, List<String> unreachable) {
    }

    Future<Listing> list() {
        List<String> nodes = cluster.nodeIds();
        List<Future<JsonObject>> answers = nodes.stream().map(node -> ask(node, new JsonObject().put(OP, "list"))).toList();
        return Future.join(answers).transform(done -> {
            List<JsonObject> matches = new ArrayList<>();
            List<String> unreachable = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                if (answers.get(i).succeeded()) {
                    answers.get(i).result().getJsonArray("matches").forEach(match -> matches.add((JsonObject) match));
                } else {
                    unreachable.add(nodes.get(i));
                }
            }
            matches.sort(Comparator.comparingLong(match -> match.getLong("startsAt")));
            return Future.succeededFuture(new Listing(matches, unreachable));
        });
    }

    /** The match, from the node that plays it; MATCH_NOT_FOUND if none does, MATCH_FINISHED if it is over. */
    Future<JsonObject> view(UUID matchId) {
        return first(new JsonObject().put(OP, "view").put("matchId", matchId.toString()));
    }

    /** Ends the match on the node that plays it, with the match as it ended. */
    Future<JsonObject> end(UUID matchId, String reason) {
        return first(new JsonObject().put(OP, "end").put("matchId", matchId.toString()).put("reason", reason));
    }

    /**
     * Asks every node; the answer of the one that plays the match wins. Otherwise MATCH_FINISHED if a
     * node still holds it finished, SERVICE_UNAVAILABLE if a node could not be asked (it may be the
     * one), else MATCH_NOT_FOUND.
     */
    private Future<JsonObject> first(JsonObject request) {
        List<Future<JsonObject>> answers = cluster.nodeIds().stream().map(node -> ask(node, request)).toList();
        return Future.join(answers).transform(done -> {
            boolean finished = false;
            boolean unanswered = false;
            for (Future<JsonObject> answer : answers) {
                if (answer.succeeded()) {
                    return Future.succeededFuture(answer.result());
                }
                ErrorCode code = answer.cause() instanceof ReplyException reply ? ErrorCode.fromBusCode(reply.failureCode())
                    : ErrorCode.SERVICE_UNAVAILABLE;
                finished |= code == ErrorCode.MATCH_FINISHED;
                unanswered |= code != ErrorCode.MATCH_FINISHED && code != ErrorCode.MATCH_NOT_FOUND;
            }
            if (finished) {
                return Future.failedFuture(new QuizException(ErrorCode.MATCH_FINISHED, "The match is over."));
            }
            return Future.failedFuture(unanswered
                ? new QuizException(ErrorCode.SERVICE_UNAVAILABLE, "Not every node answered; try again.")
                : new QuizException(ErrorCode.NOT_FOUND, "No such live match."));
        });
    }

    private Future<JsonObject> ask(String node, JsonObject request) {
        return vertx.eventBus().<JsonObject>request(Addresses.nodeAdmin(node), request,
            new DeliveryOptions().setSendTimeout(TIMEOUT_MS)).map(reply -> reply.body());
    }

    /** Whether {@code request} is one of these (rather than another operator request). */
    public static boolean isOne(Object request) {
        return request instanceof JsonObject json && json.containsKey(OP);
    }

    /** A node's answer to {@code request} about the matches it plays. */
    public static Future<JsonObject> answer(MatchHost host, JsonObject request) {
        switch (request.getString(OP, "")) {
            case "list":
                return host.views().map(views -> new JsonObject().put("matches",
                    new JsonArray(views.stream().map(LiveMatchRequests::json).toList())));
            case "view":
                return host.view(UUID.fromString(request.getString("matchId"))).map(LiveMatchRequests::json);
            case "end":
                return host.end(UUID.fromString(request.getString("matchId")), request.getString("reason"))
                    .map(LiveMatchRequests::json);
            default:
                return Future.failedFuture(new QuizException(ErrorCode.INVALID_MESSAGE, "Unknown operator request."));
        }
    }

    private static JsonObject json(MatchView view) {
        return new JsonObject(Wire.encode(view));
    }
}

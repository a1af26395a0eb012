package org.quizengine.engine.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.http.FieldError;
import org.quizengine.api.http.JsonBodies;
import org.quizengine.api.http.Responses;
import org.quizengine.api.http.TextLength;
import org.quizengine.api.http.ValidationException;
import org.quizengine.engine.persistence.ResultOutbox;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.bus.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator endpoints, admin only: {@code GET /admin/nodes} lists the cluster's nodes with their live
 * matches and players, what each believes of the cluster (does it run the matchmaker, which members
 * it sees) and the results still waiting to be stored; {@code POST /admin/nodes/:nodeId/drain} asks a
 * node to drain and leave. {@code GET /admin/matches} lists the live matches of every node,
 * {@code GET /admin/matches/:matchId} shows one and {@code POST /admin/matches/:matchId/end} ends it
 * ({@link LiveMatchRequests}).
 */
public final class OperatorRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutes.class);
    private static final String NO_SUCH_MATCH = "No such live match.";
    private static final String DEFAULT_END_REASON = "An operator ended the match.";
    private static final int MAX_REASON_LENGTH = 200;

    /**
     * One node as an operator sees it. A member that does not report is starting or draining; a
     * node that reports but is no member here is one this node has lost sight of (or a split half).
     */
    public record NodeView(String nodeId, boolean member, boolean reporting, int liveMatches, int players,
                           boolean leader, long reportedAt, boolean runsMatchmaker, List<String> members) {
    }

    /** Results finished but not yet stored in both stores, cluster-wide, and how long the oldest has waited. */
    public record Outbox(int pendingResults, long oldestPendingMillis) {
    }

    /**
     * The answering node's view: its members, every node, the nodes that say they run a matchmaker
     * (more than one is a split brain), whether every reporting node sees the same members, and the
     * outbox ({@code null} when it cannot be read now).
     */
    public record NodeList(String answeredBy, List<String> members, List<String> matchmakers, boolean viewsAgree,
                           Outbox outbox, List<NodeView> nodes) {
    }

    private final Vertx vertx;
    private final String nodeId;
    private final ClusterView cluster;
    private final LeastLoadedPlacement placement;
    private final Supplier<Future<ResultOutbox.Backlog>> backlog;
    private final LiveMatchRequests matches;

    public OperatorRoutes(Vertx vertx, String nodeId, ClusterView cluster, LeastLoadedPlacement placement,
                          Supplier<Future<ResultOutbox.Backlog>> backlog) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.placement = placement;
        this.backlog = backlog;
        this.matches = new LiveMatchRequests(vertx, cluster);
    }

    public void mount(Router router) {
        router.route("/admin/*").handler(Authentication.requireRole(Role.ADMIN));
        router.get("/admin/nodes").handler(this::nodes);
        router.post("/admin/nodes/:nodeId/drain").handler(this::drain);
        router.get("/admin/matches").handler(this::listMatches);
        router.get("/admin/matches/:matchId").handler(this::showMatch);
        router.post("/admin/matches/:matchId/end").handler(this::endMatch);
    }

    private void listMatches(RoutingContext ctx) {
        matches.list()
            .onSuccess(listing -> send(ctx, new JsonObject().put("answeredBy", nodeId)
                .put("matches", new JsonArray(listing.matches()))
                .put("unreachableNodes", new JsonArray(listing.unreachable()))))
            .onFailure(ctx::fail);
    }

    private void showMatch(RoutingContext ctx) {
        UUID matchId = Responses.uuidPath(ctx, "matchId", NO_SUCH_MATCH);
        matches.view(matchId).onSuccess(match -> send(ctx, match)).onFailure(ctx::fail);
    }

    /** Ends a live match: its players get {@code match_finished} with the reason, its result is stored as ended. */
    private void endMatch(RoutingContext ctx) {
        UUID matchId = Responses.uuidPath(ctx, "matchId", NO_SUCH_MATCH);
        JsonObject body = ctx.body().isEmpty() ? new JsonObject() : JsonBodies.requireObject(ctx);
        String reason = body.getValue("reason") instanceof String given ? given.strip() : DEFAULT_END_REASON;
        if (!TextLength.between(reason, 1, MAX_REASON_LENGTH) || reason.codePoints().anyMatch(Character::isISOControl)) {
            throw new ValidationException(List.of(new FieldError("reason",
                "must be 1-" + MAX_REASON_LENGTH + " characters on one line, without control characters")));
        }
        matches.end(matchId, reason).onSuccess(match -> send(ctx, match)).onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private void nodes(RoutingContext ctx) {
        backlog.get()
            .map(read -> new Outbox(read.pending(), read.oldestAgeMillis()))
            .otherwise(e -> {
                LOG.warn("The outbox backlog could not be read for the operator view", e);
                return null;
            })
            .onSuccess(outbox -> Responses.json(ctx, 200, nodeList(outbox)));
    }

    private NodeList nodeList(Outbox outbox) {
        Map<String, NodeStatus> statuses = placement.statuses();
        List<String> members = cluster.nodeIds();
        String leader = members.isEmpty() ? null : cluster.clustered() ? cluster.leaderId() : nodeId;
        Set<String> listed = new LinkedHashSet<>(members);
        listed.addAll(new TreeSet<>(statuses.keySet()));
        List<NodeView> views = new ArrayList<>();
        for (String node : listed) {
            NodeStatus status = statuses.get(node);
            views.add(status == null
                ? new NodeView(node, true, false, 0, 0, node.equals(leader), 0, false, List.of())
                : new NodeView(node, members.contains(node), true, status.liveMatches(), status.players(),
                    node.equals(leader), status.reportedAt(), status.runsMatchmaker(), status.members()));
        }
        List<String> matchmakers = views.stream().filter(NodeView::runsMatchmaker).map(NodeView::nodeId).toList();
        Set<String> seen = Set.copyOf(members);
        boolean agree = statuses.values().stream().allMatch(status -> Set.copyOf(status.members()).equals(seen));
        return new NodeList(nodeId, members, matchmakers, agree, outbox, views);
    }

    private void drain(RoutingContext ctx) {
        String target = ctx.pathParam("nodeId");
        if (!cluster.nodeIds().contains(target)) {
            throw new QuizException(ErrorCode.NOT_FOUND, "No node '" + target + "' in the cluster.");
        }
        vertx.eventBus().request(Addresses.nodeAdmin(target), "drain")
            .onSuccess(reply -> Responses.json(ctx, 202, Map.of("nodeId", target, "draining", true)))
            .onFailure(e -> ctx.fail(new QuizException(ErrorCode.SERVICE_UNAVAILABLE,
                "The node did not take the request: " + (e instanceof ReplyException r ? r.failureType() : e.getMessage()))));
    }
}

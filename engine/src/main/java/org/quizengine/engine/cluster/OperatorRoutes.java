package org.quizengine.engine.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quizengine.api.auth.Authentication;
import org.quizengine.api.auth.Role;
import org.quizengine.api.http.Responses;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.bus.Addresses;

/**
 * Operator endpoints, admin only: {@code GET /admin/nodes} lists the cluster's nodes with their live
 * matches and players; {@code POST /admin/nodes/:nodeId/drain} asks a node to drain and leave.
 */
public final class OperatorRoutes {
    /** One node as an operator sees it; a member that does not report is starting or draining. */
    public record NodeView(String nodeId, boolean member, boolean reporting, int liveMatches, int players,
                           boolean leader, long reportedAt) {
    }

    public record NodeList(String answeredBy, List<NodeView> nodes) {
    }

    private final Vertx vertx;
    private final String nodeId;
    private final ClusterView cluster;
    private final LeastLoadedPlacement placement;

    public OperatorRoutes(Vertx vertx, String nodeId, ClusterView cluster, LeastLoadedPlacement placement) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.placement = placement;
    }

    public void mount(Router router) {
        router.route("/admin/*").handler(Authentication.requireRole(Role.ADMIN));
        router.get("/admin/nodes").handler(this::nodes);
        router.post("/admin/nodes/:nodeId/drain").handler(this::drain);
    }

    private void nodes(RoutingContext ctx) {
        Map<String, NodeStatus> statuses = placement.statuses();
        List<String> members = cluster.nodeIds();
        String leader = members.isEmpty() ? null : cluster.clustered() ? cluster.leaderId() : nodeId;
        List<NodeView> views = new ArrayList<>();
        for (String member : members) {
            NodeStatus status = statuses.get(member);
            views.add(new NodeView(member, true, status != null, status == null ? 0 : status.liveMatches(),
                status == null ? 0 : status.players(), member.equals(leader), status == null ? 0 : status.reportedAt()));
        }
        Responses.json(ctx, 200, new NodeList(nodeId, views));
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

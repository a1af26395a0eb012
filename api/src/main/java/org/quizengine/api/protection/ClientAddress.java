package org.quizengine.api.protection;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * Decides, once per request, which address the client has: the socket's peer, or, only when that
 * peer is a {@link TrustedProxies trusted proxy}, the address it forwarded. Rate limits and login
 * throttling count by this address.
 *
 * <p>{@code X-Forwarded-For} is read from the right: each proxy appends the peer it saw, so the
 * right-most entry that is not itself a trusted proxy is the first address no proxy of ours vouches
 * for. Entries to its left were written by the client and could be anything.
 */
public final class ClientAddress implements Handler<RoutingContext> {
    private static final String KEY = ClientAddress.class.getName();
    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String UNKNOWN = "unknown";

    private final TrustedProxies proxies;

    public ClientAddress(TrustedProxies proxies) {
        this.proxies = Objects.requireNonNull(proxies, "proxies");
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.put(KEY, resolve(ctx));
        ctx.next();
    }

    /** The client's address for this request. */
    public static String of(RoutingContext ctx) {
        String address = ctx.get(KEY);
        return address != null ? address : peer(ctx);
    }

    private String resolve(RoutingContext ctx) {
        String peer = peer(ctx);
        if (!proxies.trusts(peer)) {
            return peer;
        }
        // Several headers count as one list, in order.
        String forwarded = String.join(",", ctx.request().headers().getAll(FORWARDED_FOR));
        return forwarded.isBlank() ? peer : rightMostUntrusted(forwarded, peer);
    }

    private String rightMostUntrusted(String header, String fallback) {
        String[] hops = header.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = TrustedProxies.normalise(hops[i]);
            if (hop == null) {
                // Garbage where an address should be: believe no further than the last good hop.
                return fallback;
            }
            if (!proxies.trusts(hop)) {
                return hop;
            }
            fallback = hop;
        }
        return fallback;
    }

    private static String peer(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        if (remote == null || remote.hostAddress() == null) {
            return UNKNOWN;
        }
        String normalised = TrustedProxies.normalise(remote.hostAddress());
        return normalised != null ? normalised : remote.hostAddress();
    }
}

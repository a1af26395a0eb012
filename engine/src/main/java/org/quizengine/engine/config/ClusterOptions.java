package org.quizengine.engine.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whether and how this node joins a cluster of nodes sharing one event bus.
 *
 * @param discovery             {@code members} (a TCP/IP member list: loopback, compose, fixed hosts),
 *                              {@code multicast} (a LAN) or {@code kubernetes} (pods behind a service)
 * @param members               for {@code members}: hosts to try, comma-separated ({@code host} or
 *                              {@code host:port}; without a port the cluster ports are scanned)
 * @param networkInterface      the interface to bind and advertise, or null for Hazelcast's choice
 * @param heartbeatSeconds      how often members tell each other they are alive
 * @param maxNoHeartbeatSeconds silence after which a member is declared dead: a frozen node's matches
 *                              move after this long; too short, and a GC pause looks like a death
 * @param minMembers            split-brain protection: a side of the cluster with fewer members can
 *                              neither read nor write the engine's shared maps, runs no matchmaker and
 *                              is not ready; 1 turns it off. Set a majority (2 of 3, 3 of 5).
 * @param kubernetesServiceDns  for {@code kubernetes}: the DNS name of a headless Service whose
 *                              addresses are the nodes' pods (Hazelcast's DNS lookup mode: no access
 *                              to the Kubernetes API, so no RBAC); null for the API mode, which reads
 *                              the endpoints of {@code kubernetesServiceName} in
 *                              {@code kubernetesNamespace} and needs a Role allowing it
 * @param ioThreads             Hazelcast I/O threads each way: more than a node's live member
 *                              connections, so that a connection stalled on a frozen member rarely
 *                              shares a thread with a live one (docs/cluster.md, section 3)
 */
public record ClusterOptions(boolean enabled, String name, Discovery discovery, List<String> members,
                             String networkInterface, int port, int heartbeatSeconds, int maxNoHeartbeatSeconds,
                             String kubernetesNamespace, String kubernetesServiceName, int minMembers,
                             String kubernetesServiceDns, int ioThreads) {

    public enum Discovery { MEMBERS, MULTICAST, KUBERNETES }

    public static final int DEFAULT_PORT = 5701;

    public ClusterOptions {
        members = List.copyOf(members);
        if (minMembers < 1) {
            throw new ConfigException("cluster.minMembers must be at least 1");
        }
        if (maxNoHeartbeatSeconds <= heartbeatSeconds) {
            throw new ConfigException("cluster.maxNoHeartbeatSeconds must be greater than cluster.heartbeatSeconds");
        }
        if (kubernetesServiceDns != null && kubernetesServiceName != null) {
            // Hazelcast refuses both at once when the member starts; say so at configuration time instead.
            throw new ConfigException("cluster.kubernetesServiceDns (DNS lookup) and cluster.kubernetesServiceName "
                + "(Kubernetes API) are two discovery modes: set one");
        }
    }

    static ClusterOptions from(Section cluster, boolean enabled) {
        String discovery = cluster.string("discovery");
        Discovery mode;
        try {
            mode = Discovery.valueOf(discovery.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(cluster.describe("discovery") + " must be members, multicast or kubernetes, was '"
                + discovery + "'");
        }
        String members = cluster.optionalString("members");
        List<String> hosts = members == null ? List.of() : Arrays.stream(members.split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (enabled && mode == Discovery.MEMBERS && hosts.isEmpty()) {
            throw new ConfigException(cluster.describe("members") + " must list at least one host");
        }
        return new ClusterOptions(enabled, cluster.string("name"), mode, hosts, cluster.optionalString("interface"),
            cluster.intIn("port", 1, 65535), cluster.intIn("heartbeatSeconds", 1, 60),
            cluster.intIn("maxNoHeartbeatSeconds", 2, 600), cluster.optionalString("kubernetesNamespace"),
            cluster.optionalString("kubernetesServiceName"), cluster.intIn("minMembers", 1, 99),
            cluster.optionalString("kubernetesServiceDns"), cluster.intIn("ioThreads", 1, 64));
    }
}

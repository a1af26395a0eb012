package org.quizengine.api.protection;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The peers (load balancers, reverse proxies) whose {@code X-Forwarded-For} header is believed.
 * Exact IP addresses only, no host names (no DNS look-up at start) and no ranges. Empty by default:
 * the client address is then always the socket's peer, since anyone can send the header.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(Set.of());

    private final Set<String> addresses;

    private TrustedProxies(Set<String> addresses) {
        this.addresses = Set.copyOf(addresses);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /** Parses a comma separated list of IP addresses; anything else is an {@link IllegalArgumentException}. */
    public static TrustedProxies parse(String commaSeparated) {
        Set<String> addresses = new LinkedHashSet<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                String address = part.trim();
                if (address.isEmpty()) {
                    continue;
                }
                String normalised = normalise(address);
                if (normalised == null) {
                    throw new IllegalArgumentException("'" + address + "' is not an IP address");
                }
                addresses.add(normalised);
            }
        }
        return new TrustedProxies(addresses);
    }

    public boolean trusts(String address) {
        String normalised = normalise(address);
        return normalised != null && addresses.contains(normalised);
    }

    public Set<String> addresses() {
        return addresses;
    }

    /** The one spelling of an IP address ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same), or null. */
    static String normalise(String address) {
        if (address == null) {
            return null;
        }
        String literal = address.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return addresses.toString();
    }
}

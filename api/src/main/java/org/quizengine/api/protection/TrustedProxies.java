package org.quizengine.api.protection;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The peers (load balancers, reverse proxies) whose {@code X-Forwarded-For} header is believed: IP
 * addresses, and address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) for proxies
 * whose address changes, such as a Kubernetes ingress controller's pods. No host names (no DNS
 * look-up at start). Empty by default: the client address is then always the socket's peer, since
 * anyone can send the header.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(Set.of(), List.of());

    /** The entries as configured, each in its one spelling ({@code 10.0.0.0/8}, {@code 127.0.0.1}). */
    private final Set<String> addresses;
    private final List<Range> ranges;

    private TrustedProxies(Set<String> addresses, List<Range> ranges) {
        this.addresses = Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
        this.ranges = List.copyOf(ranges);
    }

    /** The addresses whose first {@code prefixBits} bits are those of {@code network}; an exact address is all its bits. */
    private record Range(byte[] network, int prefixBits) {
        static Range of(byte[] address, int prefixBits) {
            byte[] network = address.clone();
            for (int bit = prefixBits; bit < network.length * 8; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return new Range(network, prefixBits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            String address = text(network);
            return prefixBits == network.length * 8 ? address : address + "/" + prefixBits;
        }
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma separated list of IP addresses and CIDR ranges (bits past the prefix are ignored:
     * {@code 10.1.2.3/8} is {@code 10.0.0.0/8}); anything else is an {@link IllegalArgumentException}.
     */
    public static TrustedProxies parse(String commaSeparated) {
        Set<String> addresses = new LinkedHashSet<>();
        List<Range> ranges = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                String entry = part.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                Range range = range(entry);
                if (addresses.add(range.toString())) {
                    ranges.add(range);
                }
            }
        }
        return new TrustedProxies(addresses, ranges);
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] bytes = bytes(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range (such as 10.0.0.0/8)");
        }
        int maxBits = bytes.length * 8;
        if (slash < 0) {
            return Range.of(bytes, maxBits);
        }
        String prefix = entry.substring(slash + 1).trim();
        if (address.contains(":") && bytes.length == 4) {
            throw new IllegalArgumentException("'" + entry + "' is an IPv4-mapped IPv6 range: write it as an IPv4 range");
        }
        int bits = prefix.matches("[0-9]{1,3}") ? Integer.parseInt(prefix) : -1;
        if (bits < 1 || bits > maxBits) {
            throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not a whole number from 1 to "
                + maxBits + " (a /0 would trust every address, and let every client choose its own)");
        }
        return Range.of(bytes, bits);
    }

    /** Whether {@code address} (any spelling of an IP address) is a trusted proxy's. */
    public boolean trusts(String address) {
        byte[] bytes = bytes(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The trusted addresses and ranges in their one spelling, bits past a range's prefix cleared ({@code 10.0.0.128/25}). */
    public Set<String> addresses() {
        return addresses;
    }

    /** The one spelling of an IP address ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same), or null. */
    static String normalise(String address) {
        byte[] bytes = bytes(address);
        return bytes == null ? null : text(bytes);
    }

    /**
     * The address's bytes: 4 for IPv4, also when written as an IPv4-mapped IPv6 address
     * ({@code ::ffff:10.0.0.1}), 16 for IPv6; null if it is not an IP address.
     */
    private static byte[] bytes(String address) {
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
            return InetAddress.getByAddress(bytes).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public String toString() {
        return addresses.toString();
    }
}

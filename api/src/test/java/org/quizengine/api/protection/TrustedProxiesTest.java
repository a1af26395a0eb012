package org.quizengine.api.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which peers' {@code X-Forwarded-For} is believed: exact addresses and CIDR ranges, in any spelling. */
class TrustedProxiesTest {

    @Test
    void anExactAddressTrustsThatAddressInAnySpellingAndNoOther() {
        TrustedProxies proxies = TrustedProxies.parse(" 10.0.0.1 , ::1 ");

        assertThat(proxies.trusts("10.0.0.1")).isTrue();
        assertThat(proxies.trusts("::ffff:10.0.0.1")).as("IPv4-mapped IPv6").isTrue();
        assertThat(proxies.trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.trusts("[::1]")).isTrue();
        assertThat(proxies.trusts("10.0.0.2")).isFalse();
        assertThat(proxies.trusts("not an address")).isFalse();
        assertThat(proxies.trusts(null)).isFalse();
    }

    @Test
    void aRangeTrustsEveryAddressInItAndNoneOutside() {
        TrustedProxies proxies = TrustedProxies.parse("10.244.0.0/16,172.16.0.0/12,fd00::/8");

        assertThat(List.of("10.244.0.0", "10.244.255.255", "10.244.3.17", "172.16.0.1", "172.31.255.254", "fd12:3456::1"))
            .allMatch(proxies::trusts);
        assertThat(List.of("10.245.0.0", "10.243.255.255", "172.32.0.1", "172.15.255.255", "fe80::1", "::1"))
            .noneMatch(proxies::trusts);
    }

    @Test
    void prefixLengthsAtTheEdgesWork() {
        assertThat(TrustedProxies.parse("0.0.0.0/1").trusts("127.255.0.1")).isTrue();
        assertThat(TrustedProxies.parse("0.0.0.0/1").trusts("128.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/1").trusts("::1")).as("an IPv4 range holds no IPv6 address").isFalse();
        assertThat(TrustedProxies.parse("10.0.0.1/32").trusts("10.0.0.1")).isTrue();
        assertThat(TrustedProxies.parse("10.0.0.1/32").trusts("10.0.0.0")).isFalse();
        assertThat(TrustedProxies.parse("10.0.0.129/25").trusts("10.0.0.128")).as("bits past the prefix are ignored").isTrue();
        assertThat(TrustedProxies.parse("10.0.0.129/25").trusts("10.0.0.127")).isFalse();
        assertThat(TrustedProxies.parse("10.0.0.129/25").addresses()).containsExactly("10.0.0.128/25");
    }

    @Test
    void anythingElseIsRefusedWithTheEntryNamed() {
        for (String bad : List.of("proxy.internal", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "/8",
            "10.0.0.0/eight", "10.0.0.0/ 8x", "300.1.1.1", "10.0.0.0/0008", "0.0.0.0/0", "::/0", "::ffff:10.0.0.0/104")) {
            assertThatThrownBy(() -> TrustedProxies.parse("127.0.0.1, " + bad)).as(bad)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.trim());
        }
    }

    @Test
    void nothingConfiguredTrustsNobody() {
        assertThat(TrustedProxies.parse("").addresses()).isEmpty();
        assertThat(TrustedProxies.parse(" , ").trusts("127.0.0.1")).isFalse();
        assertThat(TrustedProxies.none().trusts("127.0.0.1")).isFalse();
    }
}

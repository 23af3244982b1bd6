package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7239 and X-Forwarded-For, believed only as far as our own proxies wrote them. */
class ClientAddressTest {

  final ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/8", "2001:db8:ff::/48"));

  @Test
  void clientWhenHopsThenRightmostThatIsNotATrustedProxy() {
    assertThat(proxies.client("10.0.0.1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    // A client cannot pick its address by sending a header: the entry our proxy appended wins.
    assertThat(proxies.client("10.0.0.1", List.of("198.51.100.1", "203.0.113.9", "10.2.3.4")))
        .isEqualTo("203.0.113.9");
    assertThat(proxies.client("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
    assertThat(proxies.client("10.0.0.1", List.of("10.0.0.7"))).isEqualTo("10.0.0.7");
  }

  @Test
  void clientWhenEntryIsNotAnAddressThenStopsAtTheProxyBeforeIt() {
    assertThat(proxies.client("10.0.0.1", List.of("203.0.113.9", "_hidden"))).isEqualTo("10.0.0.1");
    // Never a DNS lookup for a name someone sent.
    assertThat(ClientAddress.literal("evil.example")).isNull();
    assertThat(ClientAddress.literal("1.2.3.4.example")).isNull();
    assertThat(ClientAddress.literal("unknown")).isNull();
  }

  @Test
  void forwardedWhenRfc7239SyntaxThenForValuesWithoutQuotesPortsOrBrackets() {
    List<String> hops = ClientAddress.forwardedFor(
        "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\", for=unknown");
    assertThat(hops).containsExactly("192.0.2.60", "\"[2001:db8:cafe::17]:4711\"", "unknown");
    assertThat(ClientAddress.strip(hops.get(1))).isEqualTo("2001:db8:cafe::17");
    assertThat(ClientAddress.strip("192.0.2.60:8080")).isEqualTo("192.0.2.60");
    assertThat(ClientAddress.strip("2001:db8::1")).isEqualTo("2001:db8::1");
  }

  @Test
  void cidrWhenMatchedThenByPrefixAndFamily() {
    ClientAddress.Cidr v4 = ClientAddress.Cidr.parse("10.0.0.0/8");
    assertThat(v4.contains(ClientAddress.literal("10.255.1.2"))).isTrue();
    assertThat(v4.contains(ClientAddress.literal("11.0.0.1"))).isFalse();
    assertThat(v4.contains(ClientAddress.literal("::ffff:0a00:0001"))).isTrue();
    ClientAddress.Cidr v6 = ClientAddress.Cidr.parse("2001:db8:ff::/48");
    assertThat(v6.contains(ClientAddress.literal("2001:db8:ff:1::2"))).isTrue();
    assertThat(v6.contains(ClientAddress.literal("2001:db8:fe::2"))).isFalse();
    assertThat(ClientAddress.Cidr.parse("127.0.0.1").contains(ClientAddress.literal("127.0.0.1")))
        .isTrue();
    assertThatThrownBy(() -> ClientAddress.Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientAddress.Cidr.parse("proxy.example"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

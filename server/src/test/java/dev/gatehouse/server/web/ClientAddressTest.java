package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.ServerRequest;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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

  /** A request from {@code peer} with {@code headers} (name, value, name, value...). */
  static ServerRequest request(SocketAddress peer, String... headers) {
    WritableHeaders<?> h = WritableHeaders.create();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(HeaderNames.create(headers[i]), headers[i + 1]);
    }
    PeerInfo info = (PeerInfo) Proxy.newProxyInstance(PeerInfo.class.getClassLoader(),
        new Class<?>[] {PeerInfo.class}, (proxy, method, args) -> {
          if (method.getName().equals("address")) {
            return peer;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    ServerRequestHeaders requestHeaders = ServerRequestHeaders.create(h);
    return (ServerRequest) Proxy.newProxyInstance(ServerRequest.class.getClassLoader(),
        new Class<?>[] {ServerRequest.class}, (proxy, method, args) -> switch (method.getName()) {
          case "remotePeer" -> info;
          case "headers" -> requestHeaders;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  static SocketAddress peer(String ip) {
    // An IP literal: no lookup.
    return new InetSocketAddress(ip, 4711);
  }

  @Test
  void ofWhenPeerNotTrustedThenThePeerWhateverItSends() {
    assertThat(proxies.of(request(peer("203.0.113.9"), "X-Forwarded-For", "198.51.100.1",
        "Forwarded", "for=198.51.100.2"))).isEqualTo("203.0.113.9");
    assertThat(new ClientAddress(List.of()).of(request(peer("10.0.0.1"), "Forwarded",
        "for=198.51.100.2"))).isEqualTo("10.0.0.1");
  }

  @Test
  void ofWhenPeerTrustedThenForwardedPreferredToXForwardedFor() {
    assertThat(proxies.of(request(peer("10.0.0.1"), "X-Forwarded-For", "198.51.100.1",
        "Forwarded", "for=198.51.100.2"))).isEqualTo("198.51.100.2");
    // Several Forwarded lines are one list: the last line's entry is the nearest.
    assertThat(proxies.of(request(peer("10.0.0.1"), "Forwarded", "for=198.51.100.2",
        "Forwarded", "for=\"[2001:db8:cafe::17]:4711\""))).isEqualTo("2001:db8:cafe:0:0:0:0:17");
  }

  @Test
  void ofWhenPeerTrustedAndOnlyXForwardedForThenItsRightmostUntrustedEntry() {
    assertThat(proxies.of(request(peer("10.0.0.1"), "X-Forwarded-For", "198.51.100.1, 203.0.113.9",
        "X-Forwarded-For", "10.2.3.4"))).isEqualTo("203.0.113.9");
    // No forwarding header at all: the proxy is all there is to see.
    assertThat(proxies.of(request(peer("10.0.0.1")))).isEqualTo("10.0.0.1");
  }

  @Test
  void ofWhenThePeerIsNoInternetAddressThenUnknown() {
    assertThat(proxies.of(request(UnixDomainSocketAddress.of("/run/gatehouse.sock"))))
        .isEqualTo("unknown");
  }

  @Test
  void newWhenBlankEntriesInTheListThenIgnored() {
    ClientAddress blanks = new ClientAddress(List.of("", "  ", "10.0.0.0/8"));
    assertThat(blanks.client("10.0.0.1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(blanks.client("192.0.2.1", List.of())).isEqualTo("192.0.2.1");
  }

  @Test
  void stripWhenEdgeCasesThenTheAddressOrNothing() {
    assertThat(ClientAddress.strip("\"\"")).isEmpty();
    assertThat(ClientAddress.strip("\"192.0.2.60\"")).isEqualTo("192.0.2.60");
    assertThat(ClientAddress.strip("\"")).isEqualTo("\"");
    assertThat(ClientAddress.strip("[2001:db8::1")).isEmpty();
    assertThat(ClientAddress.strip("[2001:db8::1]")).isEqualTo("2001:db8::1");
    // A port alone is no address.
    assertThat(ClientAddress.strip(":8080")).isEmpty();
  }

  @Test
  void cidrWhenSingleAddressThenOnlyThatAddress() {
    ClientAddress.Cidr v4 = ClientAddress.Cidr.parse(" 192.0.2.1 ");
    assertThat(v4.bits()).isEqualTo(32);
    assertThat(v4.contains(ClientAddress.literal("192.0.2.1"))).isTrue();
    assertThat(v4.contains(ClientAddress.literal("192.0.2.0"))).isFalse();
    ClientAddress.Cidr v6 = ClientAddress.Cidr.parse("2001:db8::1");
    assertThat(v6.bits()).isEqualTo(128);
    assertThat(v6.contains(ClientAddress.literal("2001:db8::1"))).isTrue();
    assertThat(v6.contains(ClientAddress.literal("2001:db8::"))).isFalse();
    assertThat(v6.contains(null)).isFalse();
  }

  @Test
  void cidrWhenPrefixLengthsAtTheEndsThenAcceptedAndOneBeyondRefused() {
    ClientAddress.Cidr all4 = ClientAddress.Cidr.parse("0.0.0.0/0");
    assertThat(all4.contains(ClientAddress.literal("255.255.255.255"))).isTrue();
    assertThat(all4.contains(ClientAddress.literal("2001:db8::1"))).isFalse();
    ClientAddress.Cidr one4 = ClientAddress.Cidr.parse("192.0.2.1/32");
    assertThat(one4.contains(ClientAddress.literal("192.0.2.1"))).isTrue();
    assertThat(one4.contains(ClientAddress.literal("192.0.2.3"))).isFalse();
    ClientAddress.Cidr all6 = ClientAddress.Cidr.parse("::/0");
    assertThat(all6.contains(ClientAddress.literal("2001:db8::1"))).isTrue();
    ClientAddress.Cidr one6 = ClientAddress.Cidr.parse("2001:db8::1/128");
    assertThat(one6.contains(ClientAddress.literal("2001:db8::1"))).isTrue();
    assertThat(one6.contains(ClientAddress.literal("2001:db8::3"))).isFalse();
    for (String bad : List.of("2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/x", "/8")) {
      assertThatThrownBy(() -> ClientAddress.Cidr.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

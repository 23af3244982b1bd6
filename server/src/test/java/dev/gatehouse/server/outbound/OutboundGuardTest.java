package dev.gatehouse.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "0.0.0.0", "10.1.2.3", "172.16.0.1",
      "172.31.255.255", "192.168.1.1", "169.254.169.254", "169.254.1.1", "100.64.0.1",
      "100.100.100.200", "192.0.0.192", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1", "::",
      "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "64:ff9b::7f00:1", "64:ff9b:1::1",
      "2002:7f00:1::1", "2002:a00:1::", "2001:db8::1", "2001::1", "::7f00:1"})
  void permitsWhenAddressIsNotPublicThenFalse(String address) throws Exception {
    assertThat(OutboundGuard.STRICT.permits(InetAddress.getByName(address))).isFalse();
  }

  @Test
  void permitsWhenIpv4MappedIpv6OfLoopbackThenFalse() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    // Kept as IPv6: InetAddress.getByName would turn it into 127.0.0.1 before the guard saw it.
    assertThat(OutboundGuard.STRICT.permits(Inet6Address.getByAddress(null, mapped, null)))
        .isFalse();
    byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 93, (byte) 184,
        (byte) 216, 34};
    assertThat(OutboundGuard.STRICT.permits(Inet6Address.getByAddress(null, mappedPublic, null)))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808",
      "2002:808:808::1"})
  void permitsWhenAddressIsPublicThenTrue(String address) throws Exception {
    assertThat(OutboundGuard.STRICT.permits(InetAddress.getByName(address))).isTrue();
  }

  @Test
  void permitsWhenAllowListedThenTrueButMetadataOnlyWhenNamedExactly() throws Exception {
    OutboundGuard guard = OutboundGuard.allowing(List.of(Cidr.parse("10.0.0.0/8"),
        Cidr.parse("169.254.0.0/16"), Cidr.parse("127.0.0.1")));
    assertThat(guard.permits(InetAddress.getByName("10.9.8.7"))).isTrue();
    assertThat(guard.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(guard.permits(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(guard.permits(InetAddress.getByName("169.254.1.1"))).isTrue();
    assertThat(guard.permits(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(OutboundGuard.allowing(List.of(Cidr.parse("169.254.169.254/32")))
        .permits(InetAddress.getByName("169.254.169.254"))).isTrue();
  }

  @Test
  void resolveWhenAnyRecordIsInternalThenRefused() throws Exception {
    OutboundGuard guard = new OutboundGuard(List.of(), host -> new InetAddress[] {
        InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.resolve("mixed.example"))
        .isInstanceOf(OutboundGuard.Refused.class);
    assertThat(guard.problem("https://mixed.example/hook")).contains("not allowed");
  }

  @Test
  void problemWhenNameDoesNotResolveThenAcceptedForNow() {
    OutboundGuard guard = new OutboundGuard(List.of(), host -> {
      throw new java.net.UnknownHostException(host);
    });
    assertThat(guard.problem("https://not-yet.example/hook")).isNull();
    assertThat(guard.problem("ftp://x.example/")).isNotNull();
  }

  @Test
  void cidrWhenNotALiteralThenRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse("internal.example/8"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Cidr.parse("fd00::/8").contains(new byte[16])).isFalse();
  }
}

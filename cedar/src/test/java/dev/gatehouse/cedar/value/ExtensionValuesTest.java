package dev.gatehouse.cedar.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtensionValuesTest {
  @Test
  void ipWhenLeadingZerosThenRejected() {
    assertThatThrownBy(() -> IpAddr.parse("01.0.0.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddr.parse("10.0.0.0/08")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpAddr.parse("::ffff:1.2.3.4")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipWhenV6ThenParsed() {
    IpAddr a = IpAddr.parse("::1");
    assertThat(a.isIpv6()).isTrue();
    assertThat(a.isLoopback()).isTrue();
    assertThat(IpAddr.parse("ff02::1/16").isMulticast()).isTrue();
    assertThat(IpAddr.parse("1:2:3:4:5:6:7:8")).isEqualTo(IpAddr.parse("1:2:3:4:5:6:7:8/128"));
    assertThatThrownBy(() -> IpAddr.parse("1:2:3:4:5:6:7::8")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipWhenRangeThenContainment() {
    assertThat(IpAddr.parse("192.168.1.0/24").isInRange(IpAddr.parse("192.168.0.0/16"))).isTrue();
    assertThat(IpAddr.parse("192.168.0.0/16").isInRange(IpAddr.parse("192.168.1.0/24"))).isFalse();
    assertThat(IpAddr.parse("127.0.0.1/7").isLoopback()).isFalse();
  }

  @Test
  void decimalWhenParsedThenScaled() {
    assertThat(Decimal.parse("-922337203685477.5808").scaled()).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> Decimal.parse("922337203685477.5808")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Decimal.parse("0.12345")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Decimal.parse("1.")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void datetimeWhenOffsetThenNormalisedToUtc() {
    assertThat(DateTime.parse("2024-10-15T11:38:02.101+1134"))
        .isEqualTo(DateTime.parse("2024-10-15T00:04:02.101Z"));
    assertThatThrownBy(() -> DateTime.parse("2025-02-29")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DateTime.parse("2024-01-01T00:00:00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DateTime.parse("2016-12-31T23:59:60Z")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationWhenUnitsThenMillis() {
    assertThat(Duration.parse("1d2h3m4s5ms").millis()).isEqualTo(93_784_005L);
    assertThat(Duration.parse("-1s").millis()).isEqualTo(-1000L);
    assertThatThrownBy(() -> Duration.parse("1s1h")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Duration.parse("-")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Duration.parse("9223372036854775807d")).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Refused Redis values are counted per kind where an operator can alert on them. */
class TamperingTest {

  @Test
  void rejectedWhenRecordedThenCountedPerKindInPrometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Tampering tampering = new Tampering(registry);
    tampering.rejected("cache", "gh:i:acme:client:app");
    tampering.rejected("cache", "gh:i:acme:keys:-");
    tampering.rejected("invalidation", "gatehouse:invalidate:i (MAC wrong)");
    assertThat(tampering.count("cache")).isEqualTo(2);
    assertThat(tampering.count("flag")).isZero();
    String scrape = registry.scrape();
    assertThat(scrape).contains("gatehouse_redis_rejected_total{what=\"cache\"} 2.0")
        .contains("gatehouse_redis_rejected_total{what=\"invalidation\"} 1.0");
  }
}

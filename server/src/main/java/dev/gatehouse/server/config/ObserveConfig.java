package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Settings of tracing and of the metrics that could grow with the number of tenants.
 *
 * @param tracing whether the node records spans and sends them over OTLP ({@code
 *     tracing.enabled}, false: no span is made, the request path pays nothing for tracing)
 * @param endpoint where spans go, OTLP over HTTP with protobuf ({@code tracing.endpoint},
 *     {@code http://localhost:4318/v1/traces}: a collector or backend on this host)
 * @param sampleRatio share of new traces recorded, 0 to 1 ({@code tracing.sample-ratio}, 1); a
 *     request that arrives with a {@code traceparent} follows its caller's sampling decision
 * @param exportDelay longest a finished span waits before it is sent ({@code
 *     tracing.export-delay-ms}, 2000)
 * @param serviceName the {@code service.name} of the spans ({@code tracing.service-name},
 *     {@code gatehouse})
 * @param tenantSeries tenants that get series of their own in the key age metrics, the ones with
 *     the oldest keys first ({@code metrics.tenant-series}, 20; 0: aggregates only)
 * @param keyRotation how old an active signing key may grow before the metrics call it due for
 *     rotation ({@code keys.rotation-days}, 90); rotation itself stays an operator's command
 */
public record ObserveConfig(boolean tracing, String endpoint, double sampleRatio,
    Duration exportDelay, String serviceName, int tenantSeries, Duration keyRotation) {

  public static final ObserveConfig DEFAULTS = new ObserveConfig(false,
      "http://localhost:4318/v1/traces", 1.0, Duration.ofSeconds(2), "gatehouse", 20,
      Duration.ofDays(90));
}

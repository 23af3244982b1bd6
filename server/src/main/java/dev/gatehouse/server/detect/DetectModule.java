package dev.gatehouse.server.detect;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.config.DetectConfig;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.events.EventSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a node's {@link DetectionService} from its configuration (null when disabled). */
public final class DetectModule {

  private DetectModule() {}

  /** The settings the {@code detect.*} keys describe. */
  public static DetectSettings settings(DetectConfig c) {
    Map<String, ResponsePolicy> perTenant = new LinkedHashMap<>();
    c.tenantResponses().forEach((t, r) -> perTenant.put(t, ResponsePolicy.of(r)));
    return new DetectSettings(c.surprise(), c.minEvents(), c.stepUpScore(), c.quiet().toSeconds(),
        c.block().toSeconds(), c.learnAfter().toSeconds(), c.maxAccounts(), c.maxTenants(),
        ResponsePolicy.of(c.response()), perTenant);
  }

  /**
   * The service, with blocks and step-up marks in Redis when {@code redis} is set (values sealed
   * under MAC keys derived from the master key), in memory otherwise.
   */
  public static DetectionService create(GatehouseConfig config, SharedRedis redis,
      String redisPrefix, MasterKey masterKey, String installation, EventSink outbox,
      MeterRegistry registry, Clock clock) {
    if (!config.detect().enabled()) {
      return null;
    }
    DetectSettings s = settings(config.detect());
    BlockList blocks = redis == null ? new InMemoryBlockList(100_000)
        : new RedisBlockList(redis, redisPrefix, masterKey.cacheMac("detect", installation));
    StepUps stepUps = new StepUps(redis, redisPrefix,
        masterKey.cacheMac("detect-stepup", installation), clock);
    return new DetectionService(s, blocks, stepUps, outbox, null, redis, redisPrefix, registry);
  }
}

package dev.gatehouse.server.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.crypto.CacheMac;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Blocks shared by every node: one Redis key per block,
 * {@code gh:{installation}:detect:block:{tenant}:{kind}:{value}}, expiring with the block, its
 * value sealed with a MAC under a key derived from the master key (Redis is untrusted: a value
 * that fails its MAC is ignored and counted as tampering by the caller's metrics). When Redis
 * cannot answer, this node's own copy ({@link InMemoryBlockList}) decides.
 */
public final class RedisBlockList implements BlockList {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SharedRedis redis;
  private final String prefix;
  private final CacheMac mac;
  private final InMemoryBlockList local = new InMemoryBlockList(100_000);

  public RedisBlockList(SharedRedis redis, String prefix, CacheMac mac) {
    this.redis = redis;
    this.prefix = prefix + "detect:block:";
    this.mac = mac;
  }

  private String key(String tenant, String id) {
    return prefix + tenant + ":" + id;
  }

  @Override
  public void add(Block b) {
    local.add(b);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", b.kind());
    m.put("value", b.value());
    m.put("reason", b.reason());
    m.put("detection", b.detection());
    String k = key(b.tenant(), b.id());
    try {
      String sealed = mac.seal(k, JSON.writeValueAsString(m), b.until() * 1000);
      long ttl = Math.max(1, b.until() * 1000 - System.currentTimeMillis());
      redis.run(c -> c.psetex(k, ttl, sealed));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<Block> open(String tenant, String k, String sealed) {
    return mac.open(k, sealed).map(o -> {
      try {
        JsonNode n = JSON.readTree(o.value());
        return new Block(tenant, n.path("kind").asText(), n.path("value").asText(),
            o.expiresAtMs() / 1000, n.path("reason").asText(), n.path("detection").asText());
      } catch (java.io.IOException e) {
        return null;
      }
    });
  }

  @Override
  public Optional<Block> find(String tenant, String kind, String value, long now) {
    String k = key(tenant, kind + ":" + value);
    String[] answer = redis.call(c -> new String[] {c.get(k)}, null);
    if (answer == null) {
      return local.find(tenant, kind, value, now);
    }
    return answer[0] == null ? Optional.empty()
        : open(tenant, k, answer[0]).filter(b -> b.until() > now);
  }

  @Override
  public List<Block> list(String tenant, long now, int limit) {
    String pattern = prefix + tenant + ":*";
    List<Block> out = redis.call(c -> {
      List<Block> found = new ArrayList<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = c.scan(cursor, ScanArgs.Builder.matches(pattern).limit(500));
        for (String k : page.getKeys()) {
          String v = c.get(k);
          if (v != null) {
            open(tenant, k, v).filter(b -> b.until() > now).ifPresent(found::add);
          }
        }
        cursor = page;
      } while (!cursor.isFinished() && found.size() < limit);
      return found;
    }, null);
    if (out == null) {
      return local.list(tenant, now, limit);
    }
    return out.stream().sorted(Comparator.comparing(Block::id)).limit(limit).toList();
  }

  @Override
  public boolean clear(String tenant, String id) {
    boolean here = local.clear(tenant, id);
    Long n = redis.call(c -> c.del(key(tenant, id)), 0L);
    return here || n > 0;
  }

  @Override
  public int clearAll(String tenant) {
    int n = 0;
    for (Block b : list(tenant, 0, 100_000)) {
      if (clear(tenant, b.id())) {
        n++;
      }
    }
    return Math.max(n, local.clearAll(tenant));
  }
}

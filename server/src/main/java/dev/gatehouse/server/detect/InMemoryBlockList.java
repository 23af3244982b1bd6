package dev.gatehouse.server.detect;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Blocks in this node's memory, at most {@code capacity} (new ones beyond it are not kept). */
public final class InMemoryBlockList implements BlockList {

  private final ConcurrentHashMap<String, Block> blocks = new ConcurrentHashMap<>();
  private final int capacity;

  public InMemoryBlockList(int capacity) {
    this.capacity = capacity;
  }

  private static String key(String tenant, String id) {
    return tenant + "\u0000" + id;
  }

  @Override
  public void add(Block b) {
    if (blocks.size() >= capacity) {
      long now = b.until() - 1;
      blocks.values().removeIf(x -> x.until() < now - 86_400);
      if (blocks.size() >= capacity) {
        return;
      }
    }
    blocks.merge(key(b.tenant(), b.id()), b, (o, n) -> n.until() > o.until() ? n : o);
  }

  @Override
  public Optional<Block> find(String tenant, String kind, String value, long now) {
    if (blocks.isEmpty()) {
      return Optional.empty();
    }
    Block b = blocks.get(key(tenant, kind + ":" + value));
    return b != null && b.until() > now ? Optional.of(b) : Optional.empty();
  }

  @Override
  public List<Block> list(String tenant, long now, int limit) {
    return blocks.values().stream().filter(b -> b.tenant().equals(tenant) && b.until() > now)
        .sorted(Comparator.comparing(Block::id)).limit(limit).toList();
  }

  @Override
  public boolean clear(String tenant, String id) {
    return blocks.remove(key(tenant, id)) != null;
  }

  @Override
  public int clearAll(String tenant) {
    int before = blocks.size();
    blocks.values().removeIf(b -> b.tenant().equals(tenant));
    return before - blocks.size();
  }
}
